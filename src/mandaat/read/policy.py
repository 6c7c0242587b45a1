"""The evidence policy (rules/evidence.yaml) for the steps that weigh a reading without the engine: the
advice of `validate`, the skeleton of `new`, tipping points and the «vooralsnog» day.

Every value comes from the policy's parameters in force; nothing here knows a grade or a number of days.
The engine runs the same policy as compiled rules (read/compile.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..model.rulebook import KindPolicy, Rulebook
from .parameters import CREDIBILITY, RELIABILITY


def kind_policy(book: Rulebook, kind: str) -> KindPolicy | None:
    """The policy for readings of ``kind`` (fact, act, judgment), if the rulebook declares one."""
    return book.policy.kinds.get(kind)  # type: ignore[call-overload, no-any-return]


def min_grade(book: Rulebook, params: dict[str, Any], kind: str) -> str | None:
    """The lowest grade relied upon for ``kind`` (e.g. ``C3``), or None when grades do not count."""
    policy = kind_policy(book, kind)
    if policy is None:
        return None
    if policy.min_grade:
        return str(params[policy.min_grade])
    if policy.min_reliability and policy.min_credibility:
        return f"{params[policy.min_reliability]}{params[policy.min_credibility]}"
    return None


def max_age(book: Rulebook, params: dict[str, Any], kind: str) -> int | None:
    """How many days a reading of ``kind`` stays current, or None when it does not go stale."""
    policy = kind_policy(book, kind)
    if policy is None or not policy.max_age_days:
        return None
    return int(params[policy.max_age_days])


def graded_enough(book: Rulebook, params: dict[str, Any], kind: str, grade: str) -> bool:
    """Whether ``grade`` meets the policy for ``kind`` (letter and digit each at least as good)."""
    policy = kind_policy(book, kind)
    if policy is None or not grade:
        return policy is not None
    if policy.min_reliability and RELIABILITY.index(grade[0]) > RELIABILITY.index(str(params[policy.min_reliability])):
        return False
    if policy.min_credibility and CREDIBILITY.index(grade[1]) > CREDIBILITY.index(str(params[policy.min_credibility])):
        return False
    if policy.min_grade:
        least = str(params[policy.min_grade])
        if RELIABILITY.index(grade[0]) > RELIABILITY.index(least[0]) or CREDIBILITY.index(grade[1]) > CREDIBILITY.index(
            least[1]
        ):
            return False
    return True


def current(book: Rulebook, params: dict[str, Any], kind: str, as_of: date, assessed: date) -> bool:
    """Whether a reading of ``kind`` dated ``as_of`` is current on ``assessed`` (never after it)."""
    age = (assessed - as_of).days
    limit = max_age(book, params, kind)
    return age >= 0 and (limit is None or age <= limit)


def relied(book: Rulebook, params: dict[str, Any], kind: str, grade: str, as_of: date, assessed: date) -> bool:
    """Whether the policy relies on a reading: current and graded well enough."""
    return current(book, params, kind, as_of, assessed) and graded_enough(book, params, kind, grade)


def last_current_day(book: Rulebook, params: dict[str, Any], kind: str, as_of: date) -> date | None:
    """The last day a reading dated ``as_of`` is current, or None when it does not go stale."""
    limit = max_age(book, params, kind)
    return None if limit is None else as_of + timedelta(days=limit)
