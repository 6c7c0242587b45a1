"""Parameter values: what a value of each parameter type may be, wherever it comes from (the rulebook,
a scenario's ``params``, or ``--param`` on the command line)."""

from __future__ import annotations

import re
from typing import Any

from ..model.errors import Refusal, Said, about, said, suggestion
from ..model.rulebook import Rulebook
from .yamlsafe import resolve_plain

# The NATO Admiralty scales: source reliability A (best) to F, information credibility 1 (best) to 6.
RELIABILITY = "ABCDEF"
CREDIBILITY = "123456"


def parameter_value_problem(kind: str, value: Any) -> Said | None:
    """Why ``value`` is not a valid value for a parameter of type ``kind`` (None when it is)."""
    problem = _value_problem(kind, value)
    return said(problem, value=repr(value)) if problem else None


def _value_problem(kind: str, value: Any) -> str:
    """The catalogue's key for what is wrong with ``value`` ('' when nothing is)."""
    if kind == "reliability":
        if not (isinstance(value, str) and re.fullmatch(r"[A-F]", value)):
            return "not_reliability"
    elif kind == "grade":
        if not (isinstance(value, str) and re.fullmatch(r"[A-F][1-6]", value)):
            return "not_grade_parameter"
    elif kind == "credibility":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
            return "not_credibility"
    elif kind == "days":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36500:
            return "not_days"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "not_number"
        if value != value or value in (float("inf"), float("-inf")):
            return "not_finite"
        if not 0 <= value <= 1_000_000:
            return "outside_million"
        if round(value, 4) != value:
            return "too_many_decimals"
    return ""


MAX_VALUE_TEXT = 40  # characters of a value typed on the command line (a number needs far fewer)


def read_value(raw: str) -> Any:
    """A value typed on the command line, read as a plain YAML scalar is read in a scenario file
    (``3`` a whole number, ``2.5`` or ``1e-05`` a number, ``true`` a boolean, ``C`` a text)."""
    text = raw.strip()
    if len(text) > MAX_VALUE_TEXT:
        raise Refusal(said("value_too_long", length=len(text), max=MAX_VALUE_TEXT))
    return resolve_plain(text)


def parse_assignment(text: str, example: str) -> tuple[str, str]:
    """``NAME=VALUE`` split in two; ValueError with the example when it is not of that shape."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip() or not raw.strip():
        raise Refusal(said("write_assignment", text=repr(text), example=example))
    return name.strip(), raw.strip()


def parse_param(book: Rulebook, text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` for a rulebook parameter, the value read and checked by the parameter's type."""
    name, raw = parse_assignment(text, "e1_met_min_attacks_per_week=4")
    if name not in book.parameters:
        raise Refusal(said("unknown_parameter", name=repr(name)), suggestion(name, book.parameters, said("see_params")))
    value = read_value(raw)
    message = parameter_value_problem(book.parameters[name].type, value)
    if message:
        raise Refusal(about(name, message))
    return name, value
