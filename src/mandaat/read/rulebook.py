"""Loading the rulebook under ``rules/`` with every defect located.

The rulebook is data: sources, elements, the indicator vocabulary, parameters, theories and rule files
whose conditions are durable-rules' own condition language. This module validates the shape of that data
and its cross-references (ids, aliases, indicators, parameters, quotes). It decides nothing legal and
never imports the engine.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import Field, StrictStr, ValidationError

from ..model.errors import InputError, Problem, RulebookError, said
from ..model.rulebook import (
    BasisDef,
    ElementDef,
    Indicator,
    Outcome,
    Parameter,
    Rule,
    Rulebook,
    RuleOrigin,
    Source,
    Text,
    Theory,
    _Model,
)
from .problems import problems_from
from .rule_checks import check_definitions, check_rule
from .source import os_problem
from .yamlsafe import Locator, load_file


class _SourcesFile(_Model):
    sources: dict[str, Source]


class _ElementsFile(_Model):
    elements: dict[str, ElementDef]


class _VocabularyFile(_Model):
    indicators: dict[str, Indicator]


class _ParametersFile(_Model):
    parameters: dict[str, Parameter]


class _TheoriesFile(_Model):
    default: StrictStr
    theories: dict[str, Theory]


class _RulesFile(_Model):
    rules: list[Rule]


class _OutcomesFile(_Model):
    statuses: dict[str, Outcome] = Field(min_length=1)
    verdicts: dict[str, Outcome] = Field(min_length=1)
    bases: dict[str, BasisDef] = Field(min_length=1)


class _IndexFile(_Model):
    title: Text
    rule_files: list[StrictStr] = Field(min_length=1)


FIXED_FILES = (
    "rulebook.yaml",
    "sources.yaml",
    "outcomes.yaml",
    "elements.yaml",
    "vocabulary.yaml",
    "parameters.yaml",
    "theories.yaml",
)


def _load_model(path: Path, model: type[_Model], root: Path) -> tuple[Any, Locator]:
    display = _display(path, root)
    data, locator = load_file(path, display)
    try:
        return model.model_validate(data), locator
    except ValidationError as exc:
        problems = problems_from(exc, locator)
        if model is _RulesFile:
            problems = [_name_rule(p, data) for p in problems]
        raise RulebookError(problems) from None


def _name_rule(problem: Problem, data: Any) -> Problem:
    """Prefix a problem inside ``rules[N]`` with the rule's id, so the message names the rule."""
    match = re.match(r"^rules\[(\d+)\]", problem.path)
    rules = data.get("rules") if isinstance(data, dict) else None
    if not match or not isinstance(rules, list) or int(match.group(1)) >= len(rules):
        return problem
    entry = rules[int(match.group(1))]
    ident = entry.get("id") if isinstance(entry, dict) else None
    if not isinstance(ident, str):
        return problem
    return Problem(problem.file, problem.line, problem.path, f"rule {ident}: {problem.message}", problem.hint)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load_fixed(root: Path, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, Locator]]:
    """The files every rulebook has (index, sources, outcomes, elements, vocabulary, parameters, theories)."""
    loaded: dict[str, Any] = {}
    locators: dict[str, Locator] = {}
    models: tuple[type[_Model], ...] = (
        _IndexFile,
        _SourcesFile,
        _OutcomesFile,
        _ElementsFile,
        _VocabularyFile,
        _ParametersFile,
        _TheoriesFile,
    )
    for name, model in zip(FIXED_FILES, models):
        path = root / name
        if not path.exists():
            problems.append(Problem(_display(path, root), None, "", "required rulebook file is missing"))
            continue
        try:
            loaded[name], locators[name] = _load_model(path, model, root)
        except InputError as exc:
            problems.extend(exc.problems)
    return loaded, locators


def _rule_files(root: Path, index: Any, index_loc: Locator, problems: list[Problem]) -> list[Path]:
    """The rule files the index lists, each found; a YAML file it does not list is a defect."""
    rule_files: list[Path] = []
    for i, name in enumerate(index.rule_files):
        path = root / name
        if "/" in name or "\\" in name or not name.endswith(".yaml") or not path.is_file():
            problems.append(index_loc.problem(("rule_files", i), f"rule file {name!r} not found in {root.name}/"))
        else:
            rule_files.append(path)
    listed = {p.name for p in rule_files} | set(FIXED_FILES) | set(index.rule_files)
    for stray in sorted(root.glob("*.yaml")):
        if stray.name not in listed:
            problems.append(
                Problem(
                    _display(stray, root),
                    None,
                    "",
                    "rule file is not listed in rulebook.yaml, so it would be ignored",
                    "add it to rule_files or remove it",
                )
            )
    return rule_files


def _load_rules(
    root: Path, files: list[Path], problems: list[Problem]
) -> tuple[list[Rule], dict[str, RuleOrigin], dict[str, tuple[Locator, int]]]:
    """Every rule of the rule files, in order; a rule id used twice is a defect."""
    rules: list[Rule] = []
    origins: dict[str, RuleOrigin] = {}
    places: dict[str, tuple[Locator, int]] = {}
    for path in files:
        try:
            parsed, locator = _load_model(path, _RulesFile, root)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for index, rule in enumerate(parsed.rules):
            if rule.id in origins:
                first = origins[rule.id]
                problems.append(
                    locator.problem(
                        ("rules", index, "id"),
                        f"rule id {rule.id!r} is used twice (first in {first.file}:{first.line})",
                        "give every rule its own id",
                    )
                )
                continue
            origins[rule.id] = RuleOrigin(locator.file, locator.line(("rules", index)))
            places[rule.id] = (locator, index)
            rules.append(rule)
    return rules, origins, places


def load_rulebook(root: Path) -> Rulebook:
    """Load and check the rulebook in directory ``root``; raise :class:`RulebookError` listing all defects."""
    try:
        root = Path(os.path.realpath(root))
        found = root.is_dir()
    except (OSError, ValueError) as exc:
        raise RulebookError([os_problem(str(root), exc, said("cannot_open_rules"))]) from None
    if not found:
        raise RulebookError(
            [
                Problem(
                    str(root),
                    None,
                    "",
                    "rulebook directory not found",
                    "name the folder that holds vocabulary.yaml and the rule files",
                )
            ]
        )
    problems: list[Problem] = []
    loaded, locators = _load_fixed(root, problems)
    files: list[Path] = []
    if "rulebook.yaml" in loaded:
        files = _rule_files(root, loaded["rulebook.yaml"], locators["rulebook.yaml"], problems)
    rules, origins, places = _load_rules(root, files, problems)
    if problems:
        raise RulebookError(problems)
    outcomes = loaded["outcomes.yaml"]
    book = Rulebook(
        root=root,
        title=loaded["rulebook.yaml"].title,
        sources=loaded["sources.yaml"].sources,
        elements=loaded["elements.yaml"].elements,
        indicators=loaded["vocabulary.yaml"].indicators,
        parameters=loaded["parameters.yaml"].parameters,
        theories=loaded["theories.yaml"].theories,
        default_theory=loaded["theories.yaml"].default,
        rules=rules,
        statuses=outcomes.statuses,
        verdicts=outcomes.verdicts,
        bases=outcomes.bases,
        origins=origins,
    )
    problems.extend(check_definitions(book, locators))
    for rule in rules:
        locator, index = places[rule.id]
        problems.extend(check_rule(book, rule, locator, ("rules", index)))
    if problems:
        raise RulebookError(problems)
    return book
