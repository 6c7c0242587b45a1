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

from dataclasses import dataclass, field
from typing import Any

from ..model.rulebook import Rule, Rulebook, Text
from .templates import ANY, AREA_ORDER, MISSING, Instance, cell_id, compared, has_areas, instances, reachable, reads_of


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
# What the readings say besides their value: quiet runs, and notes


def _other_value(alias: str) -> tuple[dict[str, Any], ...]:
    return {"series": {alias: "series"}}, {"$neq": {"value_key": {alias: "value_key"}}}


def _reading_stage(book: Rulebook, out: _Out) -> None:
    """Quiet runs (a zero reading whose unbroken run of relied-upon zeros covers the parameter's days) and
    the notes: context beside an element, readings of one date that differ, a judgment that expired."""
    _quiet_runs(book, out)
    for name, element in book.elements.items():
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
                stage="reading",
                action="note",
                fact="o",
                when={"all": [_pattern("o", *noted)]},
                reason=_text(ctx.say),
                cite=ctx.say.cite,
                origin=f"elements.yaml › {name} › context[{i}]",
            )
    for judged in (False, True):
        out.add(
            id="evidence-contested-reading" + ("-judgment" if judged else ""),
            element="evidence",
            stage="reading",
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
    judgment_policy = book.policy.kinds.get("judgment")
    if judgment_policy is None or not judgment_policy.max_age_days:
        return
    for name in book.elements:
        for indicator in reads_of(book)[name]:
            if book.kind_of(indicator.split(":")[0]) != "judgment":
                continue
            out.add(
                id=f"{name}/expired/{indicator}",
                element=name,
                stage="reading",
                action="note",
                fact="o",
                when={
                    "all": [
                        _param("pa", judgment_policy.max_age_days),
                        _pattern("o", {"t": "obs"}, {"view": indicator}, {"$gt": {"age_days": {"pa": "value"}}}),
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


def _quiet_runs(book: Rulebook, out: _Out) -> None:
    """For each threshold with a quiet: a speaking reading at or below the lapse has a long run when some
    relied-upon reading at or below the lapse, dated no later than it and not cut off from it by a
    relied-upon reading above the lapse of an older date, starts at least the parameter's days before its
    end. Every step compares a reading with the dates of its series, never two readings in pairs."""
    done: set[tuple[str, str, str]] = set()
    for name in book.elements:
        for _theories, inst in instances(book, name):
            for indicator, classes in inst.classes.items():
                quiet = next((k for k in classes if k.run == "long"), None)
                if quiet is None:
                    continue
                params = dict(quiet.params)
                key = (indicator, params["pl"], params["pq"])
                if key in done:
                    continue
                done.add(key)
                tag = f"{indicator}/{params['pl']}/{params['pq']}"
                relied = {"$or": [{"t": "relied"}, {"$and": [{"t": "evidence"}, {"single": True}]}]}
                out.add(
                    id=f"run/{tag}/loud",
                    element="evidence",
                    stage="resolution",
                    action="mark",
                    establishes="loud",
                    fact="r",
                    adds={"keep": ["series", "rank"], "lapse": params["pl"]},
                    when={
                        "all": [
                            _param("pl", params["pl"]),
                            _pattern("r", relied, {"view": indicator}, {"$gt": {"num": {"pl": "value"}}}),
                        ]
                    },
                    reason=Text(nl="-", en="-"),
                    cite=book.policy.cite["choose"],
                    origin=f"elements.yaml › {name} › test",
                )
                out.add(
                    id=f"run/{tag}/long",
                    element="evidence",
                    stage="reading",
                    action="mark",
                    establishes="longrun",
                    fact="e",
                    adds={"keep": ["series", "ref"], "lapse": params["pl"], "days": params["pq"]},
                    when={
                        "all": [
                            _param("pl", params["pl"]),
                            _param("pq", params["pq"]),
                            _pattern("e", {"t": "evidence"}, {"view": indicator}, {"$lte": {"num": {"pl": "value"}}}),
                            _pattern(
                                "z",
                                relied,
                                {"series": {"e": "series"}},
                                {"$lte": {"num": {"pl": "value"}}},
                                {"$gte": {"rank": {"e": "rank"}}},
                                {"$lte": {"start": {"$sub": {"$l": {"e": "day_next"}, "$r": {"pq": "value"}}}}},
                            ),
                            _pattern(
                                "x$not",
                                {"t": "loud"},
                                {"lapse": params["pl"]},
                                {"series": {"e": "series"}},
                                {"$gt": {"rank": {"e": "rank"}}},
                                {"$lte": {"rank": {"z": "rank"}}},
                            ),
                        ]
                    },
                    reason=Text(nl="-", en="-"),
                    cite=book.policy.cite["choose"],
                    origin=f"elements.yaml › {name} › test",
                )


# ---------------------------------------------------------------------------------------------------------
# Element tests: one rule per cell, then the status


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """A condition with the parameter aliases it names renamed (two indicators of one cell may each compare
    with their own parameters)."""
    if isinstance(value, dict):
        return {names.get(k, k): _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    return value


def _cell_patterns(
    inst: Instance, cell: dict[str, str], theories: list[str] | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The patterns of a cell's rule, and the alias of the first reading it binds."""
    patterns: list[dict[str, Any]] = []
    if theories:
        patterns.append(_pattern("th", {"t": "theory"}, {"$or": [{"name": t} for t in theories]}))
    present = [i for i in inst.indicators() if cell.get(i) not in (MISSING, ANY)]
    absent = [i for i in inst.indicators() if cell.get(i) == MISSING]
    first = present[0] if present else None
    bound: list[str] = []
    for indicator in present:
        klass = next(k for k in inst.classes[indicator] if k.name == cell[indicator])
        names = {alias: f"{indicator}__{alias}" for alias, _param_name in klass.params}
        for alias, param_name in klass.params:
            patterns.append(_param(names[alias], param_name))
        same: list[dict[str, Any]] = [{"t": "evidence"}, {"view": indicator}]
        same += [{key: _renamed(cond, names)} for key, cond in klass.conditions]
        area: list[dict[str, Any]] = [] if indicator == first else [{"area": {first: "area"}}]
        newer: list[dict[str, Any]] = []
        for key, answer in cell.items():
            if key.startswith("@") and answer in ("yes", "no"):
                a, b = compared(key)
                if indicator in (a, b) and (b if indicator == a else a) in bound:
                    other = b if indicator == a else a
                    op = (
                        ("$gte" if answer == "yes" else "$lt")
                        if indicator == a
                        else ("$lte" if answer == "yes" else "$gt")
                    )
                    newer.append({op: {"day": {other: "day"}}})
        patterns.append(_pattern(indicator, *same, *area, *newer))
        guard = [*same, {"area": {indicator: "area"}}, {"$lt": {"ref": {indicator: "ref"}}}]
        patterns.append(_pattern(f"{indicator}__first$not", *guard))
        if klass.run is not None:
            run: list[dict[str, Any]] = [
                {"t": "longrun"},
                {"series": {indicator: "series"}},
                {"ref": {indicator: "ref"}},
            ]
            patterns.append(_pattern(f"{indicator}__run" + ("" if klass.run == "long" else "$not"), *run))
        bound.append(indicator)
    for indicator in absent:
        conditions: list[dict[str, Any]] = [{"t": "evidence"}, {"view": indicator}]
        if first is not None:
            conditions.append({"area": {first: "area"}})
        patterns.append(_pattern(f"{indicator}__none$not", *conditions))
    return patterns, first


def _combine_stage(book: Rulebook, out: _Out) -> None:
    for name, element in book.elements.items():
        for theories, inst in instances(book, name):
            for cell, outcome in inst.reduced_cached():
                patterns, first = _cell_patterns(inst, cell, theories)
                present = [i for i in inst.indicators() if cell.get(i) not in (MISSING, ANY)]
                subject = outcome.subject if outcome.subject in present else first
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
                        "flat": not has_areas(book, name),
                        "kind": element.kind,
                        "basis": element.basis,
                        "status": outcome.status,
                        "rank": book.status_rank(outcome.status),
                        "row": outcome.row,
                    },
                    when={"all": patterns},
                    reason=_text(say) if say else Text(nl="-", en="-"),
                    cite=say.cite if say else element.cite,
                    origin=outcome.row,
                )


def _same_row(alias: str) -> tuple[dict[str, Any], ...]:
    return {"rank": {alias: "rank"}}, {"row": {alias: "row"}}


def _contest(book: Rulebook, out: _Out, name: str | None, stage: str, per_area: bool) -> None:
    """The rule that finds an element (or one of its areas) contested: the best and the worst outcome of
    the readings, each the first of its rank and row, named in the reason. Without a name: for every
    element whose readings name no area (the element's own words for a contest come with its outcomes)."""
    if name is None:
        first = ({"t": "combo"}, {"flat": True})
        combo: tuple[dict[str, Any], ...] = ({"t": "combo"}, {"el": {"a": "el"}})
        rule_id, element_name, adds, say_of = "status/contested", "status", {}, None
    else:
        element = book.elements[name]
        first = combo = ({"t": "combo"}, {"el": name})
        rule_id = f"{name}/area/contested" if per_area else f"{name}/contested"
        element_name, adds = name, {"element": name, "kind": element.kind, "basis": element.basis}
        say_of = element.say.get("contested")
    area = [{"area": {"a": "area"}}] if per_area else []
    say = say_of
    out.add(
        id=rule_id,
        element=element_name,
        stage=stage,
        action="contest",
        establishes="contested",
        fact="a",
        adds=adds,
        when={
            "all": [
                _pattern("a", *first),
                _pattern("a1$not", *combo, *area, {"$gt": {"rank": {"a": "rank"}}}),
                _pattern("a2$not", *combo, *area, {"rank": {"a": "rank"}}, {"$lt": {"row": {"a": "row"}}}),
                _pattern(
                    "a3$not",
                    *combo,
                    *area,
                    {"rank": {"a": "rank"}},
                    {"row": {"a": "row"}},
                    {"$lt": {"ref": {"a": "ref"}}},
                ),
                _pattern("b", *combo, *area, {"$lt": {"rank": {"a": "rank"}}}),
                _pattern("b1$not", *combo, *area, {"$lt": {"rank": {"b": "rank"}}}),
                _pattern("b2$not", *combo, *area, {"rank": {"b": "rank"}}, {"$lt": {"row": {"b": "row"}}}),
                _pattern(
                    "b3$not",
                    *combo,
                    *area,
                    {"rank": {"b": "rank"}},
                    {"row": {"b": "row"}},
                    {"$lt": {"ref": {"b": "ref"}}},
                ),
            ]
        },
        reason=_text(say) if say else book.contested.say,
        cite=say.cite if say else book.contested.cite,
        origin=f"elements.yaml › {name} › say › contested" if say else "elements.yaml › contested",
    )


def _status_stages(book: Rulebook, out: _Out) -> None:
    """An element's status: from its outcomes, or, when its readings may name areas, from each area's."""
    for name, element in book.elements.items():
        statuses = reachable(book, name)
        status_adds = {"element": name, "kind": element.kind, "basis": element.basis}
        per_area = has_areas(book, name)
        single = [s for s in statuses if s != "contested"]
        if per_area:
            for status in single:
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
                                "x$not",
                                {"t": "combo"},
                                {"el": name},
                                {"area": {"c": "area"}},
                                {"$neq": {"status": status}},
                            ),
                        ]
                    },
                    reason=Text(nl="-", en="-"),
                    cite=element.cite,
                    origin=f"elements.yaml › {name} › test",
                )
            if "contested" in statuses:
                _contest(book, out, name, "area", True)
            for i, status in enumerate(statuses):
                patterns = [_pattern("p", {"t": "part"}, {"el": name}, {"status": status})]
                patterns += [
                    _pattern(f"x{j}$not", {"t": "part"}, {"el": name}, {"status": before})
                    for j, before in enumerate(statuses[:i])
                ]
                out.add(
                    id=f"{name}/{status}",
                    element=name,
                    stage="status",
                    action="status",
                    establishes=status,
                    fact="p",
                    adds=status_adds,
                    when={"all": patterns},
                    reason=Text(nl="-", en="-"),
                    cite=element.cite,
                    origin=f"elements.yaml › {name}",
                )
            continue
    # Elements whose readings name no area: one rule per status, for all of them, and one for a contest.
    flat = [name for name in book.elements if not has_areas(book, name)]
    if not flat:
        return
    statuses = sorted({s for name in flat for s in reachable(book, name) if s != "contested"}, key=AREA_ORDER.index)
    for status in statuses:
        out.add(
            id=f"status/{status}",
            element="status",
            stage="status",
            action="status",
            establishes=status,
            fact="c",
            when={
                "all": [
                    _pattern("c", {"t": "combo"}, {"flat": True}, {"status": status}),
                    _pattern("x$not", {"t": "combo"}, {"el": {"c": "el"}}, {"$neq": {"status": status}}),
                ]
            },
            reason=Text(nl="-", en="-"),
            cite=book.contested.cite,
            origin="elements.yaml",
        )
    _contest(book, out, None, "status", False)


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
    _reading_stage(book, out)
    _combine_stage(book, out)
    _status_stages(book, out)
    _verdict_stages(book, out)
    ids = [rule.id for rule in out.rules]
    assert len(set(ids)) == len(ids), "compiled rule ids must be unique"
    return out.rules
