"""The checks a rulebook must pass before it is compiled: cross-references and the law's own coherence.

Every defect is a located :class:`~mandaat.model.errors.Problem`. Besides names that must exist (citations,
parameters, indicators, statuses, theories), it proves what a half-made edit would break:
- every quote occurs verbatim in its source;
- every indicator feeds something (an element's test or its context);
- every element and condition reaches a verdict (its kind is a ground in its basis's table);
- every test is total: each combination of readings has a status, and each status a text;
- every number in a rationale or a reason comes from a parameter, by name.
Called by :func:`mandaat.read.rulebook.load_rulebook`; decides nothing legal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..model.errors import InputError, Problem, did_you_mean
from ..model.rulebook import (
    ELEMENT_KINDS,
    PARAMETER_RE,
    PLACEHOLDER_FIELD_RE,
    PLACEHOLDER_RE,
    Rulebook,
    Say,
    Test,
    Text,
)
from .pages import footer_problem
from .parameters import parameter_value_problem
from .quotes import quote_found
from .templates import MISSING, instances
from .yamlsafe import Locator

# The fields a reason may show of a reading ({o.ref}, ...), of a combination ({a.refs}, {a.status}), of a
# status ({s.element}) and of a policy parameter ({pa.shown}).
READING_FIELDS = {
    "ref",
    "grade",
    "date",
    "value",
    "quantity",
    "label",
    "indicator",
    "age_days",
    "by",
    "rationale",
    "area",
}
POLICY_ALIASES = {"pr", "pc", "pa", "pg"}
# A test compiles into one rule per combination of its indicators' classes: bounded, so that a rulebook
# cannot make the engine's ruleset (and its compilation) grow beyond what a legal test needs.
MAX_CELLS = 512


def _unknown(locator: Locator, path: tuple[Any, ...], what: str, value: str, known: Iterable[str]) -> Problem:
    return locator.problem(path, f"unknown {what} {value!r}", did_you_mean(value, list(known)))


def _check_quote(book: Rulebook, cite_id: str, locator: Locator) -> list[Problem]:
    c = book.citations[cite_id]
    path = ("citations", cite_id)
    if c.source is None or c.quote is None:
        return []
    if c.source not in book.sources:
        return [_unknown(locator, (*path, "source"), "source", c.source, book.sources)]
    source_file = book.source_path(c.source)
    if not source_file.is_file():
        return [locator.problem((*path, "source"), f"source file {book.sources[c.source].file} not found")]
    try:
        found = quote_found(c.quote, source_file)
    except InputError as exc:
        bad = exc.problems[0]
        message = f"source file {book.sources[c.source].file} cannot be read: {bad.message}"
        return [locator.problem((*path, "source"), message, bad.hint)]
    if not found:
        return [
            locator.problem(
                (*path, "quote"),
                f"quote not found verbatim in {book.sources[c.source].file}",
                "copy the words exactly from the source",
            )
        ]
    return []


def _check_placeholders(
    book: Rulebook, text: Text, locator: Locator, path: tuple[Any, ...], aliases: set[str]
) -> list[Problem]:
    """``{NAME}`` names a parameter; ``{alias.field}`` a reading the text may show."""
    problems: list[Problem] = []
    for lang in ("nl", "en"):
        for placeholder in PLACEHOLDER_RE.findall(text.get(lang)):
            match = PLACEHOLDER_FIELD_RE.match(placeholder)
            if match:
                if match.group(1) not in aliases:
                    problems.append(
                        locator.problem(
                            (*path, lang),
                            f"placeholder {{{placeholder}}}: {match.group(1)!r} names no reading here",
                            "here a text may show: " + (", ".join(sorted(aliases)) or "no reading"),
                        )
                    )
            elif placeholder == "value" and "value" in aliases:
                continue
            elif PARAMETER_RE.match(placeholder) and placeholder in book.parameters:
                continue
            else:
                problems.append(
                    locator.problem(
                        (*path, lang),
                        f"placeholder {{{placeholder}}} is neither a parameter nor alias.field",
                        did_you_mean(placeholder, book.parameters) or "write {parameter_name} or {o.ref}",
                    )
                )
    return problems


def _check_cite_id(
    book: Rulebook, cite_id: str, locator: Locator, path: tuple[Any, ...], used: set[str]
) -> list[Problem]:
    used.add(cite_id)
    if cite_id not in book.citations:
        return [
            locator.problem(
                path,
                f"unknown citation {cite_id!r}",
                did_you_mean(cite_id, book.citations) or "declare it in rules/sources.yaml",
            )
        ]
    return []


def _check_say(
    book: Rulebook, say: Say, locator: Locator, path: tuple[Any, ...], aliases: set[str], used: set[str]
) -> list[Problem]:
    return _check_cite_id(book, say.cite, locator, (*path, "cite"), used) + _check_placeholders(
        book, say, locator, path, aliases
    )


def _check_sources(book: Rulebook, locators: Mapping[str, Locator]) -> list[Problem]:
    problems: list[Problem] = []
    loc = locators["sources.yaml"]
    for cite_id, c in book.citations.items():
        problems += _check_quote(book, cite_id, loc)
        if c.design_choice is not None:
            problems += _check_placeholders(book, c.design_choice, loc, ("citations", cite_id, "design_choice"), set())
    for name, source in book.sources.items():
        footer = source.page_footer and footer_problem(book.source_path(name), source.page_footer)
        if footer:
            hint = "remove page_footer and cite by section, or keep every page's footer in the seed"
            problems.append(loc.problem(("sources", name, "page_footer"), footer, hint))
    return problems


def _check_vocabulary(book: Rulebook, loc: Locator) -> list[Problem]:
    problems: list[Problem] = []
    for section, name, ind in [
        *(("indicators", n, i) for n, i in book.indicators.items()),
        *(("judgments", n, i) for n, i in book.terms.items()),
    ]:
        path: tuple[Any, ...] = (section, name)
        if ind.type == "enum":
            if not ind.values:
                problems.append(loc.problem(path, "an enum indicator needs `values`"))
            elif not isinstance(ind.favours_mandate, list) or sorted(ind.favours_mandate) != sorted(ind.values):
                problems.append(
                    loc.problem((*path, "favours_mandate"), "list every value once, from least to most favourable")
                )
        elif ind.type == "boolean":
            if not isinstance(ind.favours_mandate, bool):
                problems.append(loc.problem((*path, "favours_mandate"), "must be true or false"))
        elif ind.favours_mandate not in ("higher", "lower"):
            problems.append(loc.problem((*path, "favours_mandate"), "must be `higher` or `lower`"))
        if (section == "judgments") != (ind.evidence == "judgment"):
            problems.append(
                loc.problem((*path, "evidence"), "judgments are declared under `judgments:` with `evidence: judgment`")
            )
        elif ind.evidence == "judgment" and ind.type not in ("boolean", "enum"):
            problems.append(loc.problem((*path, "type"), "a judgment's term is boolean or enum"))
    return problems


def _check_parameters(book: Rulebook, loc: Locator, used: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for name, param in book.parameters.items():
        path = ("parameters", name)
        problems += _check_cite_id(book, param.cite, loc, (*path, "cite"), used)
        for day, value in param.values.items():
            message = parameter_value_problem(param.type, value)
            if message:
                problems.append(loc.problem((*path, "values", day.isoformat()), message))
        if param.less_than and param.less_than not in book.parameters:
            problems.append(_unknown(loc, (*path, "less_than"), "parameter", param.less_than, book.parameters))
        problems += _check_placeholders(book, param.rationale, loc, (*path, "rationale"), {"value"})
    return problems


def _check_theories(book: Rulebook, loc: Locator) -> list[Problem]:
    problems: list[Problem] = []
    for day, theory in book.default_theory.items():
        if theory not in book.theories:
            problems.append(_unknown(loc, ("default", day.isoformat()), "theory", theory, book.theories))
    return problems


_STEP_TEXTS = {
    "min_reliability": ("unconfirmed_source",),
    "min_credibility": ("unconfirmed_information",),
    "min_grade": ("act_to_confirm",),
    "max_age_days": ("stale",),
}
_POLICY_TYPES = {
    "min_reliability": ("reliability",),
    "min_credibility": ("credibility",),
    "min_grade": ("grade",),
    "max_age_days": ("days",),
}


def _check_policy(book: Rulebook, loc: Locator, used: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    policy = book.policy
    for kind, kp in policy.kinds.items():
        path: tuple[Any, ...] = ("kinds", kind)
        problems += _check_cite_id(book, kp.cite, loc, (*path, "cite"), used)
        for step in ("min_reliability", "min_credibility", "min_grade", "max_age_days"):
            name = getattr(kp, step)
            if name is None:
                continue
            if name not in book.parameters:
                problems.append(_unknown(loc, (*path, step), "parameter", name, book.parameters))
            elif book.parameters[name].type not in _POLICY_TYPES[step]:
                problems.append(
                    loc.problem((*path, step), f"{step} names a parameter of type {_POLICY_TYPES[step][0]}")
                )
            for text in _STEP_TEXTS[step]:
                if f"{text}_{kind}" not in policy.say and text not in policy.say:
                    problems.append(loc.problem(("say",), f"the policy's texts lack {text!r} (for {kind})"))
        if f"relied_{kind}" not in policy.say:
            problems.append(loc.problem(("say",), f"the policy's texts lack 'relied_{kind}'"))
    needed = ("future", "older", "weaker_grade", "duplicate", "contested_reading", "expired_judgment")
    for key in needed:
        if key not in policy.say:
            problems.append(loc.problem(("say",), f"the policy's texts lack {key!r}"))
    for key, cite_id in policy.cite.items():
        problems += _check_cite_id(book, cite_id, loc, ("cite", key), used)
    for key in ("future", "choose", "dominance", "contested"):
        if key not in policy.cite:
            problems.append(loc.problem(("cite",), f"the policy names no citation for {key!r}"))
    aliases = {"o", "n", "r", "d"} | POLICY_ALIASES
    for key, said_text in policy.say.items():
        problems += _check_placeholders(book, said_text, loc, ("say", key), aliases)
    return problems


def _test_names(book: Rulebook, test: Test, loc: Locator, path: tuple[Any, ...]) -> list[Problem]:
    """The names a test uses exist, and each is of the type its template needs."""
    problems: list[Problem] = []
    statuses = book.statuses

    def indicator(name: str, where: tuple[Any, ...], types: tuple[str, ...]) -> bool:
        if not book.knows(name):
            problems.append(_unknown(loc, where, "indicator", name, [*book.indicators, *book.terms]))
            return False
        if book.vocab(name).type not in types:
            problems.append(
                loc.problem(where, f"{name} is a {book.vocab(name).type}; this template reads a {' or '.join(types)}")
            )
            return False
        return True

    def status(value: str, where: tuple[Any, ...]) -> None:
        if value not in statuses:
            problems.append(_unknown(loc, where, "status", value, statuses))

    template = test.template
    if template == "threshold":
        indicator(str(test.threshold), (*path, "threshold"), ("number", "integer"))
        for key in ("met_at_least", "not_met_at_most"):
            name = str(getattr(test, key))
            if name not in book.parameters:
                problems.append(_unknown(loc, (*path, key), "parameter", name, book.parameters))
            elif book.parameters[name].type != "number":
                problems.append(loc.problem((*path, key), f"{name} is not a number parameter"))
    elif template == "flag":
        indicator(str(test.flag), (*path, "flag"), ("boolean",))
        status(str(test.true_), (*path, "true"))
        status(str(test.false_), (*path, "false"))
    elif template == "levels":
        if indicator(str(test.levels), (*path, "levels"), ("enum",)):
            values = book.vocab(str(test.levels)).values or {}
            for level, value in (test.statuses or {}).items():
                if level not in values:
                    problems.append(_unknown(loc, (*path, "statuses", level), "level", level, values))
                status(value, (*path, "statuses", level))
    elif template == "table":
        for i, row in enumerate(test.table or []):
            status(row.status, (*path, "table", i, "status"))
            for name, wanted in row.when.items():
                where = (*path, "table", i, "when", name)
                if not indicator(name, where, ("boolean", "enum")):
                    continue
                ind = book.vocab(name)
                if ind.type == "boolean" and not isinstance(wanted, bool):
                    problems.append(loc.problem(where, f"{name} is true or false"))
                if ind.type == "enum" and wanted not in (ind.values or {}):
                    problems.append(_unknown(loc, where, "level", str(wanted), ind.values or {}))
    elif template in ("any", "all", "best"):
        for i, part in enumerate(getattr(test, template)):
            problems += _test_names(book, part, loc, (*path, template, i))
    elif template == "by_theory":
        for theory, part in (test.by_theory or {}).items():
            if theory not in book.theories:
                problems.append(_unknown(loc, (*path, "by_theory", theory), "theory", theory, book.theories))
            problems += _test_names(book, part, loc, (*path, "by_theory", theory))
        missing = [t for t in book.theories if t not in (test.by_theory or {})]
        if missing:
            problems.append(loc.problem((*path, "by_theory"), f"no test for theory {', '.join(missing)}"))
    status(test.missing, (*path, "missing"))
    return problems


def _check_element(book: Rulebook, name: str, loc: Locator, used: set[str]) -> list[Problem]:
    element = book.elements[name]
    path: tuple[Any, ...] = ("elements", name)
    problems = _check_cite_id(book, element.cite, loc, (*path, "cite"), used)
    if element.basis not in book.bases:
        problems.append(_unknown(loc, (*path, "basis"), "basis", element.basis, book.bases))
    problems += _test_names(book, element.test, loc, (*path, "test"))
    if problems:
        return problems
    try:
        unfolded = instances(book, name)
    except ValueError as exc:
        return [loc.problem((*path, "test"), str(exc))]
    for _theories, inst in unfolded:
        count = 1
        for indicator in inst.indicators():
            count *= len(inst.classes[indicator]) + 1
        if count > MAX_CELLS:
            read = len(inst.indicators())
            message = (
                f"the test of {name} reads {read} indicators: {count} combinations of readings, at most {MAX_CELLS}"
            )
            return [
                loc.problem((*path, "test"), message, "split it into elements, or read fewer indicators in one test")
            ]
    for _theories, inst in unfolded:
        reads = set(inst.indicators())
        seen: set[str] = set()
        for cell, outcome in inst.cells():
            if outcome.row in seen:
                continue
            seen.add(outcome.row)
            where = (*path, "test")
            if outcome.status not in book.statuses:
                problems.append(loc.problem(where, f"{outcome.row}: unknown status {outcome.status!r}"))
            if outcome.say is None:
                shown = ", ".join(f"{i} {c}" for i, c in cell.items())
                problems.append(
                    loc.problem(
                        (*path, "say"),
                        f"the test is not total: no text for status {outcome.status!r} (readings: {shown})",
                        f"add `say: {{{outcome.status}: ...}}` to {name}, or a text to the row",
                    )
                )
                continue
            present = {i for i, c in cell.items() if c != MISSING}
            allowed = {"o", *present} if present else set()
            problems += _check_say(
                book, outcome.say, loc, (*path, "say", outcome.status), allowed | (reads & present), used
            )
    for status, say in element.say.items():
        if status not in book.statuses:
            problems.append(_unknown(loc, (*path, "say", status), "status", status, book.statuses))
        if status == "contested":
            problems += _check_say(book, say, loc, (*path, "say", status), {"a", "b"}, used)
        used.add(say.cite)
    for status, say in element.grounds.items():
        if status not in book.statuses:
            problems.append(_unknown(loc, (*path, "grounds", status), "status", status, book.statuses))
        problems += _check_say(book, say, loc, (*path, "grounds", status), {"s"}, used)
    for i, ctx in enumerate(element.context):
        if not book.knows(ctx.indicator):
            problems.append(
                _unknown(loc, (*path, "context", i, "indicator"), "indicator", ctx.indicator, book.indicators)
            )
            continue
        problems += _check_say(book, ctx.say, loc, (*path, "context", i, "say"), {"o"}, used)
    return problems


def _check_verdicts(book: Rulebook, locators: Mapping[str, Locator], used: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    loc = locators["verdicts.yaml"]
    for basis, rows in book.verdict_table.items():
        if basis not in book.bases:
            problems.append(_unknown(loc, ("bases", basis), "basis", basis, book.bases))
        for i, row in enumerate(rows):
            path: tuple[Any, ...] = ("bases", basis, i)
            if row.verdict not in book.verdicts:
                problems.append(_unknown(loc, (*path, "verdict"), "verdict", row.verdict, book.verdicts))
            problems += _check_say(book, row.say, loc, (*path, "say"), set(), used)
            for status, say in row.ground_say.items():
                problems += _check_say(book, say, loc, (*path, "ground_say", status), {"s"}, used)
            for j, spec in enumerate(row.grounds):
                for kind in spec.kinds():
                    if kind not in ELEMENT_KINDS:
                        problems.append(_unknown(loc, (*path, "grounds", j, "kind"), "kind", kind, ELEMENT_KINDS))
                for status in spec.statuses():
                    if status not in book.statuses:
                        problems.append(_unknown(loc, (*path, "grounds", j, "status"), "status", status, book.statuses))
        if not rows or rows[-1].grounds:
            problems.append(
                loc.problem(
                    ("bases", basis),
                    "the last row of a verdict table has no grounds: it decides when no row before it does",
                )
            )
    for basis in book.bases:
        if basis not in book.verdict_table:
            problems.append(loc.problem(("bases",), f"basis {basis!r} has no verdict table"))
    # Every element and condition reaches its verdict: its kind is a ground in its basis's table.
    eloc = locators["elements.yaml"]
    for name, element in book.elements.items():
        rows = book.verdict_table.get(element.basis, [])
        kinds = {kind for row in rows for spec in row.grounds for kind in spec.kinds()}
        if element.kind not in kinds:
            problems.append(
                eloc.problem(
                    ("elements", name, "kind"),
                    f"{name} reaches no verdict: no row of the {element.basis} verdict table takes a ground"
                    f" of kind {element.kind!r}",
                    "add the kind to a row's grounds in rules/verdicts.yaml, or give the element a kind the table"
                    " knows",
                )
            )
    return problems


def _check_fed(book: Rulebook, loc: Locator) -> list[Problem]:
    """Every indicator feeds an element's test or its context."""
    fed: set[str] = set()
    for name, element in book.elements.items():
        try:
            for _t, inst in instances(book, name):
                fed.update(inst.indicators())
        except ValueError:
            continue
        fed.update(ctx.indicator for ctx in element.context)
    problems = []
    for name in [*book.indicators, *book.terms]:
        if name not in fed:
            problems.append(
                loc.problem(
                    ("indicators" if name in book.indicators else "judgments", name),
                    f"indicator {name} feeds nothing: no element's test or context reads it",
                    "read it in an element's test (rules/elements.yaml), or remove it",
                )
            )
    return problems


def check_law(book: Rulebook, locators: Mapping[str, Locator]) -> list[Problem]:
    """Every defect of a loaded rulebook, located."""
    used: set[str] = set()
    problems = _check_sources(book, locators)
    problems += _check_vocabulary(book, locators["vocabulary.yaml"])
    problems += _check_parameters(book, locators["parameters.yaml"], used)
    problems += _check_theories(book, locators["theories.yaml"])
    problems += _check_policy(book, locators["evidence.yaml"], used)
    eloc = locators["elements.yaml"]
    problems += _check_cite_id(book, book.contested.cite, eloc, ("contested", "cite"), used)
    problems += _check_placeholders(book, book.contested.say, eloc, ("contested", "say"), {"a", "b"})
    for name in book.elements:
        problems += _check_element(book, name, eloc, used)
    problems += _check_verdicts(book, locators, used)
    problems += _check_fed(book, locators["vocabulary.yaml"])
    if not problems:
        sloc = locators["sources.yaml"]
        for cite_id in book.citations:
            if cite_id not in used:
                problems.append(
                    sloc.problem(
                        ("citations", cite_id),
                        f"citation {cite_id!r} is declared but never cited",
                        "cite it or remove it",
                    )
                )
    return problems
