"""The rulebook under ``rules/``: its models, and loading it with every defect located.

The rulebook is data: sources, elements, the indicator vocabulary, parameters, theories and rule files
whose conditions are durable-rules' own condition language. This module validates the shape of that data
and its cross-references (ids, aliases, indicators, parameters, quotes). It decides nothing legal and
never imports the engine.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from .errors import InputError, Problem, RulebookError
from .yamlsafe import Locator, load_file
from .validation import problems_from

STATUSES = ("met", "weakening", "not_met", "unknown")
VERDICTS = ("holds", "at_risk", "undetermined", "lapsed")
EXCLUSIONS = ("unconfirmed", "stale", "future")
SUPERSESSIONS = ("older", "weaker_grade", "conflict", "duplicate")
BASES = ("syria", "iraq")

# The engine runs in stages, each opened by a gate fact once the previous one is complete, so that a
# negation ($not) only ever looks at facts that can no longer appear.
STAGES = ("evidence", "resolution", "selection", "status", "ground", "verdict")
ACTIONS_BY_STAGE: dict[str, tuple[str, ...]] = {
    "evidence": ("derive", "exclude", "supersede"),
    "resolution": ("supersede",),
    "selection": ("derive",),
    "status": ("status", "note"),
    "ground": ("ground",),
    "verdict": ("verdict",),
}
ACTIONS = ("derive", "exclude", "supersede", "status", "note", "ground", "verdict")

OPERATORS = {"$and", "$or", "$eq", "$neq", "$lt", "$lte", "$gt", "$gte", "$ex", "$nex"}
ALIAS_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDER_FIELD_RE = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z_]+)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Text(_Model):
    """A text in Dutch and English."""

    nl: StrictStr = Field(min_length=1)
    en: StrictStr = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``nl`` or ``en``)."""
        return self.nl if lang == "nl" else self.en


class Cite(_Model):
    """Where a rule's authority comes from: a source id, a pinpoint, and a verbatim quote."""

    source: StrictStr
    pinpoint: StrictStr = Field(min_length=1)
    quote: StrictStr = Field(min_length=1)


class Source(_Model):
    """A source document kept under ``seeds/``."""

    file: StrictStr
    title: Text


class ElementDef(_Model):
    """An element or condition that receives a status."""

    basis: Literal["syria", "iraq"]
    title: Text
    criterion: Text
    cite: Cite


class Indicator(_Model):
    """One indicator of the vocabulary."""

    type: Literal["number", "integer", "boolean", "enum"]
    element: StrictStr
    description: Text
    favours_mandate: StrictBool | Literal["higher", "lower"] | list[StrictStr]
    unit: Text | None = None
    minimum: StrictInt | StrictFloat | None = None
    maximum: StrictInt | StrictFloat | None = None
    values: dict[str, Text] | None = None


class Parameter(_Model):
    """A threshold or policy value, with its source and rationale."""

    type: Literal["number", "days", "reliability", "credibility"]
    value: StrictInt | StrictFloat | StrictStr
    design_choice: StrictBool
    cite: Cite
    rationale: Text
    unit: Text | None = None
    less_than: StrictStr | None = None


class Theory(_Model):
    """A legal theory of necessity (element E4)."""

    title: Text
    held_by: list[StrictStr]
    description: Text


class Rule(_Model):
    """One declarative rule: a durable-rules condition plus what it establishes and why."""

    id: Annotated[StrictStr, Field(pattern=_RULE_ID.pattern, max_length=80)]
    element: StrictStr
    stage: Literal["evidence", "resolution", "selection", "status", "ground", "verdict"]
    action: Literal["derive", "exclude", "supersede", "status", "note", "ground", "verdict"]
    establishes: StrictStr | None = None
    fact: StrictStr | None = None
    by: StrictStr | None = None
    when: dict[str, Any]
    reason: Text
    cite: Cite

    def patterns(self) -> list[tuple[str, dict[str, Any]]]:
        """The ``all`` patterns as (alias, expression) pairs, in order."""
        out = []
        for pattern in self.when.get("all", []):
            ((alias, expr),) = pattern.items()
            out.append((alias, expr))
        return out

    def basis(self) -> str | None:
        """The basis a ground or verdict rule speaks to."""
        return self.element if self.element in BASES else None


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


class _IndexFile(_Model):
    title: Text
    rule_files: list[StrictStr] = Field(min_length=1)


@dataclass(frozen=True)
class RuleOrigin:
    """Where a rule is written: file and line."""

    file: str
    line: int | None


@dataclass
class Rulebook:
    """Everything under ``rules/``, validated."""

    root: Path
    title: Text
    sources: dict[str, Source]
    elements: dict[str, ElementDef]
    indicators: dict[str, Indicator]
    parameters: dict[str, Parameter]
    theories: dict[str, Theory]
    default_theory: str
    rules: list[Rule]
    origins: dict[str, RuleOrigin] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule:
        """The rule with ``rule_id`` (KeyError when absent)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def rule_ids(self) -> list[str]:
        """Every rule id, in rulebook order."""
        return [rule.id for rule in self.rules]

    def source_path(self, source_id: str) -> Path:
        """The file of a source, resolved against the project root (the parent of ``rules/``)."""
        return (self.root.parent / self.sources[source_id].file).resolve()


FIXED_FILES = ("rulebook.yaml", "sources.yaml", "elements.yaml", "vocabulary.yaml", "parameters.yaml", "theories.yaml")


def did_you_mean(word: str, choices: Any) -> str:
    """A "did you mean ...?" hint, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


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


