"""Static checks of a rulebook (`mandaat rules check`): structure, citations, references, reachability,
gaps and overlaps.

Loading already checks ids, quotes, indicators, parameters, theories and aliases. On top of that this
module enumerates, for each element, every combination of its indicators' values at and around each
threshold (and each theory and judgment it depends on), runs them through the reference evaluator, and
reports combinations that give an element no status (a gap) or two (an overlap), statuses no combination
reaches, and parameters no rule uses. It never changes the rulebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import InputError, Problem
from ..model.rulebook import CITE_KINDS, Rulebook
from ..read.rulebook import load_rulebook
from ..read.templates import reachable, thresholds_of
from .witnesses import combos, dimensions, element_statuses, facts_text


@dataclass
class Defect:
    """One thing wrong with the rulebook."""

    check: str
    message: str
    file: str | None = None
    line: int | None = None
    rule: str | None = None
    facts: dict[str, Any] | None = None

    def render(self) -> str:
        """The defect as one or two lines."""
        where = f"{self.file}:{self.line}" if self.file and self.line else (self.file or "rules")
        text = f"{where} [{self.check}] {self.message}"
        if self.facts is not None:
            text += f"\n      facts: {facts_text(self.facts)}"
        return text


@dataclass
class CheckReport:
    """The outcome of all checks."""

    root: str
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)
    witnesses: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    combinations: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)  # reasons (rules) per citation kind

    @property
    def ok(self) -> bool:
        """True when no defect was found."""
        return not self.defects

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rulebook": self.root,
            "ok": self.ok,
            "combinations": self.combinations,
            "citations_by_kind": self.by_kind,
            "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in self.checks],
            "defects": [
                {
                    "check": d.check,
                    "message": d.message,
                    "file": d.file,
                    "line": d.line,
                    "rule": d.rule,
                    "facts": d.facts,
                }
                for d in self.defects
            ],
            "witnesses": self.witnesses,
        }


def check(root: Path) -> CheckReport:
    """Run every check on the rulebook in ``root``."""
    report = CheckReport(root=str(root))
    try:
        book = load_rulebook(root)
    except InputError as exc:
        for problem in exc.problems:
            report.defects.append(_from_problem(problem))
        report.checks.append(
            (
                "the rulebook loads (ids, quotes, indicators, parameters, aliases)",
                False,
                f"{len(exc.problems)} defect(s); later checks not run",
            )
        )
        return report
    quotes = sum(1 for c in book.citations.values() if c.kind == "quote")
    report.checks.append(
        (
            "the declarations compile into rules with unique ids",
            True,
            f"{len(book.elements)} elements and conditions, {len(book.rules)} rules",
        )
    )
    report.checks.append(("every quote is found verbatim in its source", True, f"{quotes} quotes"))
    report.by_kind = {kind: sum(1 for c in book.citations.values() if c.kind == kind) for kind in CITE_KINDS}
    counts = ", ".join(f"{kind} {n}" for kind, n in report.by_kind.items())
    report.checks.append(
        ("every citation is of one kind (quote, reference, design choice), declared once", True, counts)
    )
    report.checks.append(
        ("every indicator, parameter, theory, status and citation a declaration names exists", True, "")
    )
    report.checks.append(
        ("every indicator feeds an element's test or context", True, f"{len(book.indicators)} indicators")
    )
    report.checks.append(("every element and condition reaches a verdict of its basis", True, ""))
    report.checks.append(("every test is total: each combination of readings has a status and a text", True, ""))
    _check_parameters_used(book, report)
    _check_elements(book, report)
    return report


def _from_problem(problem: Problem) -> Defect:
    rule = None
    text = str(problem.message)  # a rulebook's defects are shown in English
    if text.startswith("rule "):
        rule = text.split(":", 1)[0][5:]
    message = text + (f" ({problem.hint})" if problem.hint else "")
    if problem.path:
        message = f"{problem.path}: {message}"
    return Defect("load", message, problem.file, problem.line, rule)


def _check_parameters_used(book: Rulebook, report: CheckReport) -> None:
    used: set[str] = {p for names in thresholds_of(book).values() for p in names}
    for policy in book.policy.kinds.values():
        used.update(policy.parameters())
    unused = [name for name in book.parameters if name not in used]
    for name in unused:
        report.defects.append(
            Defect("parameters", f"parameter {name} is defined but no rule uses it", "rules/parameters.yaml")
        )
    report.checks.append(
        (
            "every defined parameter is used by a rule",
            not unused,
            f"{len(book.parameters) - len(unused)} of {len(book.parameters)} used",
        )
    )


def _place(book: Rulebook, element: str) -> tuple[str, int | None]:
    origin = book.origins[f"elements.yaml › {element}"]
    return origin.file, origin.line


def _check_elements(book: Rulebook, report: CheckReport) -> None:
    gaps = overlaps = unreachable = 0
    for element in book.elements:
        declared = set(reachable(book, element))
        expected = set(book.statuses) & declared if not book.elements[element].every_status else set(book.statuses)
        file, line = _place(book, element)
        seen: dict[str, dict[str, Any]] = {}
        for combo in combos(dimensions(book, element)):
            report.combinations += 1
            found = element_statuses(book, element, combo)
            if not found:
                gaps += 1
                report.defects.append(Defect("gap", f"element {element} gets no status", file, line, None, combo))
            elif len(found) > 1:
                overlaps += 1
                named = "; ".join(f"{status} by {', '.join(ids)}" for status, ids in sorted(found.items()))
                report.defects.append(
                    Defect("overlap", f"element {element} gets two statuses: {named}", file, line, None, combo)
                )
            for status in found:
                seen.setdefault(status, combo)
        report.witnesses[element] = {status: seen[status] for status in book.statuses if status in seen}
        for status in sorted(expected - set(seen), key=list(book.statuses).index):
            unreachable += 1
            message = f"no combination of readings makes {element} {status}"
            report.defects.append(Defect("reachability", message, file, line, None))
    report.checks.append(
        (
            "every element x status is reachable",
            unreachable == 0,
            f"{sum(len(w) for w in report.witnesses.values())} witnesses",
        )
    )
    report.checks.append(
        (
            "no gap: each element gets a status on every combination around the thresholds",
            gaps == 0,
            f"{report.combinations} combinations",
        )
    )
    report.checks.append(("no overlap: no combination gives an element two statuses", overlaps == 0, ""))
