"""What an evaluator returns: which rule fired on which facts. Both evaluators produce it; explain reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Firing:
    """One rule firing: the rule and the facts it matched, keyed by pattern alias."""

    rule: str
    matched: dict[str, dict[str, Any]]
