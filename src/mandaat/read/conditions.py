"""Checking one rule condition, written in durable-rules' own condition language: only the operators
mandaat uses, operands of one type, references to aliases bound earlier, and the constants it compares
collected for the cross-reference checks."""

from __future__ import annotations

from typing import Any

from ..model.errors import Problem, did_you_mean
from ..model.rulebook import OPERATORS
from .yamlsafe import Locator


def walk_condition(
    expr: Any,
    path: tuple[Any, ...],
    aliases: set[str],
    locator: Locator,
    out: dict[str, list[Any]],
    problems: list[Problem],
) -> None:
    """Check a durable condition expression and collect the constants it compares."""
    if not isinstance(expr, dict) or not expr:
        problems.append(locator.problem(path, "a condition must be a non-empty mapping"))
        return
    for key, value in expr.items():
        here = (*path, key)
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                problems.append(locator.problem(here, f"{key} takes a non-empty list"))
                continue
            for i, sub in enumerate(value):
                walk_condition(sub, (*here, i), aliases, locator, out, problems)
        elif key.startswith("$"):
            if key not in OPERATORS:
                problems.append(locator.problem(here, f"unknown operator {key!r}", did_you_mean(key, OPERATORS)))
                continue
            if not isinstance(value, dict) or len(value) != 1:
                problems.append(locator.problem(here, f"{key} takes one property: {{{key}: {{prop: value}}}}"))
                continue
            ((prop, operand),) = value.items()
            _check_operand(operand, (*here, prop), aliases, locator, problems)
        else:
            _check_operand(value, here, aliases, locator, problems)
            if not isinstance(value, dict):
                out.setdefault(key, []).append(value)


def _check_operand(
    operand: Any, path: tuple[Any, ...], aliases: set[str], locator: Locator, problems: list[Problem]
) -> None:
    if isinstance(operand, dict):
        if len(operand) != 1:
            problems.append(locator.problem(path, "a reference names one earlier alias: {alias: property}"))
            return
        ((alias, prop),) = operand.items()
        if alias not in aliases:
            problems.append(
                locator.problem(path, f"reference to unknown or later alias {alias!r}", did_you_mean(alias, aliases))
            )
        if not isinstance(prop, str):
            problems.append(locator.problem(path, "a reference names a property as text"))
    elif isinstance(operand, bool) or operand is None or isinstance(operand, (int, str)):
        return
    elif isinstance(operand, float):
        if operand != operand or abs(operand) == float("inf") or round(operand, 4) != operand or abs(operand) >= 1e15:
            problems.append(locator.problem(path, f"{operand!r}: use a finite number with at most 4 decimals"))
    else:
        problems.append(locator.problem(path, "an operand is a text, number, boolean or {alias: property}"))
