"""Compile the rulebook's declarations into the rules durable-rules runs.

The declarations say the law (the evidence policy, each element's test as a template, the verdict tables);
this module writes the plumbing: durable-rules conditions, one rule per step, each with a stable id, an
action from a fixed vocabulary, and the reason and citation a firing reports. It runs when the rulebook
loads (and is cached with it); it imports no engine and decides nothing by itself: every condition comes
from a declaration.

The compiled rules work in stages (:data:`~mandaat.model.rulebook.STAGES`):
- evidence, resolution, selection: the policy of evidence.yaml, per series (an indicator, or a judgment's
  term, and the area a reading speaks of): which readings are relied upon, the newest date, grade
  dominance, one speaking reading per value;
- classify: each speaking reading gets its class for each element that reads it (above or below a
  threshold, a flag's value, a level);
- combine: each combination of classes that the readings show gives the outcome of the element's test (a
  *cell*: the classes of each indicator, or its absence);
- area: per series of areas, the outcome, or contested when the combinations differ;
- status: the element's status from its areas;
- ground, verdict: the verdict tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model.rulebook import ElementDef, Rule, Rulebook, Say, Test, Text

MISSING = "missing"
# The order in which an element's status is found from its areas: met if any area is met, else contested
# if any is, and so on (DESIGN §2.2, Areas).
AREA_ORDER = ("met", "contested", "weakening", "unknown", "not_met")


def _pattern(alias: str, *conditions: dict[str, Any]) -> dict[str, Any]:
    expr: dict[str, Any] = conditions[0] if len(conditions) == 1 else {"$and": list(conditions)}
    return {alias: expr}


def _param(alias: str, name: str) -> dict[str, Any]:
    return _pattern(alias, {"t": "param"}, {"name": name})


def _text(say: Text) -> Text:
    return Text(nl=say.nl, en=say.en)


@dataclass
class _Out:
    """The rules compiled so far, with the declaration each came from."""

    rules: list[Rule] = field(default_factory=list)

    def add(self, **fields: Any) -> None:
        self.rules.append(Rule.model_validate(fields))


# ---------------------------------------------------------------------------------------------------------
# The evidence policy


_FACT_STEPS = {  # step -> (alias of the parameter fact, parameter field of the kind)
    "min_reliability": ("pr", "reliability"),
    "min_credibility": ("pc", "credibility"),
    "max_age_days": ("pa", "age_days"),
}


def _say(book: Rulebook, step: str, kind: str) -> Text:
    found = book.policy.say.get(f"{step}_{kind}") or book.policy.say[step]
    return found


def _relied_conditions(book: Rulebook, kind: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The parameter patterns and the conditions on the reading that make a reading of ``kind`` relied upon."""
    policy = book.policy.kinds[kind]  # type: ignore[index]
    params: list[dict[str, Any]] = []
    conditions: list[dict[str, Any]] = [{"t": "obs"}, {"kind": kind}, {"$gte": {"age_days": 0}}]
    if policy.min_reliability:
        params.append(_param("pr", policy.min_reliability))
        conditions.append({"$lte": {"reliability": {"pr": "value"}}})
    if policy.min_credibility:
        params.append(_param("pc", policy.min_credibility))
        conditions.append({"$lte": {"credibility": {"pc": "value"}}})
    if policy.min_grade:
        params.append(_param("pg", policy.min_grade))
        conditions += [{"$lte": {"reliability": {"pg": "value"}}}, {"$lte": {"credibility": {"pg": "credibility"}}}]
    if policy.max_age_days:
        params.append(_param("pa", policy.max_age_days))
        conditions.append({"$lte": {"age_days": {"pa": "value"}}})
    return params, conditions


