"""The elements' tests, unfolded: what each template means, as cells.

A test reads some indicators; each indicator's readings fall into *classes* (above, between or below a
threshold; a flag's value; a level), or the indicator has no reading (``missing``). A *cell* is one class
(or ``missing``) per indicator, and gives one *outcome*: a status, with the row of the declaration that
says why. Readings of one date that differ give several cells at once; when their outcomes differ, the
element is contested (the compiled rules and the reference evaluator say so, each its own way).

This module is the one reading of the templates (threshold, flag, levels, table, any, all, best,
by_theory) that the compiler (:mod:`.compile`) and the reference evaluator share: it decides what a
declaration *means*, not how it runs. It also answers what the declarations say for the steps that
need it besides the engine (which indicators an element reads, which parameters a threshold compares).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..model.rulebook import ElementDef, Rulebook, Say, Test

MISSING = "missing"
ANY = "*"  # in a reduced cell: the class of this indicator does not matter
# The order in which an element's status is found from its areas: met if any area is met, else contested
# if any is, and so on (DESIGN §2.2, Areas).
AREA_ORDER = ("met", "not_due", "contested", "weakening", "unknown", "not_met")
COMPARE = "@"  # a cell's key for a comparison of two readings' dates: "@a>=b"


@dataclass(frozen=True)
class Klass:
    """A class of readings of one indicator, as an element's test tells them apart."""

    name: str
    conditions: tuple[tuple[str, Any], ...]  # (property, condition) pairs on the evidence fact
    params: tuple[tuple[str, str], ...] = ()  # (alias, parameter) facts the conditions compare with
    run: str | None = None  # "long" / "short": the reading's quiet run covers the parameter's days, or not


@dataclass(frozen=True)
class Outcome:
    """What one cell gives: a status, and the text and citation that say why."""

    status: str
    say: Say | None
    row: str  # a stable name of the declaration that gave it
    subject: str | None = None  # the indicator whose reading the text calls {o}
    uses: tuple[str, ...] = ()  # the indicators whose readings the outcome rests on


Evaluate = Callable[[dict[str, str]], Outcome]


@dataclass(frozen=True)
class _Part:
    evaluate: Evaluate
    reads: tuple[str, ...]


def _compare_key(a: str, b: str) -> str:
    return f"{COMPARE}{a}>={b}"


def compared(key: str) -> tuple[str, str]:
    """The two indicators a comparison key names: (a, b) for "a's reading is as new as b's or newer"."""
    a, b = key[len(COMPARE) :].split(">=")
    return a, b


