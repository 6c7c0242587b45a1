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

from ..model.errors import InputError, Problem, Words, said
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

    def problem(self, path: PathT, message: Words, hint: Words = "", *, key: bool = False) -> Problem:
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

    def fail(self, line: int | None, path: PathT, message: Words, hint: Words = "") -> None:
        self.problems.append(Problem(self.file, line, format_path(path), message, hint))

    def stop(self, line: int | None, path: PathT, message: Words, hint: Words = "") -> _Stop:
        return _Stop(Problem(self.file, line, format_path(path), message, hint))

    def next(self) -> Any:
        return next(self.events)

    def plain(self, text: str, line: int, path: PathT) -> Any:
        """A plain scalar's value; numbers YAML cannot hold exactly are refused, not rounded."""
        sensible = said("sensible_number")
        try:
            value = resolve_plain(text)
        except ValueError:
            raise self.stop(line, path, said("number_too_many_digits", text=text[:20]), sensible) from None
        if isinstance(value, float) and not math.isnan(value) and not _INF.match(text):
            if math.isinf(value):
                raise self.stop(line, path, said("number_too_large", text=text), sensible)
            if value == 0.0 and re.search(r"[1-9]", text.lower().split("e")[0]):
                raise self.stop(line, path, said("number_too_small", text=text), said("zero_or_decimals"))
        return value

    def check(self, event: Any, path: PathT, depth: int) -> int:
        """The event's line, once the limits, aliases and tags are checked."""
        self.nodes += 1
        line: int = event.start_mark.line + 1
        if self.nodes > self.max_nodes:
            stop = self.stop(line, path, said("too_many_nodes", count=self.max_nodes), said("split_up"))
            stop.too_large = True
            raise stop
        if depth > MAX_DEPTH:
            raise self.stop(line, path, said("too_deep", depth=MAX_DEPTH), said("flatten"))
        if isinstance(event, yaml.AliasEvent):
            raise self.stop(line, path, said("alias"), said("write_in_full"))
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.stop(line, path, said("yaml_tag", tag=repr(shown)), said("remove_tag"))
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
        raise self.stop(line, path, said("unexpected_yaml"))

    def mapping(self, path: PathT, depth: int) -> dict[str, Any]:
        """A mapping's keys and values; duplicate keys are reported, merge keys refused."""
        mapping: dict[str, Any] = {}
        while not isinstance(key_event := self.next(), yaml.MappingEndEvent):
            key_line = key_event.start_mark.line + 1
            if not isinstance(key_event, yaml.ScalarEvent) or getattr(key_event, "tag", None):
                raise self.stop(key_line, path, said("key_not_text"), said("write_key_value"))
            if key_event.value == "<<" and not key_event.style:
                raise self.stop(key_line, path, said("merge_key"), said("write_keys_in_full"))
            key = key_event.value
            child_path = (*path, key)
            value = self.build(self.next(), child_path, depth + 1)
            if key in mapping:
                first = self.locator.key_lines.get(child_path)
                self.fail(key_line, child_path, said("duplicate_key", key=repr(key), first=first), said("keep_one"))
                continue
            self.locator.key_lines[child_path] = key_line
            mapping[key] = value
        return mapping


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem.message))
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
    what = exc.problem or exc.context or ""
    message = said("not_yaml", what=_parser_words(what)) if what else said("not_yaml_plain")
    if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
        mark = exc.context_mark  # e.g. an unclosed quote: point at where it opened
        message = said("not_yaml", what=_parser_words(f"{exc.context}, {exc.problem}" if exc.context else what))
    elif exc.context_mark is not None and "simple key" in (exc.context or "") and "':'" in (exc.problem or ""):
        mark = exc.context_mark  # the key that lacks its colon, not the line after it
        message = said("not_yaml_after_key", what=_parser_words(exc.problem or ""))
    line = mark.line + 1 if mark else None
    hint = said("check_syntax")
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        hint = said("indent_with_spaces")
    return InputError([Problem(file, line, "", message, hint)])


def _parser_words(text: str) -> Words:
    """The parser's description of a syntax error (English), in the catalogue's words where it has them."""
    from ..model.words import catalogue  # only for a file with a syntax error

    head, _, found = text.partition(", but found ")
    key = f"yaml:{head}"
    return said(key, found=found) if key in catalogue() else text


def _parse(text: str, file: str, max_nodes: int) -> tuple[Any, Locator]:
    builder: _Builder | None = None
    try:
        events = yaml.parse(text, Loader=_LOADER)
        first = next(events)  # StreamStart
        assert isinstance(first, yaml.StreamStartEvent)
        doc = next(events)
        if isinstance(doc, yaml.StreamEndEvent):
            raise InputError([Problem(file, 1, "", said("file_empty"), said("write_scenario"))])
        builder = _Builder(file, events, max_nodes)
        data = builder.build(next(events), (), 0)
        next(events)  # DocumentEnd
        after = next(events)
        if not isinstance(after, yaml.StreamEndEvent):
            line = after.start_mark.line + 1 if after.start_mark else None
            raise InputError([Problem(file, line, "", said("many_documents"), said("one_scenario_per_file"))])
    except _Stop as stop:
        raise (TooLarge if stop.too_large else InputError)([stop.problem]) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, file) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else None
        message = said("character_not_in_yaml", code=f"{code:04X}") if code is not None else said("not_yaml_plain")
        raise InputError([Problem(file, line, "", message, said("remove_it"))]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, None, "", said("not_yaml_plain"), str(exc).splitlines()[0][:100])]) from None
    except RecursionError:
        raise InputError([Problem(file, None, "", said("too_deep", depth=MAX_DEPTH))]) from None
    if builder.problems:
        raise InputError(builder.problems)
    if data is None:
        raise InputError([Problem(file, 1, "", said("file_empty"), said("write_scenario"))])
    return data, builder.locator


def load_file(path: Path, display: str | None = None, limit: int = MAX_BYTES) -> tuple[Any, Locator]:
    """Read and parse a YAML file of at most ``limit`` bytes (see :func:`load_text`)."""
    file = display or str(path)
    return load_text(decode(read_bytes(path, file, limit), file), file)
