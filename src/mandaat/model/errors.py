"""The errors mandaat raises, one hierarchy, each carrying structured fields.

Exit codes follow DESIGN §5: a user can fix an InputError (exit 1); misuse of the command line is a
UsageError (exit 2); an EngineError is mandaat's own fault (exit 70) and is never dressed up as a
verdict. What a user must fix is said in words from the message catalogue (:class:`Said`), chosen in the
user's language when the error is shown; this module reads the catalogue only then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

# What must never reach a terminal raw: C0 and C1 controls (line ends too, in a one-line message),
# invisible line separators and bidirectional overrides; nor a text file: noncharacters, and the lone
# surrogates Python makes of a file name's bytes that are not UTF-8.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` fit for one line of a terminal: every control character and bidirectional override
    shown as an escape (``\\x1b``, ``\\u202e``) instead of acting on the terminal."""
    return _UNSAFE.sub(_escape, text)


@dataclass(frozen=True)
class Said:
    """A message of the catalogue (``model/messages``) by its key, with the values of its placeholders; the
    words are chosen when it is shown, in the reader's language. A value may itself be a :class:`Said`."""

    key: str
    fields: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        from .words import word  # the catalogue is read only when a message is shown

        values = {name: in_words(value, lang) for name, value in self.fields}
        return word(self.key, lang).format(**values)

    def __str__(self) -> str:
        return self.text("en")


def said(key: str, /, **fields: Any) -> Said:
    """The catalogue's message ``key`` with ``fields`` for its placeholders."""
    return Said(key, tuple(fields.items()))


def about(subject: str, message: Words, hint: Words = "") -> Said:
    """``subject: message (hint)``: a message about an option or a file, with what to do."""
    return (
        said("about_hint", subject=subject, message=message, hint=hint)
        if hint
        else said("about", subject=subject, message=message)
    )


def in_words(value: Any, lang: str) -> Any:
    """``value`` in ``lang`` if it is a :class:`Said` (a tuple of them joined by semicolons); anything else
    as it is."""
    if isinstance(value, tuple):
        return "; ".join(str(in_words(item, lang)) for item in value)
    return value.text(lang) if isinstance(value, Said) else value


Words = str | Said  # a text written in the code (rules, internals) or a message of the catalogue


class Refusal(ValueError):
    """A value a validator refuses: what is wrong, and what to write instead, as catalogue messages."""

    def __init__(self, message: Said, hint: Words = "") -> None:
        super().__init__(message, hint)  # put in words only when shown
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else str(self.message)


@dataclass(frozen=True)
class Problem:
    """One located defect in a file a user wrote: ``FILE:LINE path: message (hint)``."""

    file: str
    line: int | None
    path: str
    message: Words
    hint: Words = ""

    def is_said(self, key: str) -> bool:
        """Whether the message is the catalogue's ``key``."""
        return isinstance(self.message, Said) and self.message.key == key

    def render(self, lang: str = "en") -> str:
        """The problem as one line for stderr, with whatever the user wrote made safe for a terminal."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        message, hint = in_words(self.message, lang), in_words(self.hint, lang)
        hint = f" ({hint})" if hint else ""
        path = self.path if len(self.path) <= 80 else self.path[:37] + "..." + self.path[-40:]
        if path:
            return safe(f"{where} {path}: {message}{hint}")
        return safe(f"{where}: {message}{hint}")


class MandaatError(Exception):
    """Base of every error mandaat reports to a user: one or more messages, each a text or a catalogue
    message (:class:`Said`), shown in the user's language."""

    exit_code = EXIT_INPUT

    def words(self, lang: str = "en") -> str:
        """The messages in ``lang``, joined by semicolons."""
        return "; ".join(str(in_words(message, lang)) for message in self.args)

    def __str__(self) -> str:
        return self.words("en")


@dataclass
class InputError(MandaatError):
    """A file the user wrote has one or more defects; all are reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.problems)  # rendered only when shown, in the language asked

    def words(self, lang: str = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.words("en")


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
        super().__init__(said("stopped_by", signal=name))
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
    """A "did you mean ...?" hint in English (for the rulebook's maintainers), or an empty string."""
    return str(suggestion(word, choices))


def suggestion(word: str, choices: Any, otherwise: Words = "") -> Words:
    """ "Did you mean ...?" as a catalogue message, or ``otherwise`` when no choice is close."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return said("did_you_mean", choice=repr(close[0])) if close else otherwise


def one_of(choices: Any) -> Said:
    """ "Expected one of: ..." as a catalogue message."""
    return said("one_of", choices=", ".join(str(c) for c in choices))


def closest(word: str, choices: list[str], count: Said) -> Said:
    """A bounded hint for a long list: at most the three closest choices, and how many there are."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    return said("closest", names=", ".join(repr(c) for c in close), count=count) if close else count