class Instance:
    """An element's test, unfolded: the indicators it reads, their classes, and the outcome of each cell."""

    def __init__(self, book: Rulebook, name: str, test: Test, element: ElementDef, path: str) -> None:
        self.book, self.name, self.element, self.path = book, name, element, path
        self.classes: dict[str, list[Klass]] = {}
        self.comparisons: list[tuple[str, str]] = []
        self._part = self._unfold(test, path)

    # --- classes of each indicator
    def _read(self, indicator: str, classes: list[Klass]) -> None:
        known = self.classes.get(indicator)
        if known is not None and [k.name for k in known] != [k.name for k in classes]:
            raise ValueError(f"{self.path}: indicator {indicator} is read twice with different classes")
        self.classes[indicator] = classes

    def _value_classes(self, indicator: str) -> list[Klass]:
        ind = self.book.vocab(indicator.split(":")[0])
        if ind.type == "boolean":
            return [Klass("true", (("flag", True),)), Klass("false", (("flag", False),))]
        if ind.type == "enum" and ind.values:
            return [Klass(level, (("level", level),)) for level in ind.values]
        raise ValueError(f"{self.path}: indicator {indicator} is a number: test it with a threshold")

    # --- templates
    def _unfold(self, test: Test, path: str) -> _Part:
        template = test.template
        if template == "threshold":
            return self._threshold(test, path)
        if template in ("flag", "levels"):
            return self._single(test, path)
        if template == "table":
            return self._table(test, path)
        if template in ("any", "all", "best"):
            parts = [self._unfold(part, f"{path} › {template}[{i}]") for i, part in enumerate(getattr(test, template))]
            return self._combine(template, parts)
        raise ValueError(f"{path}: a test by theory inside another test")

    def _say(self, test: Test, key: str) -> Say | None:
        return test.say.get(key) or self.element.say.get(key)

    def _threshold(self, test: Test, path: str) -> _Part:
        indicator, met, lapse = str(test.threshold), str(test.met_at_least), str(test.not_met_at_most)
        below: tuple[tuple[str, Any], ...] = (("$lte", {"num": {"pl": "value"}}),)
        classes = [
            Klass("above", (("$gte", {"num": {"pm": "value"}}),), (("pm", met),)),
            Klass(
                "between",
                (("$lt", {"num": {"pm": "value"}}), ("$gt", {"num": {"pl": "value"}})),
                (("pm", met), ("pl", lapse)),
            ),
        ]
        statuses = {"above": "met", "between": "weakening", MISSING: test.missing}
        if test.quiet_days:
            # At or below the lapse, the element is not met only when the quiet has lasted (DESIGN §2.3).
            classes.append(Klass("quiet", below, (("pl", lapse), ("pq", test.quiet_days)), "long"))
            classes.append(Klass("quiet_short", below, (("pl", lapse), ("pq", test.quiet_days)), "short"))
            statuses.update({"quiet": "not_met", "quiet_short": "weakening"})
        else:
            classes.append(Klass("below", below, (("pl", lapse),)))
            statuses["below"] = "not_met"
        self._read(indicator, classes)

        def evaluate(cell: dict[str, str]) -> Outcome:
            klass = cell[indicator]
            status = statuses[klass]
            say = (self._say(test, "quiet") if klass == "quiet_short" else None) or self._say(test, status)
            row = f"{path} › {'quiet' if klass == 'quiet_short' else status}"
            return Outcome(status, say, row, indicator, (indicator,) if klass != MISSING else ())

        return _Part(evaluate, (indicator,))

    def _single(self, test: Test, path: str) -> _Part:
        indicator = str(test.flag or test.levels)
        self._read(indicator, self._value_classes(indicator))
        if test.flag is not None:
            statuses = {"true": str(test.true_), "false": str(test.false_), MISSING: test.missing}
        else:
            statuses = {**(test.statuses or {}), MISSING: test.missing}

        def evaluate(cell: dict[str, str]) -> Outcome:
            klass = cell[indicator]
            status = statuses.get(klass, test.missing)
            uses = (indicator,) if klass != MISSING else ()
            return Outcome(status, self._say(test, status), f"{path} › {status}", indicator, uses)

        return _Part(evaluate, (indicator,))

    def _table(self, test: Test, path: str) -> _Part:
        rows = list(test.table or [])
        reads: list[str] = []
        for row in rows:
            for indicator in row.when:
                if indicator not in reads:
                    reads.append(indicator)
        for indicator in reads:
            self._read(indicator, self._value_classes(indicator))
        for row in rows:
            if row.as_new_as is not None:
                pair = (next(iter(row.when)), row.as_new_as)
                if pair not in self.comparisons:
                    self.comparisons.append(pair)

        def matches(row_when: dict[str, Any], newer: str | None, cell: dict[str, str]) -> bool:
            for indicator, wanted in row_when.items():
                text = ("true" if wanted else "false") if isinstance(wanted, bool) else str(wanted)
                if cell[indicator] != text:
                    return False
            if newer is not None:  # "as new as or newer than": vacuous when the other has no reading
                key = _compare_key(next(iter(row_when)), newer)
                return cell.get(key, "yes") == "yes"
            return True

        def evaluate(cell: dict[str, str]) -> Outcome:
            for i, row in enumerate(rows):
                if matches(row.when, row.as_new_as, cell):
                    subject = next(iter(row.when), None)
                    say = row.say or self._say(test, row.status)
                    uses = tuple(row.when) + (
                        (row.as_new_as,) if row.as_new_as and cell.get(row.as_new_as) != MISSING else ()
                    )
                    return Outcome(row.status, say, f"{path} › table[{i}]", subject, uses)
            return Outcome(test.missing, self._say(test, test.missing), f"{path} › {test.missing}")

        return _Part(evaluate, tuple(reads))

    def _combine(self, how: str, parts: list[_Part]) -> _Part:
        reads: list[str] = []
        for part in parts:
            reads += [i for i in part.reads if i not in reads]
        rank = self.book.status_rank

        def evaluate(cell: dict[str, str]) -> Outcome:
            outcomes = [part.evaluate(cell) for part in parts]
            if how == "any":
                return max(outcomes, key=lambda o: rank(o.status))
            if how == "all":
                return min(outcomes, key=lambda o: rank(o.status))
            for part, outcome in zip(parts, outcomes):  # best: the first part with evidence decides
                if any(cell[i] != MISSING for i in part.reads):
                    return outcome
            return outcomes[-1]

        return _Part(evaluate, tuple(reads))

    # --- cells
    def indicators(self) -> list[str]:
        """The indicators the test reads, in the order it names them."""
        return list(self._part.reads)

    def outcome(self, cell: dict[str, str]) -> Outcome:
        """The outcome of a full cell (a class or ``missing`` for every indicator; comparisons given or not)."""
        return self._part.evaluate(cell)

    def _domain(self, key: str, cell: dict[str, str]) -> list[str]:
        if key.startswith(COMPARE):
            a, b = compared(key)
            return ["yes", "no"] if cell.get(a) != MISSING and cell.get(b) != MISSING else ["yes"]
        return [k.name for k in self.classes[key]] + [MISSING]

    def cells(self) -> Iterable[tuple[dict[str, str], Outcome]]:
        """Every full cell and its outcome."""
        names = self.indicators()
        for combo in itertools.product(*([k.name for k in self.classes[i]] + [MISSING] for i in names)):
            cell = dict(zip(names, combo))
            for answers in itertools.product(*(self._domain(_compare_key(a, b), cell) for a, b in self.comparisons)):
                full = {**cell, **{_compare_key(a, b): v for (a, b), v in zip(self.comparisons, answers)}}
                yield full, self.outcome(full)

    def reduced(self) -> list[tuple[dict[str, str], Outcome]]:
        """The cells with every indicator whose class does not change the outcome written ``ANY``: one rule
        each, so that a table's rows, not the product of its indicators' classes, set the ruleset's size."""
        cells = [(dict(c), o) for c, o in self.cells()]
        keys = self.indicators() + [_compare_key(a, b) for a, b in self.comparisons]
        changed = True
        while changed:
            changed = False
            for key in keys:
                groups: dict[tuple[Any, ...], list[tuple[dict[str, str], Outcome]]] = {}
                for cell, outcome in cells:
                    if cell.get(key) == ANY:
                        continue
                    rest = tuple(sorted((k, v) for k, v in cell.items() if k != key))
                    groups.setdefault((rest, outcome), []).append((cell, outcome))
                merged: list[tuple[dict[str, str], Outcome]] = [(c, o) for c, o in cells if c.get(key) == ANY]
                for (rest, outcome), members in groups.items():
                    domain = {v for c, _o in members for v in self._domain(key, c)}
                    if len(members) > 1 and {c[key] for c, _o in members} == domain and self._free(key, rest):
                        merged.append(({**dict(rest), key: ANY}, outcome))
                        changed = True
                    else:
                        merged += members
                cells = merged
        return sorted(cells, key=lambda co: [co[0].get(k, "") for k in keys])

    def _free(self, key: str, rest: tuple[tuple[str, str], ...]) -> bool:
        """An indicator that a comparison still names is not let go of."""
        if key.startswith(COMPARE):
            return True
        return not any(k.startswith(COMPARE) and key in compared(k) and v != ANY for k, v in rest)

    def covering(self, cell: dict[str, str]) -> tuple[dict[str, str], Outcome]:
        """The reduced cell that covers a full cell."""
        for reduced, outcome in self.reduced_cached():
            if all(v == ANY or cell.get(k, "yes") == v for k, v in reduced.items()):
                return reduced, outcome
        raise KeyError(cell)

    def reduced_cached(self) -> list[tuple[dict[str, str], Outcome]]:
        """:meth:`reduced`, computed once."""
        found = getattr(self, "_reduced", None)
        if found is None:
            found = self._reduced = self.reduced()
        return found


