"""The page's working state (a draft), the scenario it stands for, and the variant file that says so.

A draft is the whole of what the page shows: every observation with its value, grade and date, the
theory, the proportionality judgment and ``assessed_on``. The scenario it stands for is the opened
file's data with those facts; the variant file holds only the difference (``remove``, ``replace``,
``add`` and the changed top-level keys), which the variant reader resolves to the same data again.

The opened file is read and validated first, so that a defect in it (the file changed in an editor while
the page was open) is reported at its line; a defect the page's own values make is located at the line
of the observation it changes, or in the page when the page added it. The studio opens scenarios of at
most :data:`MAX_FACTS` observations: each change is evaluated while the adviser waits.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..model.errors import InputError, Problem, UsageError, Words, said
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..model.words import word
from ..read.scenario import parse_scenario
from ..read.variants import WHAT_IF_SOURCE
from ..read.yamlsafe import Locator, PathT, format_path

TERM = "proportionality"  # the one judgment format 1 records
MAX_FACTS = 500  # observations the studio opens: each change is evaluated while the adviser waits


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
    observations: list[Fact] = Field(max_length=MAX_FACTS)
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
        if first.get("loc") == ("observations",) and first.get("type") == "too_long":
            raise UsageError(said("studio_facts_limit", max=MAX_FACTS)) from None
        raise UsageError(said("unreadable_state", where=where, detail=first.get("msg"))) from None


def opened(data: Any, locator: Locator, book: Rulebook) -> Scenario:
    """The scenario of an opened file, validated and located at the file's own lines; InputError when it
    has a defect or more observations than the studio opens."""
    scenario = parse_scenario(data, locator, book)
    if len(scenario.observations) > MAX_FACTS:
        message = said("studio_too_many_facts", count=len(scenario.observations), max=MAX_FACTS)
        hint = said("studio_too_many_facts_hint")
        raise InputError([locator.problem(("observations",), message, hint, key=True)])
    return scenario


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


@dataclass
class DraftLocator(Locator):
    """Where the values of a draft's scenario come from: an observation the page kept from the opened
    file (changed or not) is located in the file, at its own line and path; what the page added has no
    line; the top-level keys are the file's."""

    base: Locator = field(default_factory=lambda: Locator(""))
    kept: dict[int, int] = field(default_factory=dict)  # index in the draft's observations -> in the file's

    def _in_base(self, path: PathT) -> PathT | None:
        if len(path) >= 2 and path[0] == "observations" and isinstance(path[1], int):
            index = self.kept.get(path[1])
            return None if index is None else ("observations", index, *path[2:])
        return path

    def line(self, path: PathT, *, key: bool = False) -> int | None:
        """The line in the opened file, or None for what the page added."""
        found = self._in_base(path)
        return None if found is None else self.base.line(found, key=key)

    def problem(self, path: PathT, message: Words, hint: Words = "", *, key: bool = False) -> Problem:
        """A problem located in the opened file, or in the page (no line) for what the page added."""
        found = self._in_base(path)
        if found is None:
            return Problem(self.file, None, format_path(path), message, hint)
        return self.base.problem(found, message, hint, key=key)


def _draft_locator(base: dict[str, Any], locator: Locator, data: dict[str, Any], edits: dict[str, Any]) -> Locator:
    removed = set(edits.get("remove", []))
    kept = [i for i, o in enumerate(base.get("observations", [])) if o.get("id") not in removed]
    out = DraftLocator(locator.file, base=locator, kept=dict(enumerate(kept)))
    stack: list[tuple[Any, PathT]] = [(data, ())]
    while stack:  # every path of the document, as validation looks paths up there
        value, here = stack.pop()
        out.value_lines[here] = 0
        if isinstance(value, dict):
            stack += [(item, (*here, key)) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(item, (*here, index)) for index, item in enumerate(value)]
    return out


def scenario_of(
    base: dict[str, Any], locator: Locator, draft: Draft, book: Rulebook, lang: str, **own: str
) -> Scenario:
    """The validated scenario a draft of the opened file stands for (``base``, already validated, read
    with ``locator``), with the ``id`` and ``title`` a variant gives it in ``own``; InputError, located
    in the file or in the page, when it is not one."""
    edits = changes(base, draft, book, lang)
    data = {**merged(base, edits), **own}
    return parse_scenario(data, _draft_locator(base, locator, data, edits), book)


def variant_text(
    base_name: str, base: dict[str, Any], draft: Draft, ident: str, title: str, lang: str, book: Rulebook
) -> str:
    """The variant file for a draft: ``extends`` the opened scenario, with the draft's changes."""
    document = {"mandaat": 1, "id": ident, "title": title, "extends": base_name, **changes(base, draft, book, lang)}
    header = "# " + word("studio_variant_header", lang).format(base=base_name) + "\n"
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