def _evidence_stage(book: Rulebook, out: _Out) -> None:
    origin = "evidence.yaml"
    for kind, policy in book.policy.kinds.items():
        params, conditions = _relied_conditions(book, kind)
        say = _say(book, "relied", kind)
        for single in (False, True):
            out.add(
                id=f"evidence-relied-upon-{kind}" + ("-single" if single else ""),
                element="evidence",
                stage="evidence",
                action="derive",
                establishes="evidence" if single else "relied",
                fact="o",
                when={"all": [*params, _pattern("o", *conditions, {"single": single})]},
                reason=say,
                cite=policy.cite,
                origin=f"{origin} › kinds › {kind}",
            )
        base: list[dict[str, Any]] = [{"t": "obs"}, {"kind": kind}, {"primary": True}]
        if policy.min_reliability:
            out.add(
                id=f"evidence-unconfirmed-source-{kind}",
                element="evidence",
                stage="evidence",
                action="exclude",
                establishes="unconfirmed",
                fact="o",
                when={
                    "all": [
                        _param("pr", policy.min_reliability),
                        _pattern("o", *base, {"$gt": {"reliability": {"pr": "value"}}}),
                    ]
                },
                reason=_say(book, "unconfirmed_source", kind),
                cite=policy.cite,
                origin=f"{origin} › kinds › {kind} › min_reliability",
            )
        if policy.min_credibility:
            out.add(
                id=f"evidence-unconfirmed-information-{kind}",
                element="evidence",
                stage="evidence",
                action="exclude",
                establishes="unconfirmed",
                fact="o",
                when={
                    "all": [
                        _param("pc", policy.min_credibility),
                        _pattern("o", *base, {"$gt": {"credibility": {"pc": "value"}}}),
                    ]
                },
                reason=_say(book, "unconfirmed_information", kind),
                cite=policy.cite,
                origin=f"{origin} › kinds › {kind} › min_credibility",
            )
        if policy.min_grade:
            weaker = {
                "$or": [{"$gt": {"reliability": {"pg": "value"}}}, {"$gt": {"credibility": {"pg": "credibility"}}}]
            }
            out.add(
                id=f"evidence-to-confirm-{kind}",
                element="evidence",
                stage="evidence",
                action="exclude",
                establishes="unconfirmed",
                fact="o",
                when={"all": [_param("pg", policy.min_grade), _pattern("o", *base, {"$gte": {"age_days": 0}}, weaker)]},
                reason=_say(book, "act_to_confirm", kind),
                cite=policy.cite,
                origin=f"{origin} › kinds › {kind} › min_grade",
            )
        if policy.max_age_days:
            out.add(
                id=f"evidence-stale-{kind}",
                element="evidence",
                stage="evidence",
                action="exclude",
                establishes="stale",
                fact="o",
                when={
                    "all": [
                        _param("pa", policy.max_age_days),
                        _pattern("o", *base, {"$gt": {"age_days": {"pa": "value"}}}),
                    ]
                },
                reason=_say(book, "stale", kind),
                cite=policy.cite,
                origin=f"{origin} › kinds › {kind} › max_age_days",
            )
        out.add(
            id=f"evidence-after-assessment-{kind}",
            element="evidence",
            stage="evidence",
            action="exclude",
            establishes="future",
            fact="o",
            when={"all": [_pattern("o", *base, {"$lt": {"age_days": 0}})]},
            reason=_say(book, "future", kind),
            cite=book.policy.cite["future"],
            origin=f"{origin} › kinds › {kind}",
        )


def _judgment(kind_is_judgment: bool) -> dict[str, Any]:
    return {"kind": "judgment"} if kind_is_judgment else {"$neq": {"kind": "judgment"}}


