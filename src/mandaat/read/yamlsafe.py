"""Read a YAML file into plain data, safely, remembering the line of every value.

Scenario and rule files come from many hands, so this reader is strict where PyYAML is lenient:
- scalars follow the YAML 1.2 core schema: ``yes``/``no``/``on`` stay text and dates stay text, so the
  models (pydantic) report them instead of silently coercing or crashing on ``2018-02-30``;
- explicit tags (``!!python/object``...) and aliases are refused before anything is built, so nothing in a
  file can run code or expand into a "billion laughs";
- duplicate keys, several documents, files over ``MAX_BYTES``, nesting deeper than ``MAX_DEPTH`` and non-UTF-8
  bytes are each a located error; unsafe characters (controls, invisible line separators, bidirectional
  overrides) are located on their real line and kept as ``Locator.pending``, so that a reader can report
  them together with the file's other defects.
It returns the data and a :class:`Locator`; it knows nothing about scenarios or rules.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model.errors import InputError, Problem
from .source import MAX_BYTES, TooLarge, decode, read_bytes, screen

# libyaml's parser when PyYAML was built with it (much faster); the events and marks are the same.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 40
MAX_NODES = 200_000

PathT = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def format_path(path: PathT) -> str:
    """``('observations', 2, 'grade')`` as ``observations[2].grade``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class Locator:
    """Where each value and key of a document sits in its file (1-based lines)."""

    file: str
    value_lines: dict[PathT, int] = field(default_factory=dict)
    key_lines: dict[PathT, int] = field(default_factory=dict)
    pending: list[Problem] = field(default_factory=list)  # defects found while reading, not yet raised
    size: int = 0  # the characters read (a variant chain adds up the sizes of its files)

    def line(self, path: PathT, *, key: bool = False) -> int | None:
        """The line of ``path``; of its key when ``key``; else of the nearest enclosing value."""
        if key and path in self.key_lines:
            return self.key_lines[path]
        probe = tuple(path)
        while probe:
            if probe in self.value_lines:
                return self.value_lines[probe]
            probe = probe[:-1]
        return self.value_lines.get((), 1)

    def problem(self, path: PathT, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """A :class:`Problem` located at ``path``."""
        return Problem(self.file, self.line(path, key=key), format_path(path), message, hint)


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar under the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


class _Builder:
    """Builds plain data from PyYAML's event stream, refusing what a data file must not contain."""

    def __init__(self, file: str, events: Any, max_nodes: int = MAX_NODES) -> None:
        self.max_nodes = max_nodes
        self.file = file
        self.events = events
        self.locator = Locator(file)
        self.problems: list[Problem] = []
        self.nodes = 0

    def fail(self, line: int | None, path: PathT, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, line, format_path(path), message, hint))

    def stop(self, line: int | None, path: PathT, message: str, hint: str = "") -> _Stop:
        return _Stop(Problem(self.file, line, format_path(path), message, hint))

    def next(self) -> Any:
        return next(self.events)

    def plain(self, text: str, line: int, path: PathT) -> Any:
        """A plain scalar's value; numbers YAML cannot hold exactly are refused, not rounded."""
        sensible = "write a number of sensible size"
        try:
            value = resolve_plain(text)
        except ValueError:
            raise self.stop(line, path, f"the number {text[:20]}... has too many digits", sensible) from None
        if isinstance(value, float) and not math.isnan(value) and not _INF.match(text):
            if math.isinf(value):
                raise self.stop(line, path, f"the number {text} is too large", sensible)
            if value == 0.0 and re.search(r"[1-9]", text.lower().split("e")[0]):
                hint = "write 0 or a number with at most 4 decimals"
                raise self.stop(line, path, f"the number {text} is too small to hold", hint)
        return value

    def check(self, event: Any, path: PathT, depth: int) -> int:
        """The event's line, once the limits, aliases and tags are checked."""
        self.nodes += 1
        line: int = event.start_mark.line + 1
        if self.nodes > self.max_nodes:
            stop = self.stop(line, path, f"the file has more than {self.max_nodes} values", "split it up")
            stop.too_large = True
            raise stop
        if depth > MAX_DEPTH:
            raise self.stop(line, path, f"nesting is deeper than {MAX_DEPTH} levels", "flatten the structure")
        if isinstance(event, yaml.AliasEvent):
            raise self.stop(line, path, "aliases (*name) are not allowed", "write the value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            hint = "remove the tag; mandaat files hold plain data only"
            raise self.stop(line, path, f"YAML tag {shown!r} is not allowed", hint)
        return line

    def build(self, event: Any, path: PathT, depth: int) -> Any:
        """The value an event starts, built from the events that follow it."""
        line = self.check(event, path, depth)
        self.locator.value_lines[path] = line
        if isinstance(event, yaml.ScalarEvent):
            if not event.style and event.implicit[0]:  # plain scalar (style None or "" by parser)
                return self.plain(event.value, line, path)
            return event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(child := self.next(), yaml.SequenceEndEvent):
                items.append(self.build(child, (*path, len(items)), depth + 1))
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth)
        raise self.stop(line, path, "unexpected YAML content")

    def mapping(self, path: PathT, depth: int) -> dict[str, Any]:
        """A mapping's keys and values; duplicate keys are reported, merge keys refused."""
        mapping: dict[str, Any] = {}
        while not isinstance(key_event := self.next(), yaml.MappingEndEvent):
            key_line = key_event.start_mark.line + 1
            if not isinstance(key_event, yaml.ScalarEvent) or getattr(key_event, "tag", None):
                raise self.stop(key_line, path, "a key must be plain text", "write key: value")
            if key_event.value == "<<" and not key_event.style:
                raise self.stop(key_line, path, "merge keys (<<) are not allowed", "write the keys out in full")
            key = key_event.value
            child_path = (*path, key)
            value = self.build(self.next(), child_path, depth + 1)
            if key in mapping:
                first = self.locator.key_lines.get(child_path)
                self.fail(key_line, child_path, f"duplicate key {key!r} (first at line {first})", "keep one of them")
                continue
            self.locator.key_lines[child_path] = key_line
            mapping[key] = value
        return mapping


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.too_large = False


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def load_text(text: str, file: str, max_nodes: int = MAX_NODES) -> tuple[Any, Locator]:
    """Parse YAML text into plain data and a :class:`Locator`, or raise :class:`InputError`.

    Unsafe characters do not stop the reading: they are in ``Locator.pending``, or in the error raised."""
    text, pending = screen(text, file)
    try:
        data, locator = _parse(text, file, max_nodes)
    except InputError as exc:
        raise InputError(sorted([*pending, *exc.problems], key=lambda p: p.line or 0)) from None
    locator.pending = pending
    locator.size = len(text)
    return data, locator


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str) -> InputError:
    """A YAML syntax error located where the mistake is (for a missing colon, the line of the key)."""
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "not valid YAML"
    if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
        mark = exc.context_mark  # e.g. an unclosed quote: point at where it opened
        what = f"{exc.context}, {exc.problem}" if exc.context else what
    elif exc.context_mark is not None and "simple key" in (exc.context or "") and "':'" in (exc.problem or ""):
        mark = exc.context_mark  # the key that lacks its colon, not the line after it
        what = f"{exc.problem} after this key"
    line = mark.line + 1 if mark else None
    hint = "check indentation, colons and quotes"
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        hint = "indent with spaces, not tabs"
    return InputError([Problem(file, line, "", f"not valid YAML: {what}", hint)])


