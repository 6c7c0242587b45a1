"""The fixed vocabulary of rule actions: what a firing adds to working memory.

A rule names one of these actions; nothing else can be referenced from a rule file. Each action is a pure
function of the rule and the facts it matched; the engine adapter calls it and asserts the result. This
module does not import the engine.
"""

from __future__ import annotations

from typing import Any

from ..model.rulebook import Rule

ENGINE_KEYS = ("sid", "id")


def derived_fact(rule: Rule, matched: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The fact a firing of ``rule`` on ``matched`` asserts, or None for record-only actions. The matched
    facts are as the evaluator records them: without the engine's own keys (``ENGINE_KEYS``)."""
    if rule.action == "derive":
        assert rule.fact is not None and rule.establishes is not None
        fact = dict(matched[rule.fact])
        fact["t"] = rule.establishes  # in place of the matched fact's own type (same key order)
        return fact
    if rule.action == "supersede":
        assert rule.fact is not None and rule.by is not None
        loser, winner = matched[rule.fact], matched[rule.by]
        return {"t": "superseded", "of": loser["t"], "ref": loser["ref"], "by": winner["ref"]}
    if rule.action == "status":
        return {"t": "status", "element": rule.element, "status": rule.establishes}
    if rule.action == "ground":
        assert rule.fact is not None
        return {
            "t": "ground",
            "basis": rule.element,
            "verdict": rule.establishes,
            "element": matched[rule.fact]["element"],
        }
    return None  # exclude, note, verdict: recorded in the trace only
