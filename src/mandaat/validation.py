"""Turn pydantic's validation errors into located, plain-language problems.

Every message names what is wrong and, where it helps, what to write instead. The location comes from
the :class:`~mandaat.yamlsafe.Locator` of the file that was read. No knowledge of scenarios or rules here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from .errors import Problem
from .yamlsafe import Locator, PathT


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _hint_choices(value: Any, choices: Iterable[str]) -> str:
    choices = list(choices)
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "expected one of: " + ", ".join(choices)


def problems_from(exc: ValidationError, locator: Locator,
                  allowed_keys: Callable[[PathT], Iterable[str]] | None = None) -> list[Problem]:
    """One :class:`Problem` per pydantic error, sorted by line."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        raw_loc = tuple(err["loc"])
        # Pydantic appends union/function tags ("function-after[...]", "str") to locations; drop them.
        loc: PathT = tuple(p for p in raw_loc if isinstance(p, int) or not _is_tag(p))
        kind = err["type"]
        value = err.get("input")
        if kind == "string_type" and isinstance(value, dict):
            continue  # a union of text and mapping: the mapping branch reports what is wrong
        key = False
        hint = ""
        if kind == "missing":
            message = f"`{loc[-1]}` is required"
            hint = ""
            where = loc[:-1]
        elif kind == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}"
            if allowed_keys is not None:
                hint = _hint_choices(loc[-1], allowed_keys(loc[:-1]))
            where, key = loc, True
        else:
            where = loc
            message, hint = _describe(kind, value, err)
        ident = (where, message)
        if ident in seen:
            continue
        seen.add(ident)
        problems.append(locator.problem(where, message, hint, key=key))
    problems.sort(key=lambda p: (p.line or 0, p.path))
    return problems


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        "[" in part or part in {"str", "int", "float", "bool", "dict", "list", "date", "none",
                                "Source", "SourceRef", "json-or-python", "lax-or-strict"}
    )


def _describe(kind: str, value: Any, err: dict[str, Any]) -> tuple[str, str]:
    ctx = err.get("ctx") or {}
    if kind == "bool_type":
        if isinstance(value, str) and value.lower() in {"yes", "no", "on", "off", "y", "n"}:
            return f"{_show(value)} is not a boolean", "write true or false"
        return f"{_show(value)} is not a boolean", "write true or false"
    if kind in ("string_type",):
        return f"{_show(value)} is not text", "put the text in quotes"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{_show(value)} is not a whole number", ""
    if kind in ("float_type", "float_parsing"):
        return f"{_show(value)} is not a number", "write digits, without quotes"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in str(expected).replace(" or ", ",").split(",") if o.strip()]
        return f"{_show(value)} is not allowed", _hint_choices(value, options)
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} has the wrong form", ""
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters", "shorten it"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{_show(value)} should be a mapping (key: value lines)", ""
    if kind == "list_type":
        return f"{_show(value)} should be a list (lines starting with `- `)", ""
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"{_show(value)} is not a valid date", "write YYYY-MM-DD, e.g. 2018-04-13"
    if kind == "value_error":
        text = str(ctx.get("error", err.get("msg", "")))
        message, _, hint = text.partition(" || ")
        return message, hint
    if kind == "assertion_error":
        return err.get("msg", "invalid"), ""
    return err.get("msg", "invalid value"), ""