def instances(book: Rulebook, name: str) -> list[tuple[list[str] | None, Instance]]:
    """The unfolded tests of an element: one, or one per group of theories that test it alike (a theory
    without a test of its own is tested as the theory it names in ``tests_as``)."""

    def compute(b: Rulebook) -> dict[str, list[tuple[list[str] | None, Instance]]]:
        out: dict[str, list[tuple[list[str] | None, Instance]]] = {}
        for element_name, element in b.elements.items():
            path = f"elements.yaml › {element_name} › test"
            if element.test.by_theory is None:
                out[element_name] = [(None, Instance(b, element_name, element.test, element, path))]
                continue
            groups: dict[str, list[str]] = {}
            for theory, declared in b.theories.items():
                key = theory if theory in element.test.by_theory else (declared.tests_as or theory)
                groups.setdefault(key, []).append(theory)
            found: list[tuple[list[str] | None, Instance]] = []
            for key, theories in groups.items():
                test = element.test.by_theory.get(key)
                if test is not None:
                    found.append((theories, Instance(b, element_name, test, element, f"{path} › by_theory › {key}")))
            out[element_name] = found
        return out

    return book.derived("instances", compute)[name]


def reachable(book: Rulebook, name: str) -> list[str]:
    """The statuses an element's test can give (contested among them when it can give more than one), in
    the order an element's areas are combined."""
    found = {o.status for _t, inst in instances(book, name) for _c, o in inst.reduced_cached()}
    if len(found) > 1:
        found.add("contested")
    return sorted(found, key=AREA_ORDER.index)


