"""An independent reference evaluator of the rulebook's declarations: plain Python, no durable-rules.

It reads the same declarations the compiled rules come from (the evidence policy, each element's unfolded
test, the verdict tables) and applies them directly, step by step, with none of the compiled conditions:
which readings are relied upon, the newest date of each series, grade dominance, one speaking reading per
value, each reading's class, the outcome of each combination of classes per area, contests, statuses,
grounds and verdicts. It reports what it found as the firings of the compiled rules that say the same
(same ids, same facts), so that a report can be built from either evaluator and the two compared: tests
compare them on generated scenarios, and ``mandaat evaluate --engine reference`` uses it for diagnosis.
Derivations that only walk (the newest date, the twins) are not reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from ..model.firing import Firing
from ..model.rulebook import Rulebook
from ..read.templates import ANY, COMPARE, MISSING, Instance, Klass, cell_id, has_areas, instances, reachable
from .actions import WITNESS

_COMPARE = {
    "$lt": lambda a, b: a < b,
    "$lte": lambda a, b: a <= b,
    "$gt": lambda a, b: a > b,
    "$gte": lambda a, b: a >= b,
}


class _Run:
    def __init__(self, book: Rulebook, facts: list[dict[str, Any]]) -> None:
        self.book = book
        self.params = {f["name"]: f for f in facts if f["t"] == "param"}
        self.theory = next(f["name"] for f in facts if f["t"] == "theory")
        self.obs = [f for f in facts if f["t"] == "obs"]
        self.days = {(f["series"], f["rank"]): f for f in facts if f["t"] == "day"}
        self.firings: list[Firing] = []

    def fire(self, rule: str, **matched: dict[str, Any]) -> None:
        self.firings.append(Firing(rule, {alias: dict(fact) for alias, fact in matched.items()}))

    def param(self, name: str | None) -> dict[str, Any]:
        assert name is not None
        return self.params[name]

    # --- the evidence policy
    def relied(self) -> list[dict[str, Any]]:
        out = []
        for fact in self.obs:
            kind = fact["kind"]
            policy = self.book.policy.kinds[kind]
            params: dict[str, dict[str, Any]] = {}
            ok = fact["age_days"] >= 0
            if policy.min_reliability:
                params["pr"] = self.param(policy.min_reliability)
                ok = ok and fact["reliability"] <= params["pr"]["value"]
            if policy.min_credibility:
                params["pc"] = self.param(policy.min_credibility)
                ok = ok and fact["credibility"] <= params["pc"]["value"]
            if policy.min_grade:
                params["pg"] = pg = self.param(policy.min_grade)
                ok = ok and fact["reliability"] <= pg["value"] and fact["credibility"] <= pg["credibility"]
            if policy.max_age_days:
                params["pa"] = self.param(policy.max_age_days)
                ok = ok and fact["age_days"] <= params["pa"]["value"]
            if ok:
                single = fact["single"]
                self.fire(f"evidence-relied-upon-{kind}" + ("-single" if single else ""), **params, o=fact)
                out.append(fact)
            if fact["primary"]:
                self._excluded(fact, kind)
        return out

    def _excluded(self, fact: dict[str, Any], kind: str) -> None:
        policy = self.book.policy.kinds[kind]  # type: ignore[index]
        if policy.min_reliability:
            pr = self.param(policy.min_reliability)
            if fact["reliability"] > pr["value"]:
                self.fire(f"evidence-unconfirmed-source-{kind}", pr=pr, o=fact)
        if policy.min_credibility:
            pc = self.param(policy.min_credibility)
            if fact["credibility"] > pc["value"]:
                self.fire(f"evidence-unconfirmed-information-{kind}", pc=pc, o=fact)
        if policy.min_grade:
            pg = self.param(policy.min_grade)
            weaker = fact["reliability"] > pg["value"] or fact["credibility"] > pg["credibility"]
            if fact["age_days"] >= 0 and weaker:
                self.fire(f"evidence-to-confirm-{kind}", pg=pg, o=fact)
        if policy.max_age_days:
            pa = self.param(policy.max_age_days)
            if fact["age_days"] > pa["value"]:
                self.fire(f"evidence-stale-{kind}", pa=pa, o=fact)
        if fact["age_days"] < 0:
            self.fire(f"evidence-after-assessment-{kind}", o=fact)

    def select(self, relied: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The speaking readings: the newest relied-upon date of each series, dominance, one per value."""
        evidence = [f for f in relied if f["single"]]
        by_series: dict[str, list[dict[str, Any]]] = {}
        for fact in relied:
            if not fact["single"]:
                by_series.setdefault(fact["series"], []).append(fact)
        for series, group in sorted(by_series.items()):
            newest = min(f["rank"] for f in group)
            day = {**self.days[(series, newest)], "t": "newest"}
            for fact in sorted(group, key=lambda f: f["ref"]):
                if fact["rank"] > newest:
                    suffix = "-judgment" if fact["kind"] == "judgment" else ""
                    self.fire(f"evidence-superseded-by-newer{suffix}", n=day, o={**fact, "t": "relied"})
            on_date = [f for f in group if f["rank"] == newest]
            if len(on_date) == 1 and on_date[0]["alone"]:
                evidence.append(on_date[0])
                continue
            current = {f["ref"]: {**f, "t": "current"} for f in on_date}
            for fact in sorted(current.values(), key=lambda f: f["ref"]):
                if fact["dominated"] and fact.get("dominated_by") in current:
                    self.fire("evidence-superseded-by-better-grade", o=fact, r=current[fact["dominated_by"]])
            undominated = [f for f in current.values() if not f["dominated"]]
            chosen: dict[str, dict[str, Any]] = {}
            for fact in sorted(undominated, key=lambda f: f["twin"]):
                chosen.setdefault(fact["value_key"], fact)
            evidence += chosen.values()
            for fact in sorted(undominated, key=lambda f: f["ref"]):
                first = chosen[fact["value_key"]]
                if first["ref"] != fact["ref"]:
                    self.fire("evidence-duplicate", o=fact, r={**first, "t": "evidence"})
        out = [{**f, "t": "evidence"} for f in evidence]
        for fact in out:
            self.fire("evidence-selected", r=fact)
        return out

    # --- notes on the evidence
    def notes(self, evidence: list[dict[str, Any]]) -> None:
        by_series: dict[str, list[dict[str, Any]]] = {}
        for fact in evidence:
            by_series.setdefault(fact["series"], []).append(fact)
        for group in by_series.values():
            for fact in group:
                others = [d for d in group if d["value_key"] != fact["value_key"]]
                if others:
                    suffix = "-judgment" if fact["kind"] == "judgment" else ""
                    self.fire(f"evidence-contested-reading{suffix}", o=fact, d=min(others, key=lambda d: d["ref"]))
        for name, element in self.book.elements.items():
            for ctx in element.context:
                for fact in evidence:
                    if fact["view"] != ctx.indicator:
                        continue
                    key = "flag" if isinstance(ctx.when, bool) else "level"
                    if ctx.when is not None and fact.get(key) != ctx.when:
                        continue
                    suffix = "" if ctx.when is None else f"={str(ctx.when).lower()}"
                    self.fire(f"{name}/context/{ctx.indicator}{suffix}", o=fact)
        policy = self.book.policy.kinds.get("judgment")
        if policy is None or not policy.max_age_days:
            return
        pa = self.param(policy.max_age_days)
        for name in self.book.elements:
            terms = {
                i
                for _t, inst in instances(self.book, name)
                for i in inst.indicators()
                if self.book.kind_of(i) == "judgment"
            }
            for term in sorted(terms):
                considered = [f for f in self.obs if f["view"] == term and f["age_days"] >= 0]
                if not considered:
                    continue
                newest = min(considered, key=lambda f: (f["age_days"], f["ref"]))
                if newest["age_days"] > pa["value"]:
                    self.fire(f"{name}/expired/{term}", pa=pa, o=newest)

    # --- quiet runs
    def long_runs(self, relied: list[dict[str, Any]], evidence: list[dict[str, Any]]) -> set[tuple[str, str]]:
        """(series, ref) of the speaking readings at or below a lapse whose quiet has lasted the days its
        threshold asks (per lapse and days parameter)."""
        found: set[tuple[str, str]] = set()
        pool = relied + [f for f in evidence if f["single"]]
        for name in self.book.elements:
            for _theories, inst in instances(self.book, name):
                for indicator, classes in inst.classes.items():
                    quiet = next((k for k in classes if k.run == "long"), None)
                    if quiet is None:
                        continue
                    params = dict(quiet.params)
                    lapse, days = self.params[params["pl"]]["value"], self.params[params["pq"]]["value"]
                    for e in evidence:
                        if e["view"] != indicator or e["num"] > lapse:
                            continue
                        series = [f for f in pool if f["series"] == e["series"]]
                        loud = [f["rank"] for f in series if f["num"] > lapse and f["rank"] > e["rank"]]
                        cut = min(loud, default=None)
                        for z in series:
                            in_run = z["num"] <= lapse and z["rank"] >= e["rank"] and (cut is None or z["rank"] < cut)
                            if in_run and z["start"] <= e["day_next"] - days:
                                found.add((e["series"], e["ref"], params["pl"], params["pq"]))  # type: ignore[arg-type]
        return found

    # --- the elements' tests
    def _class(self, inst: Instance, indicator: str, fact: dict[str, Any], runs: set[Any]) -> Klass | None:
        for klass in inst.classes[indicator]:
            if not all(self._holds(key, cond, fact, klass) for key, cond in klass.conditions):
                continue
            if klass.run is not None:
                params = dict(klass.params)
                long = (fact["series"], fact["ref"], params["pl"], params["pq"]) in runs
                if long != (klass.run == "long"):
                    continue
            return klass
        return None

    def _holds(self, key: str, cond: Any, fact: dict[str, Any], klass: Klass) -> bool:
        if key in _COMPARE:
            ((prop, operand),) = cond.items()
            ((alias, field),) = operand.items()
            return prop in fact and bool(_COMPARE[key](fact[prop], self.params[dict(klass.params)[alias]][field]))
        return bool(fact.get(key) == cond)

    def elements(self, evidence: list[dict[str, Any]], runs: set[Any]) -> list[dict[str, Any]]:
        statuses = []
        for name, element in self.book.elements.items():
            unfolded = instances(self.book, name)
            combos: list[dict[str, Any]] = []
            for theories, inst in unfolded:
                if theories is not None and self.theory not in theories:
                    continue
                combos += self._cells(name, theories, inst, evidence, runs)
            ordered = reachable(self.book, name)
            adds = {"element": name, "kind": element.kind, "basis": element.basis}
            if has_areas(self.book, name):
                parts = self._areas(name, combos)
                found = {p["status"] for p in parts}
                status = next(s for s in ordered if s in found)
                self.fire(f"{name}/{status}", p=next(p for p in parts if p["status"] == status))
            else:
                status = self._single(name, combos, adds)
            statuses.append({"t": "status", **adds, "status": status})
        return statuses

    def _single(self, name: str, combos: list[dict[str, Any]], adds: dict[str, Any]) -> str:
        found = {c["status"] for c in combos}
        if len(found) == 1:
            status = combos[0]["status"]
            self.fire(f"status/{status}", c=min(combos, key=lambda c: (c["row"], c.get("ref", ""))))
            return str(status)
        a, b = _extremes(combos)
        self.fire("status/contested", a=a, b=b)
        return "contested"

    def _cells(
        self, name: str, theories: list[str] | None, inst: Instance, evidence: list[dict[str, Any]], runs: set[Any]
    ) -> list[dict[str, Any]]:
        indicators = inst.indicators()
        classed: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}  # area -> indicator -> class -> witness
        for indicator in indicators:
            for fact in evidence:
                if fact["view"] != indicator:
                    continue
                klass = self._class(inst, indicator, fact, runs)
                if klass is None:
                    continue
                known = classed.setdefault(fact["area"], {}).setdefault(indicator, {})
                if klass.name not in known or fact["ref"] < known[klass.name]["ref"]:
                    known[klass.name] = fact
        theory = {"th": {"t": "theory", "name": self.theory}} if theories else {}
        combos: dict[tuple[Any, ...], dict[str, Any]] = {}
        areas = sorted(classed.items()) or [("", {})]
        for area, by_indicator in areas:
            choices = [sorted(by_indicator[i]) if i in by_indicator else [MISSING] for i in indicators]
            for chosen in itertools.product(*choices):
                cell = dict(zip(indicators, chosen))
                for a, b in inst.comparisons:
                    if cell[a] != MISSING and cell[b] != MISSING:
                        newer = by_indicator[a][cell[a]]["day"] >= by_indicator[b][cell[b]]["day"]
                        cell[f"{COMPARE}{a}>={b}"] = "yes" if newer else "no"
                reduced, outcome = inst.covering(cell)
                present = [i for i in indicators if reduced.get(i) not in (MISSING, ANY)]
                witnesses = {i: by_indicator[i][cell[i]] for i in present}
                key = (cell_id(name, theories, reduced), area, tuple(w["ref"] for w in witnesses.values()))
                if key in combos:
                    continue
                self.fire(key[0], **theory, **witnesses)
                subject = outcome.subject if outcome.subject in present else (present[0] if present else None)
                combo: dict[str, Any] = {"area": area if present else ""}
                if subject is not None:
                    combo = {k: witnesses[subject][k] for k in WITNESS if k in witnesses[subject]}
                element = self.book.elements[name]
                combo.update(
                    {
                        "t": "combo",
                        "el": name,
                        "flat": not has_areas(self.book, name),
                        "kind": element.kind,
                        "basis": element.basis,
                        "status": outcome.status,
                        "rank": self.book.status_rank(outcome.status),
                        "row": outcome.row,
                        "refs": ", ".join(sorted(w["ref"] for w in witnesses.values())),
                    }
                )
                combos[key] = combo
        return list(combos.values())

    def _areas(self, name: str, combos: list[dict[str, Any]]) -> list[dict[str, Any]]:
        parts = []
        by_area: dict[str, list[dict[str, Any]]] = {}
        for combo in combos:
            by_area.setdefault(combo["area"], []).append(combo)
        for area, group in sorted(by_area.items()):
            found = {c["status"] for c in group}
            if len(found) == 1:
                self.fire(f"{name}/area/{group[0]['status']}", c=min(group, key=lambda c: c["row"]))
                parts.append({"t": "part", "el": name, "area": area, "status": group[0]["status"]})
                continue
            a, b = _extremes(group)
            self.fire(f"{name}/area/contested", a=a, b=b)
            parts.append({"t": "part", "el": name, "area": area, "status": "contested"})
        return parts

    # --- the verdict tables
    def verdicts(self, statuses: list[dict[str, Any]]) -> None:
        for basis, rows in self.book.verdict_table.items():
            found: set[str] = set()
            for row in rows:
                for spec in row.grounds:
                    kinds = spec.kinds()
                    for status in spec.statuses():
                        for fact in statuses:
                            if fact["basis"] == basis and fact["kind"] in kinds and fact["status"] == status:
                                self.fire(f"{basis}/{row.verdict}/{'+'.join(kinds)}={status}", s=fact)
                                found.add(row.verdict)
            decided = next((row for row in rows if row.grounds and row.verdict in found), None)
            if decided is None and not found:
                decided = next(row for row in rows if not row.grounds)
            assert decided is not None
            self.fire(f"{basis}/{decided.verdict}")


def _extremes(combos: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The best and the worst outcome, each the first of its rank, row and reading."""
    best, worst = max(c["rank"] for c in combos), min(c["rank"] for c in combos)
    a = min((c for c in combos if c["rank"] == best), key=lambda c: (c["row"], c.get("ref", "")))
    b = min((c for c in combos if c["rank"] == worst), key=lambda c: (c["row"], c.get("ref", "")))
    return a, b


def evaluate(book: Rulebook, facts: Iterable[dict[str, Any]]) -> list[Firing]:
    """The firings of the rulebook's declarations on ``facts``, as the compiled rules would report them."""
    run = _Run(book, list(facts))
    relied = run.relied()
    evidence = run.select(relied)
    runs = run.long_runs(relied, evidence)
    run.notes(evidence)
    statuses = run.elements(evidence, runs)
    run.verdicts(statuses)
    return run.firings
