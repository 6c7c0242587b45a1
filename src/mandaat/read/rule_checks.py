"""Cross-reference checks of a loaded rulebook: citations, parameter values, and each rule's condition,
aliases, indicators, parameters, theories, actions and reason placeholders.

Every defect is a located :class:`~mandaat.errors.Problem` that names the rule. Called by
:func:`mandaat.rulebook.load_rulebook`; decides nothing legal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model.errors import InputError, Problem, did_you_mean
from ..model.rulebook import (
    ACTIONS_BY_STAGE,
    ALIAS_RE,
    DERIVED,
    EXCLUSIONS,
    PLACEHOLDER_FIELD_RE,
    PLACEHOLDER_RE,
    SUPERSESSIONS,
    Cite,
    Rule,
    Rulebook,
)
from ..model.words import catalogue
from .conditions import walk_condition
from .pages import footer_problem
from .parameters import parameter_value_problem
from .quotes import quote_found
from .rule_size import check_size
from .yamlsafe import Locator


def _check_cite(book: Rulebook, cite: Cite, locator: Locator, path: tuple[Any, ...]) -> list[Problem]:
    """A `quote` citation's quote must occur verbatim in its source; `reference` and `design_choice`
    citations carry no quote (the model refuses one), so there is nothing to find in ``seeds/``."""
    if cite.kind != "quote":
        return []
    assert cite.source is not None and cite.quote is not None
    if cite.source not in book.sources:
        return [
            locator.problem(
                (*path, "source"),
                f"unknown source {cite.source!r}",
                did_you_mean(cite.source, book.sources) or "add it to rules/sources.yaml",
            )
        ]
    source_file = book.source_path(cite.source)
    if not source_file.is_file():
        return [locator.problem((*path, "source"), f"source file {book.sources[cite.source].file} not found")]
    try:
        found = quote_found(cite.quote, source_file)
    except InputError as exc:
        bad = exc.problems[0]
        where = f" (line {bad.line})" if bad.line else ""
        message = f"source file {book.sources[cite.source].file} cannot be read: {bad.message}{where}"
        return [locator.problem((*path, "source"), message, bad.hint)]
    if not found:
        return [
            locator.problem(
                (*path, "quote"),
                f"quote not found verbatim in {book.sources[cite.source].file}",
                "copy the words exactly from the source",
            )
        ]
    return []


def _check_element_links(book: Rulebook, name: str, elements_loc: Locator) -> list[Problem]:
    """An element's indicators from elsewhere and its open points name what exists."""
    element, problems = book.elements[name], []
    for i, fed in enumerate(element.fed_by):
        if fed not in book.indicators:
            problems.append(elements_loc.problem(("elements", name, "fed_by", i), f"unknown indicator {fed!r}"))
    for status, key in element.open_points.items():
        if status not in book.statuses or key not in catalogue():
            message = f"open point {key!r} for status {status!r}: unknown status or message"
            problems.append(elements_loc.problem(("elements", name, "open_points", status), message))
    return problems


