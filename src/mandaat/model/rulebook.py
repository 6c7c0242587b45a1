"""The rulebook's models: what ``rules/`` declares, once validated. Pure data, no loading."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

T = TypeVar("T")

EXCLUSIONS = ("unconfirmed", "stale", "future")
SUPERSESSIONS = ("older", "weaker_grade", "conflict", "duplicate")
# What a `derive` rule may establish (the walks that find them are described in rules/evidence.yaml).
DERIVED = ("relied", "skipped", "stepped", "newest", "current", "passed", "evidence", "considered", "judged")
CITE_KINDS = ("quote", "reference", "design_choice")

# The engine runs in stages, each opened by a gate fact once the previous one is complete, so that a
# negation ($not) only ever looks at facts that can no longer appear.
STAGES = ("evidence", "resolution", "selection", "status", "ground", "verdict")
ACTIONS_BY_STAGE: dict[str, tuple[str, ...]] = {
    "evidence": ("derive", "exclude", "supersede"),
    "resolution": ("derive", "supersede"),
    "selection": ("derive", "supersede"),
    "status": ("status", "note"),
    "ground": ("ground",),
    "verdict": ("verdict",),
}

OPERATORS = {"$and", "$or", "$eq", "$neq", "$lt", "$lte", "$gt", "$gte", "$ex", "$nex"}
ALIAS_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDER_FIELD_RE = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z_]+)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Text(_Model):
    """A text in Dutch and English."""

    nl: StrictStr = Field(min_length=1)
    en: StrictStr = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``nl`` or ``en``)."""
        return self.nl if lang == "nl" else self.en


class Cite(_Model):
    """Where a reason's authority comes from, of one of three kinds (DESIGN §2, "citations are honest"):

    - ``quote``: a verbatim quote from a source kept in ``seeds/`` that supports the reason (source,
      pinpoint and quote; the quote is checked against the file);
    - ``reference``: doctrine or a UN document not kept in ``seeds/`` (``reference``, e.g. "ICJ,
      Nicaragua, 1986, §199"), never with a quote;
    - ``design_choice``: a choice of the model (threshold, evidence policy), with its ``rationale`` in
      Dutch and English, never with a quote.
    """

    kind: Literal["quote", "reference", "design_choice"] = "quote"
    source: StrictStr | None = None
    pinpoint: StrictStr | None = Field(default=None, min_length=1)
    quote: StrictStr | None = Field(default=None, min_length=1)
    reference: StrictStr | None = Field(default=None, min_length=1)
    rationale: Text | None = None

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Cite:
        if self.kind == "quote":
            if not (self.source and self.pinpoint and self.quote):
                raise ValueError("a `quote` citation needs source, pinpoint and quote")
            if self.reference or self.rationale:
                raise ValueError("a `quote` citation carries no reference or rationale")
        elif self.quote:
            raise ValueError(f"a `{self.kind}` citation carries no quote")
        if self.kind == "reference" and not self.reference:
            raise ValueError("a `reference` citation needs `reference` (case, paragraph or document symbol)")
        if self.kind == "design_choice" and self.rationale is None:
            raise ValueError("a `design_choice` citation needs `rationale` in nl and en")
        return self


class Source(_Model):
    """A source document kept under ``seeds/``, with what a reader needs to cite it (all but file and title
    optional): the kind of document, the chamber, number and date parliament cites it by, a UN symbol, a
    citable reference, a parallel reference not yet verified, a short form for repeat citations, the line
    of page furniture that closes a page in the seed text, and pinpoints in the reader's language."""

    file: StrictStr
    title: Text
    kind: StrictStr | None = None
    chamber: Text | None = None
    number: StrictStr | None = None
    date: StrictStr | None = None
    symbol: StrictStr | None = None
    reference: Text | None = None
    unverified: Text | None = None
    short: Text | None = None
    page_footer: StrictStr | None = None
    first_page: StrictInt = 1
    pinpoints: dict[StrictStr, Text] = Field(default_factory=dict)


