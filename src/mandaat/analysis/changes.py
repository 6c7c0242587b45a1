"""Hypothetical changes to a scenario: what they are, how they read, and applying them.

A change sets an indicator's value (a hypothetical observation), removes its evidence, records a
judgment, switches the theory, makes an observation stale or under-graded, or overrides a parameter.
Applying changes gives a new validated scenario and the options it runs with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from ..explain.reasons import display_value
from ..model.errors import Refusal, UsageError, about, said, suggestion, yaml_scalar
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario, check_indicator_value
from ..model.words import catalogue, number, with_unit, word
from ..pipeline import Options
from ..pipeline import settings as pipeline_settings
from ..read.parameters import parse_assignment, read_value
from ..read.variants import hypothetical


@dataclass(frozen=True)
class Change:
    """One hypothetical change to a scenario."""

    kind: str  # set | dispute | absent | judgment | theory | stale | unconfirmed | param
    target: str  # indicator, observation id, judgment term, parameter name, or "theory"
    value: Any = None
    current: Any = None
    threshold: float | None = None  # for a value placed at or just past a parameter's threshold
    relation: str | None = None  # "below", "at" or "above" the threshold

    def distance(self) -> float:
        """How far the change moves from today's value (numbers relative; anything else counts 1)."""
        if self.kind == "set" and _is_number(self.value) and _is_number(self.current):
            return float(abs(self.value - self.current) / max(abs(self.current), 1.0))
        return 1.0

    def describe(self, book: Rulebook | None = None, lang: str = "en") -> str:
        """The change in words, in ``lang``: indicators by their label from the rulebook's vocabulary (by
        their technical name without a rulebook), values and thresholds with their unit."""
        target = self.target
        if self.kind in ("set", "absent"):
            label = indicator_label(book, target, lang) if book else target
            now = _now(book, target, self.current, lang)
            if self.kind == "absent":
                return word("change_absent", lang).format(label=label, now=now)
            if self.threshold is not None and self.relation in ("below", "above"):
                shown = quantity(book, target, self.threshold, lang)
                return word(f"change_{self.relation}", lang).format(label=label, value=shown, now=now)
            return word("change_set", lang).format(label=label, value=quantity(book, target, self.value, lang), now=now)
        if self.kind == "dispute":
            label = indicator_label(book, target, lang) if book else target
            reading, now = quantity(book, target, self.value, lang), quantity(book, target, self.current, lang)
            return word("change_dispute", lang).format(label=label, value=reading, now=now)
        if self.kind == "judgment":
            term = _term(target, lang)
            verdict = "none" if self.value is None else ("positive" if self.value else "negative")
            return word(f"change_judgment_{verdict}", lang).format(term=term)
        if self.kind == "theory":
            now = word("change_now", lang).format(value=_theory(book, self.current, lang))
            return word("change_theory", lang).format(value=_theory(book, self.value, lang), now=now)
        if self.kind == "param":
            now = word("change_now", lang).format(value=yaml_scalar(self.current))
            return word("change_param", lang).format(target=target, value=yaml_scalar(self.value), now=now)
        if self.kind in ("stale", "unconfirmed"):
            return word(f"change_{self.kind}", lang).format(target=target, value=self.value)
        return f"{self.kind} {target}"

    def as_dict(self, book: Rulebook | None = None, lang: str = "en") -> dict[str, Any]:
        """JSON-ready form (``text`` in ``lang``)."""
        return {
            "kind": self.kind,
            "target": self.target,
            "value": self.value,
            "current": self.current,
            "threshold": self.threshold,
            "relation": self.relation,
            "text": self.describe(book, lang),
        }


def indicator_label(book: Rulebook, name: str, lang: str) -> str:
    """An indicator as a reader sees it: its label from the vocabulary, else its technical name."""
    ind = book.indicators.get(name)
    return ind.label.get(lang) if ind is not None and ind.label is not None else name


def quantity(book: Rulebook | None, indicator: str, value: Any, lang: str) -> str:
    """A value of ``indicator`` as a reader of ``lang`` writes it: numbers with their unit, booleans as
    yes/no, enum values by their label."""
    if book is None or indicator not in book.indicators:
        return yaml_scalar(value)
    if _is_number(value):
        return with_unit(value, book.indicators[indicator].unit, lang)
    return display_value(book, indicator, value, lang)


def _now(book: Rulebook | None, indicator: str, current: Any, lang: str) -> str:
    if current is None:
        return word("change_now_nothing", lang)
    shown = number(current, lang) if _is_number(current) else quantity(book, indicator, current, lang)
    return word("change_now", lang).format(value=shown)