def cell_id(name: str, theories: list[str] | None, cell: dict[str, str]) -> str:
    """The stable id of the compiled rule of a (reduced) cell."""
    prefix = f"{name}[{'|'.join(theories)}]" if theories else name
    shown = [f"{k}={v}" for k, v in cell.items() if v != ANY]
    return prefix + "/" + (",".join(shown) or "any")


def has_areas(book: Rulebook, name: str) -> bool:
    """Whether an element reads an indicator whose readings may name an area (its status is then found per
    area, then combined)."""
    return any(book.vocab(i.split(":")[0]).area for i in reads_of(book)[name])


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


def quiet_parameters(book: Rulebook) -> set[str]:
    """The parameters that say how long a quiet must last."""

    def walk(test: Test, found: set[str]) -> None:
        if test.quiet_days:
            found.add(test.quiet_days)
        for part in (test.any or []) + (test.all or []) + (test.best or []) + list((test.by_theory or {}).values()):
            walk(part, found)

    def compute(b: Rulebook) -> set[str]:
        found: set[str] = set()
        for element in b.elements.values():
            walk(element.test, found)
        return found

    return book.derived("quiet_parameters", compute)


def elements_of(book: Rulebook) -> dict[str, list[str]]:
    """For each indicator, the elements that read it (in their test or beside it)."""

    def compute(b: Rulebook) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name in b.elements:
            for indicator in reads_of(b)[name] + context_of(b)[name]:
                out.setdefault(indicator.split(":")[0], [])
                if name not in out[indicator.split(":")[0]]:
                    out[indicator.split(":")[0]].append(name)
        return out

    return book.derived("elements_of", compute)