def check_definitions(book: Rulebook, locators: dict[str, Locator]) -> list[Problem]:
    problems: list[Problem] = []
    elements_loc = locators["elements.yaml"]
    for name, element in book.elements.items():
        problems += _check_cite(book, element.cite, elements_loc, ("elements", name, "cite"))
        problems += _check_element_links(book, name, elements_loc)
        if element.basis not in book.bases:
            problems.append(
                elements_loc.problem(
                    ("elements", name, "basis"),
                    f"unknown basis {element.basis!r}",
                    did_you_mean(element.basis, book.bases),
                )
            )
    vocab_loc = locators["vocabulary.yaml"]
    for name, ind in book.indicators.items():
        path: tuple[Any, ...] = ("indicators", name)
        if ind.element not in book.elements:
            problems.append(
                vocab_loc.problem(
                    (*path, "element"), f"unknown element {ind.element!r}", did_you_mean(ind.element, book.elements)
                )
            )
        if ind.type == "enum":
            if not ind.values:
                problems.append(vocab_loc.problem(path, "an enum indicator needs `values`"))
            elif not isinstance(ind.favours_mandate, list) or sorted(ind.favours_mandate) != sorted(ind.values):
                problems.append(
                    vocab_loc.problem(
                        (*path, "favours_mandate"), "list every value once, from least to most favourable"
                    )
                )
        elif ind.type == "boolean":
            if not isinstance(ind.favours_mandate, bool):
                problems.append(vocab_loc.problem((*path, "favours_mandate"), "must be true or false"))
        elif ind.favours_mandate not in ("higher", "lower"):
            problems.append(vocab_loc.problem((*path, "favours_mandate"), "must be `higher` or `lower`"))
    param_loc = locators["parameters.yaml"]
    for name, param in book.parameters.items():
        path = ("parameters", name)
        problems += _check_cite(book, param.cite, param_loc, (*path, "cite"))
        message = parameter_value_problem(param.type, param.value)
        if message:
            problems.append(param_loc.problem((*path, "value"), message))
        if param.less_than and param.less_than not in book.parameters:
            problems.append(
                param_loc.problem(
                    (*path, "less_than"),
                    f"unknown parameter {param.less_than!r}",
                    did_you_mean(param.less_than, book.parameters),
                )
            )
    if book.default_theory not in book.theories:
        problems.append(locators["theories.yaml"].problem(("default",), f"unknown theory {book.default_theory!r}"))
    for name, source in book.sources.items():
        footer = source.page_footer and footer_problem(book.source_path(name), source.page_footer)
        if footer:
            hint = "remove page_footer and cite by section, or keep every page's footer in the seed"
            problems.append(locators["sources.yaml"].problem(("sources", name, "page_footer"), footer, hint))
    return problems


def _check_action(book: Rulebook, rule: Rule, locator: Locator, path: tuple[Any, ...], name: str) -> list[Problem]:
    problems: list[Problem] = []
    if rule.action not in ACTIONS_BY_STAGE[rule.stage]:
        problems.append(
            locator.problem(
                (*path, "action"),
                f"{name}: action {rule.action!r} is not allowed at stage {rule.stage!r}",
                "allowed: " + ", ".join(ACTIONS_BY_STAGE[rule.stage]),
            )
        )
    verdicts = tuple(book.verdicts)
    expected: tuple[str, ...] | None = {
        "status": tuple(book.statuses),
        "exclude": EXCLUSIONS,
        "supersede": SUPERSESSIONS,
        "ground": tuple(v for v in verdicts if v != book.best_verdict()),
        "verdict": verdicts,
        "derive": DERIVED,
        "note": None,
    }[rule.action]
    if expected is not None and rule.establishes not in expected:
        problems.append(
            locator.problem(
                (*path, "establishes"),
                f"{name}: action {rule.action} establishes one of {', '.join(expected)}",
                did_you_mean(rule.establishes or "", expected),
            )
        )
    if rule.action in ("ground", "verdict"):
        if rule.element not in book.bases:
            problems.append(
                locator.problem(
                    (*path, "element"), f"{name}: a {rule.action} rule speaks to a basis: {', '.join(book.bases)}"
                )
            )
    elif rule.element not in book.elements and rule.element != "evidence":
        problems.append(
            locator.problem(
                (*path, "element"),
                f"{name}: unknown element {rule.element!r}",
                did_you_mean(rule.element, [*book.elements, "evidence"]),
            )
        )
    return problems


def _check_names(
    book: Rulebook, found: dict[str, list[Any]], locator: Locator, path: tuple[Any, ...], name: str
) -> list[Problem]:
    """The indicators, parameters and theories a pattern compares with must exist."""
    problems: list[Problem] = []
    kinds = found.get("t", [])
    named: list[tuple[str, Any, Mapping[str, object]]] = []
    named += [("indicator", v, book.indicators) for v in found.get("indicator", [])]
    named += [("parameter", v, book.parameters) for v in found.get("name", []) if "param" in kinds]
    named += [("theory", v, book.theories) for v in found.get("name", []) if "theory" in kinds]
    for kind, value, known in named:
        if value not in known:
            problems.append(locator.problem(path, f"{name}: unknown {kind} {value!r}", did_you_mean(value, known)))
    return problems