class Outcome(_Model):
    """A status or a verdict, as ``outcomes.yaml`` declares it."""

    label: Text
    rank: StrictInt
    colour: Annotated[StrictStr, Field(pattern=r"^#[0-9a-f]{6}$")]
    exit_code: StrictInt | None = None
    provisional: StrictBool = False  # a verdict that holds «vooralsnog»: until the first fact goes stale


class BasisDef(_Model):
    """A legal basis that gets a verdict."""

    title: Text
    name: Text


class ElementDef(_Model):
    """An element or condition that receives a status."""

    kind: Literal["element", "condition"]
    basis: StrictStr
    chart: StrictBool
    every_status: StrictBool
    needs_input: StrictBool = False  # without input the verdict cannot be established (validate warns)
    fed_by: list[StrictStr] = Field(default_factory=list)  # indicators of another element that serve this one
    judgment: StrictStr | None = None  # the term of the adviser's judgment (`judgments:`) that feeds it
    open_points: dict[StrictStr, StrictStr] = Field(default_factory=dict)  # status -> message of the open point
    title: Text
    criterion: Text
    cite: Cite


class Indicator(_Model):
    """One indicator of the vocabulary."""

    type: Literal["number", "integer", "boolean", "enum"]
    element: StrictStr
    description: Text
    favours_mandate: StrictBool | Literal["higher", "lower"] | list[StrictStr]
    label: Text | None = None  # a short name for reports; the technical name is what users type
    evidence: Literal["fact", "act"] = "fact"  # a fact on the ground (perishable) or a standing act
    unit: Text | None = None
    minimum: StrictInt | StrictFloat | None = None
    maximum: StrictInt | StrictFloat | None = None
    values: dict[str, Text] | None = None


class Parameter(_Model):
    """A threshold or policy value, with its source and rationale."""

    type: Literal["number", "days", "reliability", "credibility", "grade"]
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
    statuses: dict[str, Outcome]
    verdicts: dict[str, Outcome]
    bases: dict[str, BasisDef]
    origins: dict[str, RuleOrigin] = field(default_factory=dict)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: str, compute: Callable[[Rulebook], T]) -> T:
        """``compute(self)``, computed once per rulebook (the rulebook does not change once loaded)."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]  # type: ignore[no-any-return]

    def rule(self, rule_id: str) -> Rule:
        """The rule with ``rule_id`` (KeyError when absent)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def rule_ids(self) -> list[str]:
        """Every rule id, in rulebook order."""
        return [rule.id for rule in self.rules]

    def element_ids(self, kind: str | None = None) -> list[str]:
        """The elements and conditions in report order, or only those of ``kind``."""
        return [name for name, el in self.elements.items() if kind is None or el.kind == kind]

    def status_rank(self, status: str) -> int:
        """How good a status is: higher is better for the basis."""
        return self.statuses[status].rank

    def verdict_rank(self, verdict: str) -> int:
        """How good a verdict is: higher is better for the basis."""
        return self.verdicts[verdict].rank

    def best_verdict(self) -> str:
        """The verdict with the highest rank."""
        return max(self.verdicts, key=self.verdict_rank)

    def worst_verdict(self) -> str:
        """The verdict with the lowest rank."""
        return min(self.verdicts, key=self.verdict_rank)

    def outcome(self, value: str) -> Outcome:
        """The declaration of a status or a verdict."""
        return self.statuses.get(value) or self.verdicts[value]

    def source_path(self, source_id: str) -> Path:
        """The file of a source, resolved against the project root (the parent of ``rules/``)."""
        return (self.root.parent / self.sources[source_id].file).resolve()


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


def judgment_terms(book: Rulebook) -> list[str]:
    """The terms of the advisers' judgments that feed a condition, in report order."""
    return [e.judgment for e in book.elements.values() if e.judgment]


def parameter_names(rule: Rule) -> set[str]:
    """The parameters a rule reads (its `t: param` patterns)."""
    names: set[str] = set()
    for _alias, expr in rule.patterns():
        if "param" in constants(expr, "t"):
            names |= {n for n in constants(expr, "name") if isinstance(n, str)}
    return names
