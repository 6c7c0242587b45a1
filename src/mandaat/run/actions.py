"""The fixed vocabulary of rule actions: what a firing adds to working memory.

A compiled rule names one of these actions; nothing else can be referenced from a rule. Each action is a
pure function of the rule and the facts it matched; the engine adapter calls it and asserts the result.
This module does not import the engine.
"""

from __future__ import annotations

from typing import Any

from ..model.rulebook import Rule

ENGINE_KEYS = ("sid", "id")
# What an outcome carries of the reading its row speaks of, so that a contest can name both readings.
WITNESS = ("ref", "indicator", "area", "num", "flag", "level", "grade", "date", "kind", "by")


def derived_fact(rule: Rule, matched: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The fact a firing of ``rule`` on ``matched`` asserts, or None for record-only actions. The matched
    facts are as the evaluator records them: without the engine's own keys (``ENGINE_KEYS``)."""
    action = rule.action
    if action == "derive":
        assert rule.fact is not None and rule.establishes is not None
        fact = dict(matched[rule.fact])
        fact["t"] = rule.establishes  # in place of the matched fact's type (same key order)
        return fact
    if action == "mark":  # a small fact of a few of the matched fact's fields: one per distinct value
        assert rule.fact is not None
        seen = matched[rule.fact]
        marked: dict[str, Any] = {"t": rule.establishes}
        marked.update({key: seen[key] for key in rule.adds["keep"]})
        marked.update({key: value for key, value in rule.adds.items() if key != "keep"})
        return marked
    if action == "supersede":
        assert rule.fact is not None and rule.by is not None
        loser, winner = matched[rule.fact], matched[rule.by]
        return {"t": "superseded", "of": loser["t"], "ref": loser["ref"], "by": winner["ref"]}
    if action == "row":  # the outcome of a combination, with the reading the row's text speaks of
        subject = matched.get(rule.fact) if rule.fact else None
        witnesses = sorted({f["ref"] for f in matched.values() if f.get("t") == "cls"})
        fact = {key: subject[key] for key in WITNESS if key in subject} if subject else {"area": ""}
        fact.update({"t": "combo", **rule.adds, "refs": ", ".join(witnesses)})
        return fact
    if action == "part" or (action == "contest" and rule.stage == "area"):
        assert rule.fact is not None
        return {"t": "part", "el": rule.element, "area": matched[rule.fact]["area"], "status": rule.establishes}
    if action in ("status", "contest"):
        if "element" in rule.adds:
            return {"t": "status", **rule.adds, "status": rule.establishes}
        assert rule.fact is not None  # a rule for every element: the outcome says whose
        seen = matched[rule.fact]
        return {
            "t": "status",
            "element": seen["el"],
            "kind": seen["kind"],
            "basis": seen["basis"],
            "status": rule.establishes,
        }
    if action == "ground":
        assert rule.fact is not None
        return {
            "t": "ground",
            "basis": rule.element,
            "verdict": rule.establishes,
            "element": matched[rule.fact]["element"],
        }
    return None  # exclude, note, verdict: recorded in the trace only
