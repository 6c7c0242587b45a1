"""The page's working state (a draft), the scenario it stands for, and the variant file that says so.

A draft is the whole of what the page shows: every observation with its value, grade and date, the
theory, the proportionality judgment and ``assessed_on``. The scenario it stands for is the opened
file's data with those facts; the variant file holds only the difference (``remove``, ``replace``,
``add`` and the changed top-level keys), which the variant reader resolves to the same data again.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..model.errors import UsageError, said
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..model.words import word
from ..read.scenario import parse_scenario
from ..read.variants import WHAT_IF_SOURCE
from ..read.yamlsafe import Locator

TERM = "proportionality"  # the one judgment format 1 records


class Fact(BaseModel):
    """One observation as the page holds it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=100)
    indicator: str = Field(max_length=100)
    value: bool | int | float | str
    grade: str = Field(max_length=2)
    date: str = Field(max_length=10)


class Draft(BaseModel):
    """The page's working state."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(max_length=200)
    observations: list[Fact] = Field(max_length=500)
    theory: str = Field(max_length=100)
    proportionality: bool | None
    assessed_on: str = Field(max_length=10)


def read_draft(payload: Any) -> Draft:
    """A draft from the page's JSON; UsageError when it is not one."""
    try:
        return Draft.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise UsageError(said("unreadable_state", where=where, detail=first.get("msg"))) from None


def _as_of(observation: dict[str, Any]) -> str:
    period = observation.get("period")
    return str(period["to"]) if isinstance(period, dict) else str(observation.get("date"))


def _judged(data: dict[str, Any]) -> bool | None:
    """The latest proportionality judgment's ``holds`` in scenario data, or None."""
    found = [j for j in data.get("judgments", []) if isinstance(j, dict) and j.get("term") == TERM]
    return bool(max(found, key=lambda j: str(j.get("date")))["holds"]) if found else None


def draft_of(name: str, data: dict[str, Any], scenario: Scenario, book: Rulebook) -> Draft:
    """The draft a freshly opened scenario gives: its facts as they are."""
    facts = [
        Fact(id=o.id, indicator=o.indicator, value=o.value, grade=o.grade, date=o.as_of.isoformat())
        for o in scenario.observations
    ]
    return Draft(
        file=name,
        observations=facts,
        theory=scenario.theory or book.theory_on(scenario.law_as_of or scenario.assessed_on),
        proportionality=_judged(data),
        assessed_on=scenario.assessed_on.isoformat(),
    )


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b or (_number(a) and _number(b) and a == b)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _new(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "indicator": fact.indicator,
        "value": fact.value,
        "date": fact.date,
        "source": WHAT_IF_SOURCE,
        "grade": fact.grade,
        "hypothetical": True,
    }


def _edited(original: dict[str, Any], fact: Fact) -> dict[str, Any]:
    """The base observation with the page's value, grade and date. A new value is the adviser's
    hypothesis, not what the source said: it loses the source's quote and note."""
    if not _same(original.get("value"), fact.value) or original.get("indicator") != fact.indicator:
        return _new(fact)
    out = copy.deepcopy(original)
    out["grade"] = fact.grade
    if fact.date != _as_of(original):
        out.pop("period", None)
        out["date"] = fact.date
    return out


def changes(base: dict[str, Any], draft: Draft, book: Rulebook, lang: str) -> dict[str, Any]:
    """What the draft changes in the base's data, as a variant's keys (without the variant's own)."""
    out: dict[str, Any] = {}
    if draft.assessed_on != str(base.get("assessed_on")):
        out["assessed_on"] = draft.assessed_on
    if draft.theory != (base.get("theory") or book.theory_on(date.fromisoformat(str(base.get("assessed_on"))))):
        out["theory"] = draft.theory
    if draft.proportionality != _judged(base):
        kept = [j for j in base.get("judgments", []) if not (isinstance(j, dict) and j.get("term") == TERM)]
        if draft.proportionality is not None:
            kept.append(
                {
                    "term": TERM,
                    "holds": draft.proportionality,
                    "by": WHAT_IF_SOURCE,
                    "date": draft.assessed_on,
                    "rationale": word("studio_judgment_rationale", lang),
                }
            )
        out["judgments"] = kept
    originals = {o.get("id"): o for o in base.get("observations", []) if isinstance(o, dict)}
    wanted = {fact.id: fact for fact in draft.observations}
    removed = [ident for ident in originals if ident not in wanted]
    replaced = [_edited(originals[i], f) for i, f in wanted.items() if i in originals]
    replaced = [o for o in replaced if o != originals[o["id"]]]
    added = [_new(f) for i, f in wanted.items() if i not in originals]
    for key, value in (("remove", removed), ("replace", replaced), ("add", added)):
        if value:
            out[key] = value
    return out


def merged(base: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """The base's data with a variant's edits, in the order the variant reader applies them."""
    data = {k: copy.deepcopy(v) for k, v in base.items() if k != "observations"}
    data.update({k: v for k, v in edits.items() if k not in ("remove", "replace", "add")})
    removed = set(edits.get("remove", []))
    replaced = {o["id"]: o for o in edits.get("replace", [])}
    observations = [replaced.get(o.get("id"), o) for o in base.get("observations", []) if o.get("id") not in removed]
    data["observations"] = copy.deepcopy(observations + edits.get("add", []))
    return data


def scenario_of(base: dict[str, Any], draft: Draft, book: Rulebook, lang: str, **own: str) -> Scenario:
    """The validated scenario a draft stands for, with the ``id`` and ``title`` a variant gives it in
    ``own`` (InputError, located in the draft, when it is not one)."""
    data = {**merged(base, changes(base, draft, book, lang)), **own}
    return parse_scenario(data, Locator(draft.file), book)


def variant_text(
    base_name: str, base: dict[str, Any], draft: Draft, ident: str, title: str, lang: str, book: Rulebook
) -> str:
    """The variant file for a draft: ``extends`` the opened scenario, with the draft's changes."""
    document = {"mandaat": 1, "id": ident, "title": title, "extends": base_name, **changes(base, draft, book, lang)}
    header = "# " + word("studio_variant_header", lang).format(base=base_name) + "\n"
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
