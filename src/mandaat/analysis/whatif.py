"""What-if analysis: a scenario against a changed copy of itself, and side-by-side comparison.

Every answer is computed by evaluating real scenarios through the pipeline (durable-rules by default);
nothing here decides a status itself. A change is a small value object (set an indicator, record a
judgment, switch theory, make an observation stale or unconfirmed, remove an indicator's evidence);
:func:`apply` turns a scenario plus changes into a new, validated scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from ..model.errors import UsageError
from ..run.facts import build_facts, clean_number, settings_for
from ..pipeline import Options, evaluate_scenario
from ..model.report import Reason, Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..read.variants import hypothetical

STATUS_RANK = {"met": 3, "weakening": 2, "unknown": 1, "not_met": 0}
VERDICT_RANK = {"holds": 3, "at_risk": 2, "undetermined": 1, "lapsed": 0}
SYRIA_ELEMENTS = ("E1", "E2", "E3", "E4")


@dataclass(frozen=True)
class Change:
    """One hypothetical change to a scenario."""

    kind: str  # set | absent | judgment | theory | stale | unconfirmed | param
    target: str  # indicator, observation id, judgment term, parameter name, or "theory"
    value: Any = None
    current: Any = None
    threshold: float | None = None  # for a value placed at or just past a parameter's threshold
    relation: str | None = None  # "below", "at" or "above" the threshold

    def distance(self) -> float:
        """How far the change moves from today's value (numbers relative; anything else counts 1)."""
        if self.kind == "set" and _is_number(self.value) and _is_number(self.current):
            return abs(self.value - self.current) / max(abs(self.current), 1.0)
        return 1.0

    def describe(self) -> str:
        """The change in words."""
        if self.kind == "set":
            now = f" (now {_show(self.current)})" if self.current is not None else " (now no evidence)"
            if self.threshold is not None and self.relation in ("below", "above"):
                return f"{self.target} {self.relation} {_show(self.threshold)}{now}"
            return f"{self.target} = {_show(self.value)}{now}"
        if self.kind == "absent":
            return f"no relied-upon evidence on {self.target} (now {_show(self.current)})"
        if self.kind == "judgment":
            if self.value is None:
                return f"no {self.target} judgment"
            return f"{self.target} judgment {'positive' if self.value else 'negative'}"
        if self.kind == "theory":
            return f"theory {self.value} (now {self.current})"
        if self.kind == "stale":
            return f"observation {self.target} becomes stale"
        if self.kind == "unconfirmed":
            return f"observation {self.target} graded {self.value}, below the evidence policy"
        if self.kind == "param":
            return f"parameter {self.target} = {_show(self.value)} (now {_show(self.current)})"
        return f"{self.kind} {self.target}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"kind": self.kind, "target": self.target, "value": self.value, "current": self.current,
                "threshold": self.threshold, "relation": self.relation, "text": self.describe()}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return str(clean_number(value))
    return str(value)


@dataclass
class Outcome:
    """Statuses and verdicts of one evaluation."""

    statuses: dict[str, str]
    verdicts: dict[str, str]


def _data(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


def apply(scenario: Scenario, book: Rulebook, changes: Sequence[Change]) -> tuple[Scenario, str | None, dict[str, Any]]:
    """The scenario with ``changes`` applied, plus the theory and parameter overrides they imply."""
    data = _data(scenario)
    theory: str | None = None
    params: dict[str, Any] = {}
    max_age = int(settings_for(scenario, book).params["evidence_max_age_days"])
    for change in changes:
        observations = data.setdefault("observations", [])
        if change.kind == "set":
            data["observations"] = [o for o in observations if o["indicator"] != change.target]
            data["observations"].append(hypothetical(change.target, change.value, data["assessed_on"]))
        elif change.kind == "absent":
            data["observations"] = [o for o in observations if o["indicator"] != change.target]
        elif change.kind == "judgment":
            data["judgments"] = [j for j in data.get("judgments", []) if j["term"] != change.target]
            if change.value is not None:
                data["judgments"].append({"term": change.target, "holds": change.value, "by": "what-if",
                                          "date": data["assessed_on"], "rationale": "what-if"})
        elif change.kind == "theory":
            theory = change.value
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
        elif change.kind == "param":
            params[change.target] = change.value
    try:
        changed = Scenario.model_validate(data, context={"rulebook": book})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise UsageError(f"the change makes the scenario invalid: {first.get('msg')}") from None
    return changed, theory, params


def quick_outcome(scenario: Scenario, book: Rulebook, theory: str | None = None,
                  params: dict[str, Any] | None = None) -> Outcome:
    """Statuses and verdicts from the engine's firings, without building the full report."""
    from ..run.durable import engine

    settings = settings_for(scenario, book, theory=theory, params=params or {})
    firings = engine().evaluate(book, build_facts(scenario, book, settings))
    rules = {rule.id: rule for rule in book.rules}
    statuses: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    for firing in firings:
        rule = rules[firing.rule]
        if rule.action == "status":
            statuses[rule.element] = str(rule.establishes)
        elif rule.action == "verdict":
            verdicts[rule.element] = str(rule.establishes)
    return Outcome(statuses, verdicts)


# --- whatif and compare -------------------------------------------------------------------------------


@dataclass
class ElementChange:
    """An element whose status differs between two reports."""

    element: str
    before: str
    after: str
    appeared: list[Reason]
    disappeared: list[Reason]


@dataclass
class Difference:
    """What changed between two reports."""

    verdicts: dict[str, tuple[str, str]]
    elements: list[ElementChange]
    evidence_added: list[str]
    evidence_removed: list[str]

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not self.verdicts and not self.elements and not self.evidence_added and not self.evidence_removed

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "verdicts": {k: {"before": a, "after": b} for k, (a, b) in self.verdicts.items()},
            "elements": [{"element": c.element, "before": c.before, "after": c.after,
                          "reasons_appeared": [r.model_dump(mode="json") for r in c.appeared],
                          "reasons_disappeared": [r.model_dump(mode="json") for r in c.disappeared]}
                         for c in self.elements],
            "evidence_added": self.evidence_added, "evidence_removed": self.evidence_removed,
        }


