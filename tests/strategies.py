"""Hypothesis strategies that generate valid format-1 scenarios (as plain data)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from mandaat.pipeline import rulebook

from .conftest import ROOT

BOOK = rulebook(ROOT / "rules")
ASSESSED = date(2018, 4, 13)
NUMBERS = [0, 0.5, 1, 2, 2.5, 2.9999, 3, 3.0001, 4, 6, 7, 50]


@st.composite
def observation_value(draw: st.DrawFn, indicator: str) -> Any:
    """A value of the indicator's type, often on or near a threshold."""
    ind = BOOK.indicators[indicator]
    if ind.type == "boolean":
        return draw(st.booleans())
    if ind.type == "enum":
        return draw(st.sampled_from(sorted(ind.values or {})))
    if ind.type == "integer":
        return draw(st.integers(0, 20000))
    return draw(st.one_of(st.sampled_from(NUMBERS), st.integers(0, 400_000).map(lambda n: n / 10_000)))


@st.composite
def observation(draw: st.DrawFn, index: int, indicator: str) -> dict[str, Any]:
    """One observation, dated around the 60-day window and graded anywhere on the Admiralty scale."""
    offset = draw(st.one_of(st.integers(-3, 70), st.sampled_from([0, 59, 60, 61, -1])))
    obs: dict[str, Any] = {
        "id": f"obs-{index}",
        "indicator": indicator,
        "value": draw(observation_value(indicator)),
        "source": draw(st.sampled_from(["Coalition reporting", {"name": "MIVD", "origin": "national"}])),
        "grade": draw(st.sampled_from("ABCDEF")) + str(draw(st.integers(1, 6))),
    }
    day = (ASSESSED - timedelta(days=offset)).isoformat()
    if draw(st.booleans()):
        obs["date"] = day
    else:
        start = (ASSESSED - timedelta(days=offset + draw(st.integers(0, 30)))).isoformat()
        obs["period"] = {"from": start, "to": day}
    return obs


RELIED_GRADES = [r + c for r in "ABC" for c in "123"]


def favourable_value(indicator: str) -> st.SearchStrategy[Any]:
    """A value that favours the mandate (so that generated verdicts are not nearly always `lapsed`)."""
    ind = BOOK.indicators[indicator]
    if ind.type == "boolean":
        return st.just(ind.favours_mandate)
    if ind.type == "enum":
        assert isinstance(ind.favours_mandate, list)
        return st.sampled_from(ind.favours_mandate[-2:])
    return st.sampled_from([3, 4, 6, 50] if ind.favours_mandate == "higher" else [0])


@st.composite
def relied_observation(draw: st.DrawFn, index: int, indicator: str) -> dict[str, Any]:
    """An observation the evidence policy relies upon under any generated parameters: graded C3 or better
    and dated within the last 30 days (the shortest evidence_max_age_days generated); its value is any
    value, or one that favours the mandate."""
    value = draw(st.one_of(observation_value(indicator), favourable_value(indicator)))
    return {
        "id": f"focus-{index}",
        "indicator": indicator,
        "value": value,
        "date": (ASSESSED - timedelta(days=draw(st.integers(0, 30)))).isoformat(),
        "source": "focus",
        "grade": draw(st.sampled_from(RELIED_GRADES)),
    }


@st.composite
def scenarios(draw: st.DrawFn, focus: tuple[str, ...] = (), judged: bool = False) -> dict[str, Any]:
    """A valid scenario: any indicators, conflicting and stale observations, judgments, theory, params.

    For each indicator in ``focus`` the scenario also holds one relied-upon observation of it, so that a
    property about that indicator's element is tested on a known status, not only on `unknown`. With
    ``judged`` it also holds a proportionality judgment that is considered (dated on or before assessed_on)."""
    indicators = draw(st.lists(st.sampled_from(sorted(BOOK.indicators)), max_size=22))
    observations = [draw(observation(i, name)) for i, name in enumerate(indicators)]
    for i, name in enumerate(focus):
        where = draw(st.integers(0, len(observations)))
        observations.insert(where, draw(relied_observation(i, name)))
    judgments = draw(
        st.lists(
            st.builds(
                lambda holds, offset: {
                    "term": "proportionality",
                    "holds": holds,
                    "by": "DJZ",
                    "date": (ASSESSED - timedelta(days=offset)).isoformat(),
                    "rationale": "r",
                },
                st.booleans(),
                st.integers(-2, 30),
            ),
            max_size=2,
        )
    )
    if judged:
        judgments.append(
            {
                "term": "proportionality",
                "holds": draw(st.booleans()),
                "by": "focus",
                "date": (ASSESSED - timedelta(days=draw(st.integers(0, 30)))).isoformat(),
                "rationale": "r",
            }
        )
    data: dict[str, Any] = {"mandaat": 1, "id": "generated", "title": "Generated", "assessed_on": ASSESSED.isoformat()}
    if draw(st.booleans()):
        data["theory"] = draw(st.sampled_from(sorted(BOOK.theories)))
    if draw(st.booleans()):
        data["params"] = {
            "e1_met_min_attacks_per_week": draw(st.sampled_from([1, 2.5, 3, 5])),
            "evidence_max_age_days": draw(st.sampled_from([30, 60, 90])),
        }
    data["observations"] = observations
    data["judgments"] = judgments
    return data
