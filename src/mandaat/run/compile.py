"""Compile the rulebook into a durable-rules ruleset definition (plain data, no engine import).

Each rule's ``when.all`` is passed through unchanged; rules after the first stage get a gate pattern in
front, so they can only fire once the engine adapter opens their stage. The action name of every rule
is its own id; the adapter resolves it to the rule's action.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..model.rulebook import STAGES, Rulebook

RULESET_PREFIX = "mandaat"
GATE_ALIAS = "gate__"


def stage_number(stage: str) -> int:
    """0 for the stage that runs as facts arrive; 1.. for the gated stages."""
    return STAGES.index(stage)


def gate_fact(number: int) -> dict[str, Any]:
    """The fact that opens stage ``number``."""
    return {"t": "gate", "stage": number}


def compile_rulebook(book: Rulebook) -> tuple[str, dict[str, Any]]:
    """The ruleset name (stable for identical rules) and its durable-rules definition."""
    rules: dict[str, Any] = {}
    for rule in book.rules:
        patterns = list(rule.when["all"])  # the patterns themselves are shared, never changed
        number = stage_number(rule.stage)
        if number > 0:
            patterns.insert(0, {GATE_ALIAS: {"$and": [{"t": "gate"}, {"stage": number}]}})
        rules[rule.id] = {"all": patterns, "run": rule.id}
    digest = hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()[:16]
    return f"{RULESET_PREFIX}_{digest}", rules