def _reason_key(reason: Reason) -> tuple[str, str]:
    return reason.rule, reason.text


def difference(before: Report, after: Report) -> Difference:
    """Everything that differs between two reports: verdicts, element statuses with reasons, evidence."""
    verdicts = {basis: (getattr(before.verdict, basis), getattr(after.verdict, basis)) for basis in ("syria", "iraq")
                if getattr(before.verdict, basis) != getattr(after.verdict, basis)}
    changes: list[ElementChange] = []
    old = {**before.elements, **before.conditions}
    new = {**after.elements, **after.conditions}
    for name in old:
        if old[name].status != new[name].status:
            gone = {_reason_key(r) for r in new[name].reasons}
            came = {_reason_key(r) for r in old[name].reasons}
            changes.append(ElementChange(name, old[name].status, new[name].status,
                                         [r for r in new[name].reasons if _reason_key(r) not in came],
                                         [r for r in old[name].reasons if _reason_key(r) not in gone]))
    relied_before = {i.observation: i.value for i in before.evidence.relied_upon}
    relied_after = {i.observation: i.value for i in after.evidence.relied_upon}
    added = sorted(k for k in relied_after if relied_before.get(k) != relied_after[k])
    removed = sorted(k for k in relied_before if relied_after.get(k) != relied_before[k])
    return Difference(verdicts, changes, added, removed)


@dataclass
class WhatIf:
    """A scenario, the same scenario changed, and what changed."""

    changes: list[Change]
    base: Report
    variant: Report
    difference: Difference


def parse_set(book: Rulebook, text: str) -> Change:
    """``INDICATOR=VALUE`` as a set change, the value read by the indicator's type."""
    from ..model.errors import did_you_mean
    from ..model.scenario import check_indicator_value

    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    if not sep or not name or not raw:
        raise UsageError(f"--set {text!r}: write INDICATOR=VALUE, e.g. attacks_from_syria_per_week=1")
    if name not in book.indicators:
        hint = did_you_mean(name, book.indicators) or "see `mandaat schema`"
        raise UsageError(f"--set: unknown indicator {name!r} ({hint})")
    ind = book.indicators[name]
    value: Any = raw
    if ind.type == "boolean":
        if raw not in ("true", "false"):
            raise UsageError(f"--set {name}: {raw!r} is not a boolean (write true or false)")
        value = raw == "true"
    elif ind.type in ("number", "integer"):
        try:
            value = int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError:
            raise UsageError(f"--set {name}: {raw!r} is not a number") from None
    try:
        check_indicator_value(book, name, value)
    except ValueError as exc:
        raise UsageError(f"--set {name}: {str(exc).replace(' || ', ' (')}" + ("" if " || " not in str(exc) else ")"))
    return Change("set", name, value)


def whatif(scenario: Scenario, book: Rulebook, changes: Sequence[Change], options: Options = Options()) -> WhatIf:
    """Evaluate ``scenario`` and its changed copy; report both and the difference."""
    base = evaluate_scenario(scenario, book, options)
    current = current_values(scenario, base)
    settings = settings_for(scenario, book, theory=options.theory, params=options.params)
    changes = [_with_current(c, current, base, settings.params) for c in changes]
    changed, theory, params = apply(scenario, book, changes)
    variant_options = Options(lang=options.lang, theory=theory or options.theory,
                              params={**options.params, **params}, as_of=options.as_of, engine=options.engine)
    variant = evaluate_scenario(changed, book, variant_options)
    return WhatIf(list(changes), base, variant, difference(base, variant))


def _with_current(change: Change, current: dict[str, Any], base: Report, params: dict[str, Any]) -> Change:
    """The change with today's value filled in, for the record."""
    now: Any = change.current
    if change.kind in ("set", "absent"):
        now = current.get(change.target)
    elif change.kind == "theory":
        now = base.scenario.theory
    elif change.kind == "param":
        now = params.get(change.target)
    elif change.kind == "judgment":
        now = {"met": True, "not_met": False}.get(base.conditions["PROP"].status)
    return Change(change.kind, change.target, change.value, now, change.threshold, change.relation)


@dataclass
class Comparison:
    """Several reports side by side, and what changed from each column to the next."""

    reports: list[Report]
    differences: list[Difference]


def compare(scenarios: Sequence[Scenario], book: Rulebook, options: Options = Options()) -> Comparison:
    """Evaluate each scenario; the differences run from each column to the next."""
    reports = [evaluate_scenario(s, book, options) for s in scenarios]
    return Comparison(reports, [difference(a, b) for a, b in zip(reports, reports[1:])])


def current_values(scenario: Scenario, report: Report) -> dict[str, Any]:
    """The value of each indicator's counting observation."""
    by_id = {o.id: o for o in scenario.observations}
    return {by_id[i.observation].indicator: by_id[i.observation].value for i in report.evidence.relied_upon}
