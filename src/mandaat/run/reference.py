"""An independent reference evaluator of the rulebook: plain Python, no durable-rules.

It interprets the part of durable-rules' condition language the rulebook uses (patterns joined with
``all``, ``$not`` patterns, ``$and``/``$or``, equality, ``$lt``/``$lte``/``$gt``/``$gte``/``$eq``/``$neq``,
``$ex``/``$nex``, and references ``{alias: property}`` to earlier patterns) with the same staging as the
engine adapter: stage ``evidence`` runs to a fixpoint as facts arrive, then each later stage runs to a
fixpoint in turn. It shares no evaluation code with :mod:`mandaat.engine`; tests compare the two on
generated scenarios, and ``mandaat evaluate --engine reference`` uses it for diagnosis.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..model.firing import Firing
from ..model.rulebook import STAGES, Rule, Rulebook
from .actions import derived_fact

_MISSING = object()
_COMPARE = {
    "$lt": lambda a, b: a < b,
    "$lte": lambda a, b: a <= b,
    "$gt": lambda a, b: a > b,
    "$gte": lambda a, b: a >= b,
    "$eq": lambda a, b: a == b,
    "$neq": lambda a, b: a != b,
}


def _same_kind(a: Any, b: Any) -> bool:
    """Values compare only within one kind: numbers with numbers, text with text, booleans with booleans."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return True
    return type(a) is type(b)


def _operand(operand: Any, bound: dict[str, dict[str, Any]]) -> Any:
    if isinstance(operand, dict):
        ((alias, prop),) = operand.items()
        return bound.get(alias, {}).get(prop, _MISSING)
    return operand


def matches(expr: dict[str, Any], fact: dict[str, Any], bound: dict[str, dict[str, Any]]) -> bool:
    """Whether ``fact`` satisfies condition ``expr`` given the facts already bound to earlier aliases."""
    for key, value in expr.items():
        if key == "$and":
            if not all(matches(sub, fact, bound) for sub in value):
                return False
        elif key == "$or":
            if not any(matches(sub, fact, bound) for sub in value):
                return False
        elif key in ("$ex", "$nex"):
            ((prop, _),) = value.items()
            if (prop in fact) != (key == "$ex"):
                return False
        elif key in _COMPARE:
            ((prop, operand),) = value.items()
            left, right = fact.get(prop, _MISSING), _operand(operand, bound)
            if left is _MISSING or right is _MISSING or not _same_kind(left, right):
                return False
            if not _COMPARE[key](left, right):
                return False
        else:
            left, right = fact.get(key, _MISSING), _operand(value, bound)
            if left is _MISSING or right is _MISSING or not _same_kind(left, right) or left != right:
                return False
    return True


def fact_type(expr: dict[str, Any]) -> Any:
    """The constant ``t`` a condition requires, if any (used only to narrow the candidates)."""
    if isinstance(expr.get("t"), str):
        return expr["t"]
    for sub in expr.get("$and", []):
        found = fact_type(sub)
        if found is not None:
            return found
    return None


class _Memory:
    """Working memory: facts in arrival order, indexed by type, without duplicates."""

    def __init__(self) -> None:
        self.facts: list[dict[str, Any]] = []
        self.by_type: dict[Any, list[int]] = {}
        self.known: set[str] = set()

    def add(self, fact: dict[str, Any]) -> bool:
        key = _key(fact)
        if key in self.known:
            return False
        self.known.add(key)
        self.by_type.setdefault(fact.get("t"), []).append(len(self.facts))
        self.facts.append(fact)
        return True

    def candidates(self, expr: dict[str, Any]) -> list[int]:
        kind = fact_type(expr)
        return self.by_type.get(kind, []) if kind is not None else list(range(len(self.facts)))


def _tuples(
    patterns: list[tuple[str, dict[str, Any]]], memory: _Memory, bound: dict[str, dict[str, Any]], used: set[int]
) -> Iterator[dict[str, dict[str, Any]]]:
    """Every binding of the patterns to distinct facts (negated patterns bind nothing)."""
    if not patterns:
        yield dict(bound)
        return
    (alias, expr), rest = patterns[0], patterns[1:]
    if alias.endswith("$not"):
        if not any(matches(expr, memory.facts[i], bound) for i in memory.candidates(expr)):
            yield from _tuples(rest, memory, bound, used)
        return
    for index in memory.candidates(expr):
        fact = memory.facts[index]
        if index in used or not matches(expr, fact, bound):
            continue
        bound[alias] = fact
        used.add(index)
        yield from _tuples(rest, memory, bound, used)
        used.discard(index)
        del bound[alias]


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def evaluate(book: Rulebook, facts: list[dict[str, Any]]) -> list[Firing]:
    """The firings of the rulebook on ``facts``, stage by stage, each stage to a fixpoint."""
    memory = _Memory()
    fired: set[str] = set()
    firings: list[Firing] = []
    for fact in facts:
        memory.add(dict(fact))
    by_stage: dict[str, list[Rule]] = {stage: [] for stage in STAGES}
    for rule in book.rules:
        by_stage[rule.stage].append(rule)
    for stage in STAGES:
        changed = True
        while changed:
            changed = False
            for rule in by_stage[stage]:
                for matched in list(_tuples(rule.patterns(), memory, {}, set())):
                    ident = _key([rule.id, matched])
                    if ident in fired:
                        continue
                    fired.add(ident)
                    snapshot = {alias: dict(fact) for alias, fact in matched.items()}
                    firings.append(Firing(rule.id, snapshot))
                    derived = derived_fact(rule, snapshot)
                    if derived is not None and memory.add(derived):
                        changed = True
    return firings
