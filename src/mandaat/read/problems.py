"""Turn pydantic's validation errors into located, plain-language problems.

Every message names what is wrong and, where it helps, what to write instead. The location comes from
the :class:`~mandaat.yamlsafe.Locator` of the file that was read. No knowledge of scenarios or rules here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from ..model.errors import Problem, Refusal, Said, Words, one_of, said, show, suggestion
from .yamlsafe import Locator, PathT

MAX_HINTS = 20  # unknown keys that get a "did you mean"; for the rest of a long list of them, the choices only


def _hint_choices(value: Any, choices: Iterable[str]) -> Words:
    choices = list(choices)
    return suggestion(value, choices, one_of(choices))


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
        hint: Words = ""
        message: Words
        if kind == "missing":
            message = said("required", key=loc[-1])
            hint = said("add_key", key=loc[-1])
            where = loc[:-1]
        elif kind == "extra_forbidden":
            message = said("unknown_key", key=repr(loc[-1]))
            if allowed_keys is not None:
                allowed = list(allowed_keys(loc[:-1]))
                hinted += 1
                hint = _hint_choices(loc[-1], allowed) if hinted <= MAX_HINTS else _hint_choices("", allowed)
            where, key = loc, True
        else:
            where = loc
            message, hint = _describe(kind, value, dict(err))
            if kind == "string_pattern_mismatch" and where and where[-1] == "id":
                hint = said("scenario_id_form" if len(where) == 1 else "observation_id_form")
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
        text = [p for p in group if p.is_said("not_text")]
        mapping = [p for p in group if p.is_said("not_mapping")]
        if text and mapping:
            first = text[0]
            assert isinstance(first.message, Said)
            value = dict(first.message.fields)["value"]
            message = said("text_or_mapping", value=value)
            merged.append(Problem(first.file, first.line, first.path, message, said("text_or_mapping_example")))
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


# pydantic's error types, and the catalogue's message and hint for each
_SAID: dict[str, tuple[str, str]] = {
    "bool_type": ("not_boolean", "write_true_false"),
    "string_type": ("not_text", "put_in_quotes"),
    "int_type": ("not_whole", ""),
    "int_parsing": ("not_whole", ""),
    "int_from_float": ("not_whole", ""),
    "float_type": ("not_number", "write_digits"),
    "float_parsing": ("not_number", "write_digits"),
    "union_tag_invalid": ("not_allowed_here", ""),
    "union_error": ("not_allowed_here", ""),
    "string_pattern_mismatch": ("wrong_form", ""),  # the hint is the caller's, which knows the field
    "dict_type": ("not_mapping", ""),
    "model_type": ("not_mapping", ""),
    "model_attributes_type": ("not_mapping", ""),
    "list_type": ("not_list", ""),
    "date_type": ("not_valid_date", "write_date"),
    "date_parsing": ("not_valid_date", "write_date"),
    "date_from_datetime_parsing": ("not_valid_date", "write_date"),
    "date_from_datetime_inexact": ("not_valid_date", "write_date"),
}


def _describe(kind: str, value: Any, err: dict[str, Any]) -> tuple[Words, Words]:
    ctx = err.get("ctx") or {}
    if kind in _SAID:
        message, hint = _SAID[kind]
        return said(message, value=show(value)), said(hint) if hint else ""
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip().strip("'") for o in str(expected).replace(" or ", ",").split(",") if o.strip()]
        return said("not_allowed", value=show(value)), _hint_choices(value, options)
    if kind == "string_too_short":
        return said("empty_text"), ""
    if kind == "string_too_long":
        return said("text_too_long", max=ctx.get("max_length")), said("shorten")
    if kind == "too_long":
        return said("list_too_long", max=ctx.get("max_length")), ""
    error = ctx.get("error")
    if isinstance(error, Refusal):  # the scenario model's own validators
        return error.message, error.hint
    return str(error or err.get("msg", "invalid value")), ""
