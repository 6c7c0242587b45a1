"""Turn pydantic's validation errors into located, plain-language problems.

Every message names what is wrong and, where it helps, what to write instead. The location comes from
the :class:`~mandaat.yamlsafe.Locator` of the file that was read. No knowledge of scenarios or rules here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from ..model.errors import Problem, show
from .yamlsafe import Locator, PathT

MAX_HINTS = 20  # unknown keys that get a "did you mean"; for the rest of a long list of them, the choices only


def _hint_choices(value: Any, choices: Iterable[str]) -> str:
    import difflib  # only for a file with a defect

    choices = list(choices)
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "expected one of: " + ", ".join(choices)


def problems_from(
    exc: ValidationError, locator: Locator, allowed_keys: Callable[[PathT], Iterable[str]] | None = None
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, sorted by line."""
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    errors = exc.errors(include_url=False)
    deeper = {d[:k] for e in errors for d in [_clean(tuple(e["loc"]), locator, keep_last=True)] for k in range(len(d))}
    hinted = 0
    for err in errors:
        kind = err["type"]
        loc = _clean(tuple(err["loc"]), locator, keep_last=kind in ("missing", "extra_forbidden"))
        value = err.get("input")
        if kind == "string_type" and isinstance(value, dict):
            if loc in deeper:  # some error lies strictly inside this value
                continue  # a union of text and mapping: the mapping branch says what is wrong inside it
        key = False
        hint = ""
        if kind == "missing":
            message = f"`{loc[-1]}` is required"
            hint = f"add `{loc[-1]}: ...`"
            where = loc[:-1]
        elif kind == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}"
            if allowed_keys is not None:
                allowed = list(allowed_keys(loc[:-1]))
                hinted += 1
                hint = _hint_choices(loc[-1], allowed) if hinted <= MAX_HINTS else _hint_choices("", allowed)
            where, key = loc, True
        else:
            where = loc
            message, hint = _describe(kind, value, dict(err))
            if kind == "string_pattern_mismatch" and where and where[-1] == "id":
                hint = (
                    "use lowercase letters, digits and -, e.g. 2018-04-kamerbrief"
                    if len(where) == 1
                    else "use letters, digits and . _ : -, starting with a letter or digit"
                )
        ident = (where, message)
        if ident in seen:
            continue
        seen.add(ident)
        problems.append(locator.problem(where, message, hint, key=key))
    if not problems and errors:  # never lose a defect, whatever shape pydantic's error takes
        first = errors[0]
        problems.append(
            locator.problem(
                _clean(tuple(first["loc"]), locator, keep_last=False), str(first.get("msg", "invalid value"))
            )
        )
    problems = _merge_union_errors(problems)
    problems.sort(key=lambda p: (p.line or 0, p.path))
    return problems


def _merge_union_errors(problems: list[Problem]) -> list[Problem]:
    """A value that may be text or a mapping gets one message, not one per alternative."""
    by_place: dict[tuple[Any, ...], list[Problem]] = {}
    for problem in problems:
        by_place.setdefault((problem.line, problem.path), []).append(problem)
    merged: list[Problem] = []
    for group in by_place.values():
        text = [p for p in group if p.message.endswith("is not text")]
        mapping = [p for p in group if "should be a mapping" in p.message]
        if text and mapping:
            first = text[0]
            value = first.message[: -len(" is not text")]
            merged.append(
                Problem(
                    first.file,
                    first.line,
                    first.path,
                    f"{value} should be text or a mapping",
                    "e.g. source: {name: Coalition reporting, origin: coalition}",
                )
            )
            merged.extend(p for p in group if p not in text and p not in mapping)
        else:
            merged.extend(group)
    return merged


def _clean(raw: tuple[Any, ...], locator: Locator, keep_last: bool) -> PathT:
    """The location as a path in the document: pydantic inserts union and validator tags
    ("str", "SourceRef", "function-after[...]") that are not keys of the file, so keep only the parts
    the document has (and, for a missing or unknown key, the key itself)."""
    path: PathT = ()
    for i, part in enumerate(raw):
        candidate = (*path, part)
        if candidate in locator.value_lines or (keep_last and i == len(raw) - 1):
            path = candidate
    return path


def _describe(kind: str, value: Any, err: dict[str, Any]) -> tuple[str, str]:
    ctx = err.get("ctx") or {}
    if kind == "bool_type":
        return f"{show(value)} is not a boolean", "write true or false"
    if kind in ("string_type",):
        return f"{show(value)} is not text", "put the text in quotes"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{show(value)} is not a whole number", ""
    if kind in ("float_type", "float_parsing"):
        return f"{show(value)} is not a number", "write digits, without quotes"
    if kind == "union_tag_invalid" or kind == "union_error":
        return f"{show(value)} is not allowed here", ""
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in str(expected).replace(" or ", ",").split(",") if o.strip()]
        return f"{show(value)} is not allowed", _hint_choices(value, options)
    if kind == "string_pattern_mismatch":
        return f"{show(value)} has the wrong form", ""  # refined by the caller, which knows the field
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters", "shorten it"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{show(value)} should be a mapping (key: value lines)", ""
    if kind == "list_type":
        return f"{show(value)} should be a list (lines starting with `- `)", ""
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"{show(value)} is not a valid date", "write YYYY-MM-DD, e.g. 2018-04-13"
    if kind == "value_error":
        text = str(ctx.get("error", err.get("msg", "")))
        message, _, hint = text.partition(" || ")
        return message, hint
    if kind == "assertion_error":
        return err.get("msg", "invalid"), ""
    return err.get("msg", "invalid value"), ""