def _check_roles(rule: Rule, bound: set[str], locator: Locator, path: tuple[Any, ...], name: str) -> list[Problem]:
    problems: list[Problem] = []
    for role in ("fact", "by"):
        alias = getattr(rule, role)
        if alias is not None and alias not in bound:
            problems.append(
                locator.problem(
                    (*path, role), f"{name}: {role} {alias!r} is not a pattern alias", did_you_mean(alias, bound)
                )
            )
    needs_fact = rule.action in ("derive", "exclude", "supersede", "ground")
    if needs_fact and rule.fact is None:
        problems.append(locator.problem(path, f"{name}: action {rule.action} needs `fact`"))
    if rule.action == "supersede" and rule.by is None:
        problems.append(locator.problem(path, f"{name}: action supersede needs `by`"))
    for lang in ("nl", "en"):
        for placeholder in PLACEHOLDER_RE.findall(rule.reason.get(lang)):
            match = PLACEHOLDER_FIELD_RE.match(placeholder)
            if not match or match.group(1) not in bound:
                problems.append(
                    locator.problem(
                        (*path, "reason", lang),
                        f"{name}: placeholder {{{placeholder}}} does not name alias.field",
                        "bound aliases: " + ", ".join(sorted(bound)),
                    )
                )
    return problems


def check_rule(book: Rulebook, rule: Rule, locator: Locator, path: tuple[Any, ...]) -> list[Problem]:
    """Every defect of one rule: its action, citation, patterns, aliases and reason placeholders."""
    name = f"rule {rule.id}"
    problems = _check_action(book, rule, locator, path, name)
    problems += [
        Problem(p.file, p.line, p.path, f"{name}: {p.message}", p.hint)
        for p in _check_cite(book, rule.cite, locator, (*path, "cite"))
    ]
    when_path = (*path, "when")
    size = check_size(rule, locator, when_path, name)
    if size:
        return problems + size
    if set(rule.when) != {"all"} or not isinstance(rule.when.get("all"), list) or not rule.when["all"]:
        problems.append(
            locator.problem(
                when_path,
                f"{name}: `when` holds one key, `all`, with a list of patterns",
                "mandaat does not use `any`; write one rule per alternative",
            )
        )
        return problems
    aliases: set[str] = set()
    bound: set[str] = set()
    for i, pattern in enumerate(rule.when["all"]):
        ppath = (*when_path, "all", i)
        if not isinstance(pattern, dict) or len(pattern) != 1:
            problems.append(locator.problem(ppath, f"{name}: a pattern is one `alias: condition`"))
            continue
        ((alias, expr),) = pattern.items()
        negated = alias.endswith("$not")
        bare = alias[: -len("$not")] if negated else alias
        if not ALIAS_RE.match(bare) or "$" in bare or bare.startswith("gate"):
            problems.append(
                locator.problem(
                    ppath,
                    f"{name}: alias {alias!r} must be lowercase letters, digits or _",
                    "and must not start with `gate`",
                )
            )
            continue
        if bare in aliases:
            problems.append(locator.problem(ppath, f"{name}: alias {bare!r} is used twice"))
        constants: dict[str, list[Any]] = {}
        walk_condition(expr, (*ppath, alias), aliases, locator, constants, problems)
        problems += _check_names(book, constants, locator, (*ppath, alias), name)
        aliases.add(bare)
        if not negated:
            bound.add(bare)
    problems += _check_roles(rule, bound, locator, path, name)
    return [
        p if str(p.message).startswith(f"{name}:") else Problem(p.file, p.line, p.path, f"{name}: {p.message}", p.hint)
        for p in problems
    ]
