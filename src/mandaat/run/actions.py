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
    if action in ("derive", "classify"):
        assert rule.fact is not None and rule.establishes is not None
        fact = dict(matched[rule.fact])
        fact["t"] = "cls" if action == "classify" else rule.establishes  # in place of the matched fact's type
        fact.update(rule.adds)
        return fact
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
    if action in ("part", "contest"):
        assert rule.fact is not None
        return {"t": "part", "el": rule.element, "area": matched[rule.fact]["area"], "status": rule.establishes}
    if action == "status":
        return {"t": "status", **rule.adds, "status": rule.establishes}
    if action == "ground":
        assert rule.fact is not None
        return {
            "t": "ground",
            "basis": rule.element,
            "verdict": rule.establishes,
            "element": matched[rule.fact]["element"],
        }
    return None  # exclude, note, verdict: recorded in the trace only
