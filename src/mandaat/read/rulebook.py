"""Loading the rulebook under ``rules/`` with every defect located, and compiling it.

The rulebook is declarations: sources and citations, outcomes, the vocabulary, dated parameters, theories,
the evidence policy, the elements' tests and the verdict tables. This module validates their shape and
cross-references (:mod:`.rule_checks` checks the law they state), then compiles them into the rules
durable-rules runs (:mod:`.compile`). It decides nothing legal and never imports the engine.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import Field, StrictInt, ValidationError

from ..model.errors import InputError, Problem, RulebookError, said
from ..model.rulebook import (
    BasisDef,
    Citation,
    Contested,
    ElementDef,
    Indicator,
    Origin,
    Outcome,
    Parameter,
    Policy,
    Rulebook,
    Source,
    Text,
    Theory,
    VerdictRow,
    _Model,
)
from .compile import compile_rules
from .problems import problems_from
from .rule_checks import check_law
from .source import os_problem
from .yamlsafe import Locator, load_file


class _IndexFile(_Model):
    title: Text
    legal_model: StrictInt


class _SourcesFile(_Model):
    sources: dict[str, Source]
    citations: dict[str, Citation]


class _OutcomesFile(_Model):
    statuses: dict[str, Outcome] = Field(min_length=1)
    verdicts: dict[str, Outcome] = Field(min_length=1)
    bases: dict[str, BasisDef] = Field(min_length=1)


class _VocabularyFile(_Model):
    indicators: dict[str, Indicator]
    judgments: dict[str, Indicator] = Field(default_factory=dict)


class _ParametersFile(_Model):
    parameters: dict[str, Parameter]


class _TheoriesFile(_Model):
    default: dict[str, str] = Field(min_length=1)
    theories: dict[str, Theory]


class _EvidenceFile(_Model):
    kinds: dict[str, Any]
    say: dict[str, Text]
    cite: dict[str, str]


class _ElementsFile(_Model):
    contested: Contested
    elements: dict[str, ElementDef] = Field(min_length=1)


class _VerdictsFile(_Model):
    bases: dict[str, list[VerdictRow]]


FILES: dict[str, type[_Model]] = {
    "rulebook.yaml": _IndexFile,
    "sources.yaml": _SourcesFile,
    "outcomes.yaml": _OutcomesFile,
    "vocabulary.yaml": _VocabularyFile,
    "parameters.yaml": _ParametersFile,
    "theories.yaml": _TheoriesFile,
    "evidence.yaml": _EvidenceFile,
    "elements.yaml": _ElementsFile,
    "verdicts.yaml": _VerdictsFile,
}
FIXED_FILES = tuple(FILES)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _keys_as_text(data: Any) -> Any:
    """YAML reads ``true:`` and ``false:`` as keys of text already; values stay as they are. A flag's
    statuses are written ``true: met``: nothing to change but nested tests, which this walks."""
    return data


def _load(path: Path, model: type[_Model], root: Path) -> tuple[Any, Locator]:
    data, locator = load_file(path, _display(path, root))
    try:
        return model.model_validate(_keys_as_text(data)), locator
    except ValidationError as exc:
        raise RulebookError(problems_from(exc, locator)) from None


def _load_files(root: Path, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, Locator]]:
    loaded: dict[str, Any] = {}
    locators: dict[str, Locator] = {}
    for name, model in FILES.items():
        path = root / name
        if not (path.exists() or path.is_symlink()):
            problems.append(Problem(_display(path, root), None, "", "required rulebook file is missing"))
            continue
        try:
            loaded[name], locators[name] = _load(path, model, root)
        except InputError as exc:
            problems.extend(exc.problems)
    for stray in sorted(root.glob("*.yaml")):
        if stray.name not in FILES:
            problems.append(
                Problem(
                    _display(stray, root),
                    None,
                    "",
                    "this file is not part of the rulebook, so it would be ignored",
                    "the rulebook is the files listed in rules/rulebook.yaml; remove this one or move what it"
                    " declares there",
                )
            )
    return loaded, locators


def _policy(data: Any, locator: Locator, problems: list[Problem]) -> Policy | None:
    try:
        return Policy.model_validate({"kinds": data.kinds, "say": data.say, "cite": data.cite})
    except ValidationError as exc:
        problems.extend(problems_from(exc, locator))
        return None


def _dated(data: dict[str, str], locator: Locator, path: tuple[Any, ...], problems: list[Problem]) -> dict[date, str]:
    out: dict[date, str] = {}
    for key, value in data.items():
        try:
            out[date.fromisoformat(key)] = value
        except ValueError:
            problems.append(locator.problem((*path, key), f"{key!r} is not a date (write YYYY-MM-DD)"))
    return out


def _origins(locators: dict[str, Locator], book: Rulebook) -> dict[str, Origin]:
    """Where each declaration is written, by the path ``read/compile`` gives it in its rules' origin."""
    out: dict[str, Origin] = {}
    loc = locators["elements.yaml"]
    for name in book.elements:
        out[f"elements.yaml › {name}"] = Origin(loc.file, loc.line(("elements", name)))
    loc = locators["verdicts.yaml"]
    for basis, rows in book.verdict_table.items():
        for i in range(len(rows)):
            out[f"verdicts.yaml › {basis} › {i}"] = Origin(loc.file, loc.line(("bases", basis, i)))
    loc = locators["evidence.yaml"]
    out["evidence.yaml"] = Origin(loc.file, 1)
    for kind in book.policy.kinds:
        out[f"evidence.yaml › kinds › {kind}"] = Origin(loc.file, loc.line(("kinds", kind)))
    return out


def load_rulebook(root: Path) -> Rulebook:
    """Load, check and compile the rulebook in directory ``root``; raise :class:`RulebookError` listing all
    defects."""
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
    loaded, locators = _load_files(root, problems)
    if problems:
        raise RulebookError(problems)
    policy = _policy(loaded["evidence.yaml"], locators["evidence.yaml"], problems)
    default = _dated(loaded["theories.yaml"].default, locators["theories.yaml"], ("default",), problems)
    if problems or policy is None:
        raise RulebookError(problems)
    outcomes = loaded["outcomes.yaml"]
    book = Rulebook(
        root=root,
        title=loaded["rulebook.yaml"].title,
        legal_model=loaded["rulebook.yaml"].legal_model,
        sources=loaded["sources.yaml"].sources,
        citations=loaded["sources.yaml"].citations,
        elements=loaded["elements.yaml"].elements,
        contested=loaded["elements.yaml"].contested,
        indicators=loaded["vocabulary.yaml"].indicators,
        terms=loaded["vocabulary.yaml"].judgments,
        parameters=loaded["parameters.yaml"].parameters,
        theories=loaded["theories.yaml"].theories,
        default_theory=default,
        policy=policy,
        verdict_table=loaded["verdicts.yaml"].bases,
        statuses=outcomes.statuses,
        verdicts=outcomes.verdicts,
        bases=outcomes.bases,
    )
    problems.extend(check_law(book, locators))
    if problems:
        raise RulebookError(problems)
    book.origins = _origins(locators, book)
    book.rules = compile_rules(book)
    return book
