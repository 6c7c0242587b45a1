"""How large a rule's condition may be: what durable-rules can run, found by measuring, with a margin.

A condition beyond it would make the engine spin for ever or refuse the rulebook at the first evaluation;
the loader and `rules check` refuse it instead, located at the rule.
"""

from __future__ import annotations

from typing import Any

from ..model.errors import Problem
from ..model.rulebook import Rule
from .yamlsafe import Locator

# How large a condition durable-rules 2.0.28 handles, measured (benchmarks/hostile.py --durable-limits):
# a rule whose `$or` lists hold 512 alternatives in all makes the engine spin for ever at the first fact
# (511 work), and 15 alternatives that are themselves `$and`/`$or` make it refuse the ruleset (14 work;
# 12 when split over two lists). The bounds keep a margin of four and two.
MAX_OR_ALTERNATIVES = 128
MAX_COMPOUND_ALTERNATIVES = 6


def _alternatives(expr: Any) -> tuple[int, int]:
    """The `$or` alternatives in a condition, all of them and those that are themselves `$and`/`$or`."""
    total = compound = 0
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$or" and isinstance(value, list):
                    total += len(value)
                    compound += sum(isinstance(v, dict) and bool({"$and", "$or"} & set(v)) for v in value)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return total, compound


def check_size(rule: Rule, locator: Locator, path: tuple[Any, ...], name: str) -> list[Problem]:
    """A condition the engine cannot run (it would spin or refuse) is a located defect."""
    total, compound = _alternatives(rule.when)
    hint = "split the rule into several rules, one per group of alternatives"
    if total > MAX_OR_ALTERNATIVES:
        return [
            locator.problem(
                path, f"{name}: `$or` alternatives: {total}; the engine runs at most {MAX_OR_ALTERNATIVES}", hint
            )
        ]
    if compound > MAX_COMPOUND_ALTERNATIVES:
        message = (
            f"{name}: {compound} `$or` alternatives are `$and`/`$or` themselves; at most {MAX_COMPOUND_ALTERNATIVES}"
        )
        return [locator.problem(path, message, hint)]
    return []