def _parse(text: str, file: str, max_nodes: int) -> tuple[Any, Locator]:
    builder: _Builder | None = None
    try:
        events = yaml.parse(text, Loader=_LOADER)
        first = next(events)  # StreamStart
        assert isinstance(first, yaml.StreamStartEvent)
        doc = next(events)
        if isinstance(doc, yaml.StreamEndEvent):
            raise InputError([Problem(file, 1, "", "the file is empty", "write a scenario; see `mandaat schema`")])
        builder = _Builder(file, events, max_nodes)
        data = builder.build(next(events), (), 0)
        next(events)  # DocumentEnd
        after = next(events)
        if not isinstance(after, yaml.StreamEndEvent):
            line = after.start_mark.line + 1 if after.start_mark else None
            message = "the file holds more than one YAML document"
            raise InputError([Problem(file, line, "", message, "keep one scenario per file")])
    except _Stop as stop:
        raise (TooLarge if stop.too_large else InputError)([stop.problem]) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, file) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        message = f"character U+{exc.character:04X} is not allowed in YAML" if isinstance(exc.character, int) else ""
        raise InputError([Problem(file, line, "", message or "not valid YAML", "remove it")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, None, "", "not valid YAML", str(exc).splitlines()[0][:100])]) from None
    except RecursionError:
        raise InputError([Problem(file, None, "", f"nesting is deeper than {MAX_DEPTH} levels")]) from None
    if builder.problems:
        raise InputError(builder.problems)
    if data is None:
        raise InputError([Problem(file, 1, "", "the file is empty", "write a scenario; see `mandaat schema`")])
    return data, builder.locator


def load_file(path: Path, display: str | None = None, limit: int = MAX_BYTES) -> tuple[Any, Locator]:
    """Read and parse a YAML file of at most ``limit`` bytes (see :func:`load_text`)."""
    file = display or str(path)
    return load_text(decode(read_bytes(path, file, limit), file), file)
