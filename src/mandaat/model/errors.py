"""The errors mandaat raises, one hierarchy, each carrying structured fields.

Exit codes follow DESIGN §5: a user can fix an InputError (exit 1); misuse of the command line is a
UsageError (exit 2); an EngineError is mandaat's own fault (exit 70) and is never dressed up as a
verdict. This module imports nothing from mandaat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

# What must never reach a terminal raw: C0 and C1 controls (line ends too, in a one-line message),
# invisible line separators and bidirectional overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` fit for one line of a terminal: every control character and bidirectional override
    shown as an escape (``\\x1b``, ``\\u202e``) instead of acting on the terminal."""
    return _UNSAFE.sub(_escape, text)


@dataclass(frozen=True)
class Problem:
    """One located defect in a file a user wrote: ``FILE:LINE path: message (hint)``."""

    file: str
    line: int | None
    path: str
    message: str
    hint: str = ""

    def render(self) -> str:
        """The problem as one line for stderr, with whatever the user wrote made safe for a terminal."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        hint = f" ({self.hint})" if self.hint else ""
        path = self.path if len(self.path) <= 80 else self.path[:37] + "..." + self.path[-40:]
        if path:
            return safe(f"{where} {path}: {self.message}{hint}")
        return safe(f"{where}: {self.message}{hint}")

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready data."""
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message, "hint": self.hint}


class MandaatError(Exception):
    """Base of every error mandaat reports to a user."""

    exit_code = EXIT_INPUT


@dataclass
class InputError(MandaatError):
    """A file the user wrote has one or more defects; all are reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class RulebookError(InputError):
    """A rule, parameter or vocabulary file under ``rules/`` is defective."""


class UsageError(MandaatError):
    """The command line was misused (unknown option value, wrong combination)."""

    exit_code = EXIT_USAGE


class OutputError(MandaatError):
    """A report could not be written where the user asked; the old file is untouched."""


class Interrupted(MandaatError):
    """A signal (SIGTERM, SIGHUP, SIGINT) ended the command; it exits 128 + the signal's number."""

    def __init__(self, signum: int, name: str) -> None:
        super().__init__(f"stopped by {name}; any evaluation was ended and no file was written")
        self.exit_code = 128 + signum


class EngineError(MandaatError):
    """The rule engine misbehaved. This is a defect in mandaat, never a verdict."""

    exit_code = EXIT_INTERNAL


def yaml_scalar(value: Any) -> str:
    """A value as YAML writes it: null, true, false, a number without a needless ``.0``, or the text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(round(value, 4))
    return str(value)


def show(value: Any) -> str:
    """A value as the user wrote it, for a message: texts quoted, everything else as YAML; shortened."""
    text = (
        repr(value)
        if isinstance(value, str)
        else yaml_scalar(value)
        if value is None or isinstance(value, bool)
        else repr(value)
    )
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, choices: Any) -> str:
    """A "did you mean ...?" hint, or an empty string."""
    import difflib  # only when a name is wrong

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def closest(word: str, choices: list[str], count: str) -> str:
    """A bounded hint for a long list: at most the three closest choices, and how many there are."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    return (f"closest: {', '.join(repr(c) for c in close)}; " if close else "") + count