def _term(term: str, lang: str) -> str:
    key = f"term_{term}"
    return word(key, lang) if key in catalogue() else term


def _theory(book: Rulebook | None, theory: Any, lang: str) -> str:
    if book is not None and theory in book.theories:
        return book.theories[theory].title.get(lang)
    return str(theory)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _data(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


def apply(
    scenario: Scenario, book: Rulebook, changes: Sequence[Change], options: Options = Options()
) -> tuple[Scenario, Options]:
    """The scenario with ``changes`` applied, and the options (theory, parameters) they imply."""
    data = _data(scenario)
    theory: str | None = None
    params: dict[str, Any] = {}
    for change in changes:
        if change.kind == "theory":
            theory = change.value
        elif change.kind == "param":
            params[change.target] = change.value
    changed_options = options.changed(theory, params)
    max_age = int(pipeline_settings(scenario, book, changed_options).params["evidence_max_age_days"])
    for change in changes:
        _apply_one(data, change, max_age, changed_options.lang)
    try:
        changed = Scenario.model_validate(data, context={"rulebook": book})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        error = (first.get("ctx") or {}).get("error")
        detail = error.message if isinstance(error, Refusal) else first.get("msg")
        raise UsageError(said("change_invalid", detail=detail)) from None
    return changed, changed_options


def _apply_one(data: dict[str, Any], change: Change, max_age: int, lang: str = "en") -> None:
    """Apply one change to a scenario's data, in place (theory and parameters live in the options)."""
    observations = data.setdefault("observations", [])
    if change.kind == "set":
        data["observations"] = [o for o in observations if o["indicator"] != change.target]
        data["observations"].append(hypothetical(change.target, change.value, data["assessed_on"]))
    elif change.kind == "dispute":  # two readings of one date and grade that differ: contested evidence
        data["observations"] = [o for o in observations if o["indicator"] != change.target]
        for value in (change.current, change.value):
            reading = hypothetical(change.target, value, data["assessed_on"])
            reading["id"] += "-" + str(value).lower().replace(".", "-")
            data["observations"].append(reading)
    elif change.kind == "absent":
        data["observations"] = [o for o in observations if o["indicator"] != change.target]
    elif change.kind == "judgment":
        data["judgments"] = [j for j in data.get("judgments", []) if j["term"] != change.target]
        if change.value is not None:
            data["judgments"].append(
                {
                    "term": change.target,
                    "holds": change.value,
                    "by": word("whatif_judge", lang),
                    "date": data["assessed_on"],
                    "rationale": word("whatif_rationale", lang),
                }
            )
    elif change.kind == "stale":
        stale_day = (date.fromisoformat(data["assessed_on"]) - timedelta(days=max_age + 1)).isoformat()
        for obs in observations:
            if obs["id"] == change.target:
                obs.pop("period", None)
                obs["date"] = stale_day
    elif change.kind == "unconfirmed":
        for obs in observations:
            if obs["id"] == change.target:
                obs["grade"] = change.value


def parse_set(book: Rulebook, text: str) -> Change:
    """``INDICATOR=VALUE`` as a set change, the value read as in a scenario file and checked by the
    indicator's type (UsageError when it does not fit)."""
    try:
        name, raw = parse_assignment(text, "attacks_from_syria_per_week=1")
    except Refusal as exc:
        raise UsageError(about("--set", exc.message)) from None
    if name not in book.indicators:
        hint = suggestion(name, book.indicators, said("see_schema_list"))
        raise UsageError(about("--set", said("unknown_indicator", name=repr(name)), hint))
    try:
        value = check_indicator_value(book, name, read_value(raw))
    except Refusal as exc:
        raise UsageError(about(f"--set {name}", exc.message, exc.hint)) from None
    return Change("set", name, value)


def requested_changes(
    book: Rulebook,
    scenario: Scenario,
    sets: Sequence[str],
    judgments: Sequence[str],
    theory: str | None,
    params: dict[str, Any],
) -> list[Change]:
    """The changes a what-if asks for: ``--set`` values, ``--judgment`` terms, a theory, parameters."""
    changes = [parse_set(book, text) for text in sets]
    terms = book.judgment_terms()
    for text in judgments:
        term, _, raw = text.partition("=")
        if term.strip() not in terms or raw.strip() not in ("true", "false"):
            forms = tuple(said("judgment_form", term=t) for t in terms)
            raise UsageError(about("--judgment", said("write_judgment", text=repr(text), forms=forms)))
        changes.append(Change("judgment", term.strip(), raw.strip() == "true"))
    if theory:
        changes.append(Change("theory", "theory", theory, scenario.theory))
    return changes + [Change("param", name, value) for name, value in params.items()]