def load_rulebook(root: Path) -> Rulebook:
    """Load and check the rulebook in directory ``root``; raise :class:`RulebookError` listing all defects."""
    root = root.resolve()
    if not root.is_dir():
        raise RulebookError([Problem(str(root), None, "", "rulebook directory not found",
                                     "name the folder that holds vocabulary.yaml and the rule files")])
    problems: list[Problem] = []
    loaded: dict[str, Any] = {}
    locators: dict[str, Locator] = {}
    models = dict(zip(FIXED_FILES, (_IndexFile, _SourcesFile, _ElementsFile, _VocabularyFile, _ParametersFile, _TheoriesFile)))
    for name, model in models.items():
        path = root / name
        if not path.exists():
            problems.append(Problem(_display(path, root), None, "", "required rulebook file is missing"))
            continue
        try:
            loaded[name], locators[name] = _load_model(path, model, root)
        except InputError as exc:
            problems.extend(exc.problems)
    rules: list[Rule] = []
    origins: dict[str, RuleOrigin] = {}
    rule_locators: dict[str, tuple[Locator, int]] = {}
    rule_files: list[Path] = []
    if "rulebook.yaml" in loaded:
        index_loc = locators["rulebook.yaml"]
        for i, name in enumerate(loaded["rulebook.yaml"].rule_files):
            path = root / name
            if "/" in name or "\\" in name or not name.endswith(".yaml") or not path.is_file():
                problems.append(index_loc.problem(("rule_files", i), f"rule file {name!r} not found in {root.name}/"))
            else:
                rule_files.append(path)
        listed = {p.name for p in rule_files} | set(FIXED_FILES)
        for stray in sorted(root.glob("*.yaml")):
            if stray.name not in listed and stray.name not in loaded["rulebook.yaml"].rule_files:
                problems.append(Problem(_display(stray, root), None, "",
                                        "rule file is not listed in rulebook.yaml, so it would be ignored",
                                        "add it to rule_files or remove it"))
    for path in rule_files:
        try:
            parsed, locator = _load_model(path, _RulesFile, root)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for index, rule in enumerate(parsed.rules):
            if rule.id in origins:
                first = origins[rule.id]
                problems.append(locator.problem(("rules", index, "id"),
                                                f"rule id {rule.id!r} is used twice (first in {first.file}:{first.line})",
                                                "give every rule its own id"))
                continue
            origins[rule.id] = RuleOrigin(locator.file, locator.line(("rules", index)))
            rule_locators[rule.id] = (locator, index)
            rules.append(rule)
    if problems:
        raise RulebookError(problems)
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
        origins=origins,
    )
    # The cross-reference checks build on the models above, so they are imported here, not at the top.
    from .rulebook_checks import check_definitions, check_rule

    problems.extend(check_definitions(book, locators))
    for rule in rules:
        locator, index = rule_locators[rule.id]
        problems.extend(check_rule(book, rule, locator, ("rules", index)))
    if problems:
        raise RulebookError(problems)
    return book


def parameter_value_problem(kind: str, value: Any) -> str:
    """Why ``value`` is not a valid value for a parameter of type ``kind`` ('' when it is)."""
    if kind == "reliability":
        if not (isinstance(value, str) and re.fullmatch(r"[A-F]", value)):
            return f"{value!r} is not a source reliability (a letter A-F)"
    elif kind == "credibility":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
            return f"{value!r} is not an information credibility (a digit 1-6)"
    elif kind == "days":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36500:
            return f"{value!r} is not a number of days (a whole number from 0 to 36500)"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{value!r} is not a number"
        if value != value or value in (float("inf"), float("-inf")):
            return f"{value!r} is not a finite number"
        if not 0 <= value <= 1_000_000:
            return f"{value!r} is outside 0 to 1000000"
        if round(value, 4) != value:
            return f"{value!r} has more than 4 decimals"
    return ""


def constants(expr: Any, key: str) -> set[Any]:
    """Every constant a condition compares property ``key`` with (e.g. the indicators it names)."""
    found: set[Any] = set()
    if isinstance(expr, dict):
        for k, v in expr.items():
            if k == key and not isinstance(v, (dict, list)):
                found.add(v)
            else:
                found |= constants(v, key)
    elif isinstance(expr, list):
        for item in expr:
            found |= constants(item, key)
    return found


def parameter_names(rule: Rule) -> set[str]:
    """The parameters a rule reads (its `t: param` patterns)."""
    names: set[str] = set()
    for _alias, expr in rule.patterns():
        if "param" in constants(expr, "t"):
            names |= {n for n in constants(expr, "name") if isinstance(n, str)}
    return names


@lru_cache(maxsize=4)
def cached_rulebook(root: Path) -> Rulebook:
    """The rulebook in ``root``, loaded once per process."""
    return load_rulebook(root)


def default_rules_dir() -> Path:
    """The rulebook to use: ``MANDAAT_RULES``, else the copy installed with the package, else the
    ``rules/`` folder of the source tree this package runs from."""
    import os

    env = os.environ.get("MANDAAT_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    installed = here.parent / "_data" / "rules"
    if (installed / "vocabulary.yaml").is_file():
        return installed
    for parent in here.parents:
        candidate = parent / "rules"
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    return Path.cwd() / "rules"