def _resolution_stage(book: Rulebook, out: _Out) -> None:
    """The newest relied-upon date of each series, found by walking its dates from the newest down (a day
    without a relied-upon reading is skipped), so that no two readings are ever compared in pairs."""
    origin = "evidence.yaml"
    choose = book.policy.cite["choose"]
    nothing = Text(nl="-", en="-")  # derivations are not reported
    relied_at = {"t": "relied"}
    common = {"element": "evidence", "stage": "resolution", "cite": choose, "origin": origin, "reason": nothing}
    first_relied = ({"t": "relied"}, {"place": 0})
    out.add(
        id="evidence-newest-date",
        action="derive",
        establishes="newest",
        fact="d",
        when={
            "all": [
                _pattern("d", {"t": "day"}, {"rank": 0}),
                _pattern("r", *first_relied, {"series": {"d": "series"}}, {"rank": {"d": "rank"}}),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-date-skipped-first",
        action="derive",
        establishes="skipped",
        fact="d",
        when={
            "all": [
                _pattern("d", {"t": "day"}, {"rank": 0}),
                _pattern("x$not", relied_at, {"series": {"d": "series"}}, {"rank": {"d": "rank"}}),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-date-skipped-next",
        action="derive",
        establishes="skipped",
        fact="d",
        when={
            "all": [
                _pattern("s", {"t": "skipped"}, {"$ex": {"series": 1}}),
                _pattern("d", {"t": "day"}, {"series": {"s": "series"}}, {"rank": {"s": "next"}}),
                _pattern("x$not", relied_at, {"series": {"d": "series"}}, {"rank": {"d": "rank"}}),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-newest-date-after-skip",
        action="derive",
        establishes="newest",
        fact="d",
        when={
            "all": [
                _pattern("s", {"t": "skipped"}, {"$ex": {"series": 1}}),
                _pattern("d", {"t": "day"}, {"series": {"s": "series"}}, {"rank": {"s": "next"}}),
                _pattern("r", *first_relied, {"series": {"d": "series"}}, {"rank": {"d": "rank"}}),
            ]
        },
        **common,
    )
    # When the first reading of a date is not relied upon, the next ones are looked at in turn: the date
    # is found once, whatever the number of its readings.
    not_relied = {"series": {"o": "series"}}, {"ref": {"o": "ref"}}
    out.add(
        id="evidence-stepped-first",
        action="derive",
        establishes="stepped",
        fact="o",
        when={
            "all": [
                _pattern("d", {"t": "day"}, {"rank": 0}),
                _pattern("o", {"t": "obs"}, {"place": 0}, {"series": {"d": "series"}}, {"rank": {"d": "rank"}}),
                _pattern("x$not", relied_at, *not_relied),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-stepped-first-after-skip",
        action="derive",
        establishes="stepped",
        fact="o",
        when={
            "all": [
                _pattern("s", {"t": "skipped"}, {"$ex": {"series": 1}}),
                _pattern("d", {"t": "day"}, {"series": {"s": "series"}}, {"rank": {"s": "next"}}),
                _pattern("o", {"t": "obs"}, {"place": 0}, {"series": {"d": "series"}}, {"rank": {"d": "rank"}}),
                _pattern("x$not", relied_at, *not_relied),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-stepped-next",
        action="derive",
        establishes="stepped",
        fact="o",
        when={
            "all": [
                _pattern("p", {"t": "stepped"}, {"$ex": {"series": 1}}),
                _pattern(
                    "o",
                    {"t": "obs"},
                    {"series": {"p": "series"}},
                    {"rank": {"p": "rank"}},
                    {"place": {"p": "place_next"}},
                ),
                _pattern("x$not", relied_at, *not_relied),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-newest-date-after-step",
        action="derive",
        establishes="newest",
        fact="d",
        when={
            "all": [
                _pattern("p", {"t": "stepped"}, {"$ex": {"series": 1}}),
                _pattern(
                    "r", relied_at, {"series": {"p": "series"}}, {"rank": {"p": "rank"}}, {"place": {"p": "place_next"}}
                ),
                _pattern("d", {"t": "day"}, {"series": {"p": "series"}}, {"rank": {"p": "rank"}}),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-of-newest-date",
        action="derive",
        establishes="current",
        fact="r",
        when={
            "all": [
                _pattern("n", {"t": "newest"}, {"$ex": {"series": 1}}),
                _pattern("r", relied_at, {"alone": False}, {"series": {"n": "series"}}, {"rank": {"n": "rank"}}),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-alone-of-newest-date",
        action="derive",
        establishes="evidence",
        fact="r",
        when={
            "all": [
                _pattern("n", {"t": "newest"}, {"$ex": {"series": 1}}),
                _pattern("r", relied_at, {"alone": True}, {"series": {"n": "series"}}, {"rank": {"n": "rank"}}),
            ]
        },
        **common,
    )
    for judged in (False, True):
        out.add(
            id="evidence-superseded-by-newer" + ("-judgment" if judged else ""),
            element="evidence",
            stage="resolution",
            action="supersede",
            establishes="older",
            fact="o",
            by="n",
            when={
                "all": [
                    _pattern("n", {"t": "newest"}, {"$ex": {"series": 1}}),
                    _pattern(
                        "o", relied_at, _judgment(judged), {"series": {"n": "series"}}, {"$gt": {"rank": {"n": "rank"}}}
                    ),
                ]
            },
            reason=_say(book, "older", "judgment" if judged else "fact"),
            cite=choose,
            origin=origin,
        )
    out.add(
        id="evidence-superseded-by-better-grade",
        element="evidence",
        stage="resolution",
        action="supersede",
        establishes="weaker_grade",
        fact="o",
        by="r",
        when={
            "all": [
                _pattern("o", {"t": "current"}, {"dominated": True}),
                _pattern("r", {"t": "current"}, {"series": {"o": "series"}}, {"ref": {"o": "dominated_by"}}),
            ]
        },
        reason=book.policy.say["weaker_grade"],
        cite=book.policy.cite["dominance"],
        origin=origin,
    )


def _selection_stage(book: Rulebook, out: _Out) -> None:
    """One speaking reading per value on the newest date: the first, in id order, that is relied upon and
    not dominated, found by walking the readings of that value (no pairwise comparison)."""
    origin = "evidence.yaml"
    choose = book.policy.cite["choose"]
    nothing = Text(nl="-", en="-")
    common = {"element": "evidence", "stage": "selection", "cite": choose, "origin": origin, "reason": nothing}
    undominated = {"t": "current"}, {"dominated": False}
    out.add(
        id="evidence-twin-passed-first",
        action="derive",
        establishes="passed",
        fact="o",
        when={
            "all": [
                _pattern("n", {"t": "newest"}, {"$ex": {"series": 1}}),
                _pattern(
                    "o",
                    {"t": "obs"},
                    {"twin": 0},
                    {"alone": False},
                    {"series": {"n": "series"}},
                    {"rank": {"n": "rank"}},
                ),
                _pattern("x$not", *undominated, {"series": {"o": "series"}}, {"ref": {"o": "ref"}}),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-twin-passed-next",
        action="derive",
        establishes="passed",
        fact="o",
        when={
            "all": [
                _pattern("p", {"t": "passed"}, {"$ex": {"series": 1}}),
                _pattern(
                    "o",
                    {"t": "obs"},
                    {"series": {"p": "series"}},
                    {"rank": {"p": "rank"}},
                    {"value_key": {"p": "value_key"}},
                    {"twin": {"p": "twin_next"}},
                ),
                _pattern("x$not", *undominated, {"series": {"o": "series"}}, {"ref": {"o": "ref"}}),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-selected",
        action="derive",
        establishes="evidence",
        fact="r",
        when={"all": [_pattern("r", *undominated, {"twin": 0})]},
        **common,
    )
    out.add(
        id="evidence-selected-after-passed",
        action="derive",
        establishes="evidence",
        fact="r",
        when={
            "all": [
                _pattern("p", {"t": "passed"}, {"$ex": {"series": 1}}),
                _pattern(
                    "r",
                    *undominated,
                    {"series": {"p": "series"}},
                    {"rank": {"p": "rank"}},
                    {"value_key": {"p": "value_key"}},
                    {"twin": {"p": "twin_next"}},
                ),
            ]
        },
        **common,
    )
    out.add(
        id="evidence-duplicate",
        element="evidence",
        stage="selection",
        action="supersede",
        establishes="duplicate",
        fact="o",
        by="r",
        when={
            "all": [
                _pattern("o", *undominated),
                _pattern(
                    "r",
                    {"t": "evidence"},
                    {"series": {"o": "series"}},
                    {"value_key": {"o": "value_key"}},
                    {"$neq": {"ref": {"o": "ref"}}},
                ),
            ]
        },
        reason=book.policy.say["duplicate"],
        cite=choose,
        origin=origin,
    )


# ---------------------------------------------------------------------------------------------------------
# Element tests: classes, cells, outcomes


@dataclass(frozen=True)
class Klass:
    """A class of readings of one indicator, as an element's test tells them apart."""

    name: str
    conditions: tuple[tuple[str, Any], ...]  # (property, condition) pairs on the evidence fact
    params: tuple[tuple[str, str], ...] = ()  # (alias, parameter) facts the conditions compare with


@dataclass(frozen=True)
class Outcome:
    """What one combination of classes gives: a status, and the text and citation that say why."""

    status: str
    say: Say | None
    row: str  # a stable name of the declaration that gave it
    subject: str | None = None  # the indicator whose reading the text calls {o}
    uses: tuple[str, ...] = ()  # the indicators whose readings the outcome rests on


class Instance:
    """An element's test, unfolded: the indicators it reads, their classes, and the outcome of each
    combination of classes (absence included)."""

    def __init__(self, book: Rulebook, name: str, test: Test, element: ElementDef, path: str) -> None:
        self.book, self.name, self.element, self.path = book, name, element, path
        self.classes: dict[str, list[Klass]] = {}
        self._evaluate = self._unfold(test, path)

    # --- classes of each indicator
    def _read(self, indicator: str, classes: list[Klass]) -> None:
        known = self.classes.get(indicator)
        if known is not None and [k.name for k in known] != [k.name for k in classes]:
            raise ValueError(f"{self.path}: indicator {indicator} is read twice with different classes")
        self.classes[indicator] = classes

    def _value_classes(self, indicator: str) -> list[Klass]:
        ind = self.book.vocab(indicator)
        if ind.type == "boolean":
            return [Klass("true", (("flag", True),)), Klass("false", (("flag", False),))]
        if ind.type == "enum" and ind.values:
            return [Klass(level, (("level", level),)) for level in ind.values]
        raise ValueError(f"{self.path}: indicator {indicator} is a number: test it with a threshold")

    # --- templates
    def _unfold(self, test: Test, path: str) -> Any:
        template = test.template
        if template == "threshold":
            return self._threshold(test, path)
        if template == "flag":
            return self._flag(test, path)
        if template == "levels":
            return self._levels(test, path)
        if template == "table":
            return self._table(test, path)
        if template in ("any", "all", "best"):
            parts = [self._unfold(part, f"{path} › {template}[{i}]") for i, part in enumerate(getattr(test, template))]
            return self._combine(template, parts)
        raise ValueError(f"{path}: a test by theory inside another test")

    def _say(self, test: Test, status: str) -> Say | None:
        return test.say.get(status) or self.element.say.get(status)

    def _threshold(self, test: Test, path: str) -> Any:
        indicator, met, lapse = str(test.threshold), str(test.met_at_least), str(test.not_met_at_most)
        self._read(
            indicator,
            [
                Klass("above", (("$gte", {"num": {"pm": "value"}}),), (("pm", met),)),
                Klass(
                    "between",
                    (("$lt", {"num": {"pm": "value"}}), ("$gt", {"num": {"pl": "value"}})),
                    (("pm", met), ("pl", lapse)),
                ),
                Klass("below", (("$lte", {"num": {"pl": "value"}}),), (("pl", lapse),)),
            ],
        )
        statuses = {"above": "met", "between": "weakening", "below": "not_met", MISSING: test.missing}

        def evaluate(cell: dict[str, str]) -> Outcome:
            status = statuses[cell[indicator]]
            return Outcome(status, self._say(test, status), f"{path} › {status}", indicator, (indicator,))

        evaluate.reads = [indicator]  # type: ignore[attr-defined]
        return evaluate

    def _flag(self, test: Test, path: str) -> Any:
        indicator = str(test.flag)
        self._read(indicator, self._value_classes(indicator))
        statuses = {"true": str(test.true_), "false": str(test.false_), MISSING: test.missing}

        def evaluate(cell: dict[str, str]) -> Outcome:
            status = statuses[cell[indicator]]
            return Outcome(status, self._say(test, status), f"{path} › {status}", indicator, (indicator,))

        evaluate.reads = [indicator]  # type: ignore[attr-defined]
        return evaluate

    def _levels(self, test: Test, path: str) -> Any:
        indicator = str(test.levels)
        self._read(indicator, self._value_classes(indicator))
        statuses = {**(test.statuses or {}), MISSING: test.missing}

        def evaluate(cell: dict[str, str]) -> Outcome:
            status = statuses.get(cell[indicator], "unknown")
            return Outcome(status, self._say(test, status), f"{path} › {status}", indicator, (indicator,))

        evaluate.reads = [indicator]  # type: ignore[attr-defined]
        return evaluate

    def _table(self, test: Test, path: str) -> Any:
        rows = list(test.table or [])
        reads: list[str] = []
        for row in rows:
            for indicator in row.when:
                if indicator not in reads:
                    reads.append(indicator)
        for indicator in reads:
            self._read(indicator, self._value_classes(indicator))

        def matches(row_when: dict[str, Any], cell: dict[str, str]) -> bool:
            for indicator, wanted in row_when.items():
                got = cell[indicator]
                text = ("true" if wanted else "false") if isinstance(wanted, bool) else str(wanted)
                if got != text:
                    return False
            return True

        def evaluate(cell: dict[str, str]) -> Outcome:
            for i, row in enumerate(rows):
                if matches(row.when, cell):
                    subject = next(iter(row.when), None)
                    say = row.say or self._say(test, row.status)
                    return Outcome(row.status, say, f"{path} › table[{i}]", subject, tuple(row.when))
            return Outcome(test.missing, self._say(test, test.missing), f"{path} › {test.missing}")

        evaluate.reads = reads  # type: ignore[attr-defined]
        return evaluate

    def _combine(self, how: str, parts: list[Any]) -> Any:
        reads: list[str] = []
        for part in parts:
            reads += [i for i in part.reads if i not in reads]
        rank = self.book.status_rank

        def evaluate(cell: dict[str, str]) -> Outcome:
            outcomes: list[Outcome] = [part(cell) for part in parts]
            if how == "any":
                return max(outcomes, key=lambda o: rank(o.status))
            if how == "all":
                return min(outcomes, key=lambda o: rank(o.status))
            for part, outcome in zip(parts, outcomes):  # best: the first part with evidence decides
                if any(cell[i] != MISSING for i in part.reads):
                    return outcome
            return outcomes[-1]

        evaluate.reads = reads  # type: ignore[attr-defined]
        return evaluate

    # --- cells
    def indicators(self) -> list[str]:
        """The indicators the test reads, in the order it names them."""
        return list(self._evaluate.reads)

    def cells(self) -> Iterable[tuple[dict[str, str], Outcome]]:
        """Every combination of classes (with ``missing``) and its outcome."""
        names = self.indicators()
        choices = [[k.name for k in self.classes[i]] + [MISSING] for i in names]
        for combo in itertools.product(*choices):
            cell = dict(zip(names, combo))
            yield cell, self._evaluate(cell)


def instances(book: Rulebook, name: str) -> list[tuple[list[str] | None, Instance]]:
    """The unfolded tests of an element: one, or one per group of theories that test it alike."""
    element = book.elements[name]
    path = f"elements.yaml › {name} › test"
    if element.test.by_theory is None:
        return [(None, Instance(book, name, element.test, element, path))]
    out: list[tuple[list[str] | None, Instance]] = []
    for theory, test in element.test.by_theory.items():
        out.append(([theory], Instance(book, name, test, element, f"{path} › by_theory › {theory}")))
    return out


def _classify_stage(book: Rulebook, out: _Out) -> None:
    for name, element in book.elements.items():
        done: set[str] = set()
        for _theories, inst in instances(book, name):
            for indicator in inst.indicators():
                if indicator in done:
                    continue
                done.add(indicator)
                for klass in inst.classes[indicator]:
                    conditions: list[dict[str, Any]] = [{"t": "evidence"}, {"view": indicator}]
                    for key, cond in klass.conditions:
                        conditions.append({key: cond})
                    params = [_param(alias, param) for alias, param in dict(klass.params).items()]
                    out.add(
                        id=f"{name}/read/{indicator}={klass.name}",
                        element=name,
                        stage="classify",
                        action="classify",
                        establishes=klass.name,
                        fact="o",
                        adds={"el": name, "ind": indicator, "cls": klass.name},
                        when={"all": [*params, _pattern("o", *conditions)]},
                        reason=Text(nl="-", en="-"),
                        cite=element.cite,
                        origin=inst.path,
                    )
        for i, ctx in enumerate(element.context):
            noted: list[dict[str, Any]] = [{"t": "evidence"}, {"view": ctx.indicator}]
            suffix = ""
            if ctx.when is not None:
                key = "flag" if isinstance(ctx.when, bool) else "level"
                noted.append({key: ctx.when})
                suffix = f"={str(ctx.when).lower()}"
            out.add(
                id=f"{name}/context/{ctx.indicator}{suffix}",
                element=name,
                stage="classify",
                action="note",
                fact="o",
                when={"all": [_pattern("o", *noted)]},
                reason=_text(ctx.say),
                cite=ctx.say.cite,
                origin=f"elements.yaml › {name} › context[{i}]",
            )
    # Readings of one date that differ: a note on the evidence, whichever element reads them.
    for judged in (False, True):
        out.add(
            id="evidence-contested-reading" + ("-judgment" if judged else ""),
            element="evidence",
            stage="classify",
            action="note",
            fact="o",
            when={
                "all": [
                    _pattern("o", {"t": "evidence"}, _judgment(judged)),
                    _pattern(
                        "d", {"t": "evidence"}, {"series": {"o": "series"}}, {"$neq": {"value_key": {"o": "value_key"}}}
                    ),
                    _pattern(
                        "x$not",
                        {"t": "evidence"},
                        {"series": {"o": "series"}},
                        {"$neq": {"value_key": {"o": "value_key"}}},
                        {"$lt": {"ref": {"d": "ref"}}},
                    ),
                ]
            },
            reason=_say(book, "contested_reading" if not judged else "contested", "judgment" if judged else "fact"),
            cite=book.policy.cite["contested"],
            origin="evidence.yaml",
        )
    # A judgment that has expired, the newest of its term: said, never «no judgment recorded».
    judgment_policy = book.policy.kinds.get("judgment")
    if judgment_policy is not None and judgment_policy.max_age_days:
        for name in book.elements:
            for _theories, inst in instances(book, name):
                for indicator in inst.indicators():
                    if book.kind_of(indicator) != "judgment":
                        continue
                    out.add(
                        id=f"{name}/expired/{indicator}",
                        element=name,
                        stage="classify",
                        action="note",
                        fact="o",
                        when={
                            "all": [
                                _param("pa", judgment_policy.max_age_days),
                                _pattern(
                                    "o", {"t": "obs"}, {"view": indicator}, {"$gt": {"age_days": {"pa": "value"}}}
                                ),
                                _pattern(
                                    "n$not",
                                    {"t": "obs"},
                                    {"view": indicator},
                                    {"$gte": {"age_days": 0}},
                                    {"$lt": {"age_days": {"o": "age_days"}}},
                                ),
                                _pattern(
                                    "m$not",
                                    {"t": "obs"},
                                    {"view": indicator},
                                    {"age_days": {"o": "age_days"}},
                                    {"$lt": {"ref": {"o": "ref"}}},
                                ),
                            ]
                        },
                        reason=book.policy.say["expired_judgment"],
                        cite=judgment_policy.cite,
                        origin="evidence.yaml › kinds › judgment › max_age_days",
                    )


def cell_id(name: str, theories: list[str] | None, cell: dict[str, str]) -> str:
    prefix = f"{name}[{'|'.join(theories)}]" if theories else name
    return prefix + "/" + ",".join(f"{i}={c}" for i, c in cell.items())


def _combine_stage(book: Rulebook, out: _Out) -> None:
    for name, element in book.elements.items():
        for theories, inst in instances(book, name):
            for cell, outcome in inst.cells():
                present = [i for i, c in cell.items() if c != MISSING]
                absent = [i for i, c in cell.items() if c == MISSING]
                patterns: list[dict[str, Any]] = []
                if theories:
                    patterns.append(_pattern("th", {"t": "theory"}, {"$or": [{"name": t} for t in theories]}))
                first = present[0] if present else None
                subject = outcome.subject if outcome.subject in present else first
                for indicator in present:
                    klass = cell[indicator]
                    same: list[dict[str, Any]] = [{"t": "cls"}, {"el": name}, {"ind": indicator}, {"cls": klass}]
                    if indicator != first:
                        same.append({"area": {first: "area"}})
                    patterns.append(_pattern(indicator, *same))
                    patterns.append(
                        _pattern(
                            f"{indicator}_first$not",
                            *same[:4],
                            {"area": {indicator: "area"}},
                            {"$lt": {"ref": {indicator: "ref"}}},
                        )
                    )
                for indicator in absent:
                    absent_conditions: list[dict[str, Any]] = [{"t": "cls"}, {"el": name}, {"ind": indicator}]
                    if first is not None:
                        absent_conditions.append({"area": {first: "area"}})
                    patterns.append(_pattern(f"{indicator}_none$not", *absent_conditions))
                if first is None:
                    patterns.append(_pattern("x$not", {"t": "cls"}, {"el": name}))
                say = outcome.say
                out.add(
                    id=cell_id(name, theories, cell),
                    element=name,
                    stage="combine",
                    action="row",
                    establishes=outcome.status,
                    fact=subject,
                    rests_on=[i for i in outcome.uses if i in present],
                    adds={
                        "el": name,
                        "status": outcome.status,
                        "rank": book.status_rank(outcome.status),
                        "row": outcome.row,
                    },
                    when={"all": patterns},
                    reason=_text(say) if say else Text(nl="-", en="-"),
                    cite=say.cite if say else element.cite,
                    origin=outcome.row,
                )


def _area_stage(book: Rulebook, out: _Out) -> None:
    for name, element in book.elements.items():
        statuses = sorted(
            {o.status for _t, inst in instances(book, name) for _c, o in inst.cells()}, key=AREA_ORDER.index
        )
        for status in statuses:
            out.add(
                id=f"{name}/area/{status}",
                element=name,
                stage="area",
                action="part",
                establishes=status,
                fact="c",
                when={
                    "all": [
                        _pattern("c", {"t": "combo"}, {"el": name}, {"status": status}),
                        _pattern(
                            "x$not", {"t": "combo"}, {"el": name}, {"area": {"c": "area"}}, {"$neq": {"status": status}}
                        ),
                    ]
                },
                reason=Text(nl="-", en="-"),
                cite=element.cite,
                origin=f"elements.yaml › {name} › test",
            )
        if len(statuses) > 1:
            combo = {"t": "combo"}, {"el": name}
            out.add(
                id=f"{name}/area/contested",
                element=name,
                stage="area",
                action="contest",
                establishes="contested",
                fact="a",
                when={
                    "all": [
                        _pattern("a", *combo),
                        _pattern("a1$not", *combo, {"area": {"a": "area"}}, {"$gt": {"rank": {"a": "rank"}}}),
                        _pattern(
                            "a2$not",
                            *combo,
                            {"area": {"a": "area"}},
                            {"rank": {"a": "rank"}},
                            {"$lt": {"row": {"a": "row"}}},
                        ),
                        _pattern("b", *combo, {"area": {"a": "area"}}, {"$lt": {"rank": {"a": "rank"}}}),
                        _pattern("b1$not", *combo, {"area": {"a": "area"}}, {"$lt": {"rank": {"b": "rank"}}}),
                        _pattern(
                            "b2$not",
                            *combo,
                            {"area": {"a": "area"}},
                            {"rank": {"b": "rank"}},
                            {"$lt": {"row": {"b": "row"}}},
                        ),
                    ]
                },
                reason=_text(element.say["contested"]) if "contested" in element.say else book.contested.say,
                cite=element.say["contested"].cite if "contested" in element.say else book.contested.cite,
                origin=f"elements.yaml › {name} › say › contested"
                if "contested" in element.say
                else "elements.yaml › contested",
            )


def _status_stage(book: Rulebook, out: _Out) -> None:
    for name, element in book.elements.items():
        found = {o.status for _t, inst in instances(book, name) for _c, o in inst.cells()}
        if len(found) > 1:
            found.add("contested")
        ordered = sorted(found, key=AREA_ORDER.index)
        for i, status in enumerate(ordered):
            patterns = [_pattern("p", {"t": "part"}, {"el": name}, {"status": status})]
            patterns += [
                _pattern(f"x{j}$not", {"t": "part"}, {"el": name}, {"status": before})
                for j, before in enumerate(ordered[:i])
            ]
            out.add(
                id=f"{name}/{status}",
                element=name,
                stage="status",
                action="status",
                establishes=status,
                fact="p",
                adds={"element": name, "kind": element.kind, "basis": element.basis},
                when={"all": patterns},
                reason=Text(nl="-", en="-"),
                cite=element.cite,
                origin=f"elements.yaml › {name}",
            )


def _verdict_stages(book: Rulebook, out: _Out) -> None:
    for basis, rows in book.verdict_table.items():
        earlier: list[str] = []
        for i, row in enumerate(rows):
            origin = f"verdicts.yaml › {basis} › {i}"
            for spec in row.grounds:
                for status in spec.statuses():
                    say = row.ground_say.get(status) or row.say
                    kinds = spec.kinds()
                    kind_cond = {"kind": kinds[0]} if len(kinds) == 1 else {"$or": [{"kind": k} for k in kinds]}
                    out.add(
                        id=f"{basis}/{row.verdict}/{'+'.join(kinds)}={status}",
                        element=basis,
                        stage="ground",
                        action="ground",
                        establishes=row.verdict,
                        fact="s",
                        when={"all": [_pattern("s", {"t": "status"}, {"basis": basis}, kind_cond, {"status": status})]},
                        reason=_text(say),
                        cite=say.cite,
                        origin=origin,
                    )
            if row.grounds:
                patterns = [_pattern("g", {"t": "ground"}, {"basis": basis}, {"verdict": row.verdict})]
            else:
                patterns = [_pattern("g$not", {"t": "ground"}, {"basis": basis})]
            patterns += [
                _pattern(f"x{j}$not", {"t": "ground"}, {"basis": basis}, {"verdict": before})
                for j, before in enumerate(earlier)
            ]
            out.add(
                id=f"{basis}/{row.verdict}",
                element=basis,
                stage="verdict",
                action="verdict",
                establishes=row.verdict,
                when={"all": patterns},
                reason=_text(row.say),
                cite=row.say.cite,
                origin=origin,
            )
            if row.grounds:
                earlier.append(row.verdict)


def compile_rules(book: Rulebook) -> list[Rule]:
    """Every rule the declarations of ``book`` compile into, stage by stage."""
    out = _Out()
    _evidence_stage(book, out)
    _resolution_stage(book, out)
    _selection_stage(book, out)
    _classify_stage(book, out)
    _combine_stage(book, out)
    _area_stage(book, out)
    _status_stage(book, out)
    _verdict_stages(book, out)
    ids = [rule.id for rule in out.rules]
    assert len(set(ids)) == len(ids), "compiled rule ids must be unique"
    return out.rules


# ---------------------------------------------------------------------------------------------------------
# What the declarations say, for the steps that need it besides the engine (advice, what-if, tipping points)


def reads_of(book: Rulebook) -> dict[str, list[str]]:
    """For each element, the indicators its test reads (under any theory), in the order it names them."""

    def compute(b: Rulebook) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name in b.elements:
            found: list[str] = []
            for _theories, inst in instances(b, name):
                found += [i for i in inst.indicators() if i not in found]
            out[name] = found
        return out

    return book.derived("reads_of", compute)


def context_of(book: Rulebook) -> dict[str, list[str]]:
    """For each element, the indicators reported beside it without deciding it."""
    return book.derived(
        "context_of", lambda b: {n: list(dict.fromkeys(c.indicator for c in e.context)) for n, e in b.elements.items()}
    )


def thresholds_of(book: Rulebook) -> dict[str, set[str]]:
    """For each number indicator, the parameters a threshold compares it with."""

    def walk(test: Test, found: dict[str, set[str]]) -> None:
        if test.threshold is not None:
            found.setdefault(test.threshold, set()).update({str(test.met_at_least), str(test.not_met_at_most)})
        for part in (test.any or []) + (test.all or []) + (test.best or []) + list((test.by_theory or {}).values()):
            walk(part, found)

    def compute(b: Rulebook) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for element in b.elements.values():
            walk(element.test, found)
        return found

    return book.derived("thresholds_of", compute)


def elements_of(book: Rulebook) -> dict[str, list[str]]:
    """For each indicator, the elements that read it (in their test or beside it)."""

    def compute(b: Rulebook) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name in b.elements:
            for indicator in reads_of(b)[name] + context_of(b)[name]:
                out.setdefault(indicator, [])
                if name not in out[indicator]:
                    out[indicator].append(name)
        return out

    return book.derived("elements_of", compute)
