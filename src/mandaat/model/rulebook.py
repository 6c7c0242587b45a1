"""The rulebook's models: the law as ``rules/`` declares it, and the rules ``read/`` compiles from it.

Two layers, kept apart:
- the *declarations* a lawyer reads and writes: sources and citations, the vocabulary, dated parameters,
  theories, the evidence policy, each element's test (a template) with its texts, and the verdict tables;
- the *compiled rules* durable-rules runs (:class:`Rule`): conditions in durable's own language, each with
  a stable id, the action it takes, and the reason and citation a firing reports.
Pure data, no loading and no compiling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

T = TypeVar("T")

EXCLUSIONS = ("unconfirmed", "stale", "future")
SUPERSESSIONS = ("older", "weaker_grade", "duplicate")
CITE_KINDS = ("quote", "reference", "design_choice")
EVIDENCE_KINDS = ("fact", "act", "judgment")
# The kinds of element and condition the verdict tables pick by (DESIGN §2.4).
ELEMENT_KINDS = ("element", "request", "judgment", "report", "council", "consent")

# The engine runs in stages, each opened by a gate fact once the previous one is complete, so that a
# negation ($not) only ever looks at facts that can no longer appear.
STAGES = (
    "evidence",  # which readings are relied upon, excluded
    "resolution",  # the newest relied-upon date of each series, and grade dominance on it
    "selection",  # the readings that speak (one per value)
    "reading",  # what speaking readings say besides their value (quiet runs), and notes
    "combine",  # each combination of classes gives an outcome (a cell of the element's test)
    "area",  # the outcome of each area, contested when the combinations differ
    "status",  # the element's status
    "ground",  # statuses that are grounds of a verdict
    "verdict",  # the verdict of each basis
)
ACTIONS_BY_STAGE: dict[str, tuple[str, ...]] = {
    "evidence": ("derive", "exclude"),
    "resolution": ("derive", "supersede", "mark"),
    "selection": ("derive", "supersede"),
    "reading": ("mark", "note"),
    "combine": ("row",),
    "area": ("part", "contest"),
    "status": ("status", "contest"),
    "ground": ("ground",),
    "verdict": ("verdict",),
}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDER_FIELD_RE = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z_]+)$")
PARAMETER_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:/=,|+\[\]-]*$")
_ID = r"^[a-z][a-z0-9-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Text(_Model):
    """A text in Dutch and English."""

    nl: StrictStr = Field(min_length=1)
    en: StrictStr = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``nl`` or ``en``)."""
        return self.nl if lang == "nl" else self.en


class Say(Text):
    """A reason's text in Dutch and English, and the id of the citation that supports it."""

    cite: StrictStr


# ---------------------------------------------------------------------------------------------------------
# Sources and citations (sources.yaml)


class Source(_Model):
    """A source document kept under ``seeds/``, with what a reader needs to cite it: its date (no quote of
    it supports an earlier assessment), the kind of document, the chamber and number parliament cites it by,
    a UN symbol, a citable reference, a parallel reference not yet verified, a short form for repeat
    citations, the line of page furniture that closes a page, and pinpoints in the reader's language."""

    file: StrictStr
    title: Text
    date: StrictStr = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    kind: StrictStr | None = None
    chamber: Text | None = None
    number: StrictStr | None = None
    symbol: StrictStr | None = None
    reference: Text | None = None
    unverified: Text | None = None
    short: Text | None = None
    page_footer: StrictStr | None = None
    first_page: StrictInt = 1
    pinpoints: dict[StrictStr, Text] = Field(default_factory=dict)


class Citation(_Model):
    """A citation declared once in ``sources.yaml``, of one of three kinds (DESIGN §2.5):

    - ``quote``: a verbatim quote from a source kept in ``seeds/`` (source, pinpoint and quote; the quote
      is checked against the file);
    - ``reference``: doctrine or a UN document not kept in ``seeds/``, in Dutch and English, with its date;
    - ``design_choice``: a choice of the model, with its rationale in Dutch and English (``{NAME}`` is the
      value in force of parameter NAME).
    """

    source: StrictStr | None = None
    pinpoint: StrictStr | None = Field(default=None, min_length=1)
    quote: StrictStr | None = Field(default=None, min_length=1)
    reference: Text | None = None
    design_choice: Text | None = None
    date: StrictStr | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")

    @model_validator(mode="after")
    def _one_kind(self) -> Citation:
        kinds = [self.quote is not None, self.reference is not None, self.design_choice is not None]
        if sum(kinds) != 1:
            raise ValueError("a citation is one of: `quote` (with source and pinpoint), `reference`, `design_choice`")
        if self.quote is not None and not (self.source and self.pinpoint):
            raise ValueError("a quote needs `source` and `pinpoint`")
        if self.quote is None and (self.source or self.pinpoint):
            raise ValueError("only a quote names a `source` and a `pinpoint`")
        return self

    @property
    def kind(self) -> str:
        """``quote``, ``reference`` or ``design_choice``."""
        if self.quote is not None:
            return "quote"
        return "reference" if self.reference is not None else "design_choice"


@dataclass(frozen=True)
class Cite:
    """A citation as a compiled rule carries it: its id and kind, and the fields of its kind."""

    id: str
    kind: str
    source: str | None = None
    pinpoint: str | None = None
    quote: str | None = None
    reference: Text | None = None
    rationale: Text | None = None
    date: str | None = None


# ---------------------------------------------------------------------------------------------------------
# Outcomes, vocabulary, parameters, theories


class Outcome(_Model):
    """A status or a verdict, as ``outcomes.yaml`` declares it."""

    label: Text
    rank: StrictInt
    colour: Annotated[StrictStr, Field(pattern=r"^#[0-9a-f]{6}$")]
    exit_code: StrictInt | None = None
    provisional: StrictBool = False  # a verdict that holds «vooralsnog»: until a reading it rests on expires


class BasisDef(_Model):
    """A legal basis that gets a verdict."""

    title: Text
    name: Text


class Indicator(_Model):
    """One indicator of the vocabulary, or the term of an adviser's judgment (``evidence: judgment``)."""

    type: Literal["number", "integer", "boolean", "enum"]
    description: Text
    favours_mandate: StrictBool | Literal["higher", "lower"] | list[StrictStr]
    label: Text | None = None  # a short name for reports; the technical name is what users type
    evidence: Literal["fact", "act", "judgment"] = "fact"
    unit: Text | None = None
    minimum: StrictInt | StrictFloat | None = None
    maximum: StrictInt | StrictFloat | None = None
    values: dict[str, Text] | None = None
    area: StrictBool = False  # readings may name the part of the source area they speak of
    per_days: StrictInt | None = None  # a dated reading counts what happened in the days ending on its date
    scope: StrictBool = False  # readings may be limited to Iraqi territory (`scope: iraqi_territory`)


class Parameter(_Model):
    """A threshold or policy value, dated as the law is, with its citation and rationale."""

    type: Literal["number", "days", "reliability", "credibility", "grade"]
    values: dict[date, StrictInt | StrictFloat | StrictStr] = Field(min_length=1)
    design_choice: StrictBool
    cite: StrictStr
    rationale: Text
    unit: Text | None = None
    less_than: StrictStr | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)

    def value_on(self, day: date) -> Any:
        """The value in force on ``day`` (the earliest value for a day before every date)."""
        dates = sorted(self.values)
        chosen = dates[0]
        for start in dates:
            if start <= day:
                chosen = start
        return self.values[chosen]

    @property
    def value(self) -> Any:
        """The value in force today (the newest)."""
        return self.values[max(self.values)]


class Theory(_Model):
    """A legal theory of necessity (what the element that tests necessity asks)."""

    title: Text
    held_by: list[StrictStr]
    description: Text
    tests_as: StrictStr | None = None  # tested with another theory's test where an element has none of its own
    cite: StrictStr | None = None  # where the theory is stated


# ---------------------------------------------------------------------------------------------------------
# The evidence policy (evidence.yaml)


class KindPolicy(_Model):
    """When a reading of one kind is relied upon: the parameters of its test, and the citation of the rule."""

    min_reliability: StrictStr | None = None
    min_credibility: StrictStr | None = None
    min_grade: StrictStr | None = None
    max_age_days: StrictStr | None = None
    cite: StrictStr

    def parameters(self) -> list[str]:
        """The parameters this kind's test reads."""
        found = (self.min_reliability, self.min_credibility, self.min_grade, self.max_age_days)
        return [name for name in found if name]


class Policy(_Model):
    """The evidence policy: each kind's test, the report's texts for each step, and their citations."""

    kinds: dict[Literal["fact", "act", "judgment"], KindPolicy]
    say: dict[StrictStr, Text]
    cite: dict[StrictStr, StrictStr]


# ---------------------------------------------------------------------------------------------------------
# Elements and their tests (elements.yaml)


class Row(_Model):
    """A row of a table: when its indicators read as it says, the element has ``status``."""

    when: dict[StrictStr, StrictBool | StrictStr] = Field(default_factory=dict)
    as_new_as: StrictStr | None = None  # the first indicator's reading is as new as this one's, or newer
    status: StrictStr
    say: Say | None = None


class Test(_Model):
    """An element's test: exactly one template, with its fields.

    ``threshold`` (with ``met_at_least`` and ``not_met_at_most``), ``flag`` (with ``true``, ``false`` and
    ``missing``), ``levels`` (with ``statuses`` and ``missing``), ``table`` (rows), ``any``, ``all`` or
    ``best`` (several tests), or ``by_theory`` (a test per theory)."""

    threshold: StrictStr | None = None
    met_at_least: StrictStr | None = None
    not_met_at_most: StrictStr | None = None
    quiet_days: StrictStr | None = None  # a parameter: how long a quiet must last before it is not met
    flag: StrictStr | None = None
    true_: StrictStr | None = Field(default=None, alias="true")
    false_: StrictStr | None = Field(default=None, alias="false")
    levels: StrictStr | None = None
    statuses: dict[StrictStr, StrictStr] | None = None
    missing: StrictStr = "unknown"
    table: list[Row] | None = None
    any: list[Test] | None = None
    all: list[Test] | None = None
    best: list[Test] | None = None
    by_theory: dict[StrictStr, Test] | None = None
    say: dict[StrictStr, Say] = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True, populate_by_name=True)

    @property
    def template(self) -> str:
        """The template's name."""
        for name in ("threshold", "flag", "levels", "table", "any", "all", "best", "by_theory"):
            if getattr(self, name) is not None:
                return name
        return ""

    @model_validator(mode="after")
    def _one_template(self) -> Test:
        named = [
            n
            for n in ("threshold", "flag", "levels", "table", "any", "all", "best", "by_theory")
            if getattr(self, n) is not None
        ]
        if len(named) != 1:
            raise ValueError(
                "a test is exactly one template: threshold, flag, levels, table, any, all, best or by_theory"
            )
        kind = named[0]
        if kind == "threshold" and not (self.met_at_least and self.not_met_at_most):
            raise ValueError("a threshold needs `met_at_least` and `not_met_at_most` (parameter names)")
        if kind != "threshold" and (self.met_at_least or self.not_met_at_most or self.quiet_days):
            raise ValueError("`met_at_least`, `not_met_at_most` and `quiet_days` belong to a threshold")
        if kind == "flag" and (self.true_ is None or self.false_ is None):
            raise ValueError("a flag needs the status for `true` and for `false`")
        if kind != "flag" and (self.true_ is not None or self.false_ is not None):
            raise ValueError("`true` and `false` belong to a flag")
        if kind == "levels" and not self.statuses:
            raise ValueError("levels need `statuses` (a status for each level)")
        if kind != "levels" and self.statuses is not None:
            raise ValueError("`statuses` belong to levels")
        return self


class Context(_Model):
    """An indicator reported beside an element without deciding it, with what the report says of it."""

    indicator: StrictStr
    when: StrictBool | StrictStr | None = None
    say: Say


class ElementDef(_Model):
    """An element or condition that receives a status: its kind and basis, its test, and its texts."""

    kind: Literal["element", "request", "judgment", "report", "council", "consent"]
    basis: StrictStr
    title: Text
    criterion: Text
    cite: StrictStr
    test: Test
    say: dict[StrictStr, Say] = Field(default_factory=dict)
    grounds: dict[StrictStr, Say] = Field(default_factory=dict)
    context: list[Context] = Field(default_factory=list)
    chart: StrictBool = False
    every_status: StrictBool = False
    needs_input: StrictBool = False  # without input the verdict cannot be established (validate warns)
    shown: StrictBool = True  # listed in the report among the elements or the conditions
    open_points: dict[StrictStr, StrictStr] = Field(default_factory=dict)  # status -> message of the open point


class Contested(_Model):
    """What the report says when an element's status depends on which reading is taken."""

    say: Text
    cite: StrictStr


# ---------------------------------------------------------------------------------------------------------
# Verdicts (verdicts.yaml)


class GroundSpec(_Model):
    """Which statuses of which kinds of element are grounds of a row's verdict."""

    kind: StrictStr | list[StrictStr]
    status: StrictStr | list[StrictStr]

    def kinds(self) -> list[str]:
        """The kinds, as a list."""
        return [self.kind] if isinstance(self.kind, str) else list(self.kind)

    def statuses(self) -> list[str]:
        """The statuses, as a list."""
        return [self.status] if isinstance(self.status, str) else list(self.status)


class VerdictRow(_Model):
    """A row of a verdict table: the verdict, the grounds that give it, and what the report says."""

    verdict: StrictStr
    grounds: list[GroundSpec] = Field(default_factory=list)
    say: Say
    ground_say: dict[StrictStr, Say] = Field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------
# Compiled rules


class Rule(_Model):
    """One compiled rule: a durable-rules condition, what it establishes, and why."""

    id: Annotated[StrictStr, Field(pattern=_RULE_ID.pattern, max_length=120)]
    element: StrictStr
    stage: Literal["evidence", "resolution", "selection", "reading", "combine", "area", "status", "ground", "verdict"]
    action: Literal[
        "derive", "exclude", "supersede", "mark", "note", "row", "part", "contest", "status", "ground", "verdict"
    ]
    establishes: StrictStr | None = None
    fact: StrictStr | None = None
    by: StrictStr | None = None
    adds: dict[StrictStr, Any] = Field(default_factory=dict)  # fields the derived fact carries besides the matched ones
    rests_on: list[StrictStr] | None = None  # the aliases whose readings the reason rests on (None: all)
    when: dict[str, Any]
    reason: Text
    cite: StrictStr  # a citation id
    origin: StrictStr = ""  # the declaration it was compiled from: "elements.yaml › E1 › test"

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)

    @property
    def sets_status(self) -> bool:
        """Whether the rule gives an element its status (a contested element's rule among them)."""
        return self.action == "status" or (self.action == "contest" and self.stage == "status")

    def element_of(self, matched: dict[str, dict[str, Any]]) -> str:
        """The element a firing of this rule speaks to: its own, or, for a rule of every element (its
        element is ``status``), the one of the outcome it matched."""
        if self.element == "status" and self.fact is not None:
            return str(matched[self.fact]["el"])
        return self.element

    def patterns(self) -> list[tuple[str, dict[str, Any]]]:
        """The ``all`` patterns as (alias, expression) pairs, in order."""
        out = []
        for pattern in self.when.get("all", []):
            ((alias, expr),) = pattern.items()
            out.append((alias, expr))
        return out


@dataclass(frozen=True)
class Origin:
    """Where a declaration is written: file and line."""

    file: str
    line: int | None


@dataclass
class Rulebook:
    """Everything under ``rules/``, validated, with the rules compiled from it."""

    root: Path
    title: Text
    legal_model: int
    sources: dict[str, Source]
    citations: dict[str, Citation]
    elements: dict[str, ElementDef]
    contested: Contested
    indicators: dict[str, Indicator]
    terms: dict[str, Indicator]  # the terms of advisers' judgments
    parameters: dict[str, Parameter]
    theories: dict[str, Theory]
    default_theory: dict[date, str]
    policy: Policy
    verdict_table: dict[str, list[VerdictRow]]
    statuses: dict[str, Outcome]
    verdicts: dict[str, Outcome]
    bases: dict[str, BasisDef]
    rules: list[Rule] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)  # declaration path ("elements.yaml › E1") -> place
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """What a pickle keeps: everything but the derived values (computed again on first use)."""
        state = dict(self.__dict__)
        state["_derived"] = {}
        return state

    def derived(self, key: str, compute: Callable[[Rulebook], T]) -> T:
        """``compute(self)``, computed once per rulebook (the rulebook does not change once loaded)."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]  # type: ignore[no-any-return]

    def rule(self, rule_id: str) -> Rule:
        """The compiled rule with ``rule_id`` (KeyError when absent)."""
        found = self.derived("rules_by_id", lambda b: {r.id: r for r in b.rules})
        return found[rule_id]

    def rule_ids(self) -> list[str]:
        """Every compiled rule id, in order."""
        return [rule.id for rule in self.rules]

    def element_ids(self, kind: str | None = None) -> list[str]:
        """The elements and conditions in report order: those of kind ``element``, or (``condition``) the
        others, or all."""
        if kind is None:
            return list(self.elements)
        return [n for n, el in self.elements.items() if (el.kind == "element") == (kind == "element")]

    def shown_ids(self, kind: str) -> list[str]:
        """The elements (``element``) or conditions (``condition``) the report lists."""
        return [n for n in self.element_ids(kind) if self.elements[n].shown]

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

    def cite(self, cite_id: str) -> Cite:
        """The citation ``cite_id`` as a rule carries it."""
        c = self.citations[cite_id]
        source_date = self.sources[c.source].date if c.source in self.sources else c.date
        return Cite(
            id=cite_id,
            kind=c.kind,
            source=c.source,
            pinpoint=c.pinpoint,
            quote=c.quote,
            reference=c.reference,
            rationale=c.design_choice,
            date=source_date,
        )

    def theory_on(self, day: date) -> str:
        """The default theory of the law as of ``day``."""
        dates = sorted(self.default_theory)
        chosen = dates[0]
        for start in dates:
            if start <= day:
                chosen = start
        return self.default_theory[chosen]

    def params_on(self, day: date) -> dict[str, Any]:
        """Every parameter's value in force on ``day``."""
        return {name: p.value_on(day) for name, p in self.parameters.items()}

    def judgment_terms(self) -> list[str]:
        """The terms of the judgments an adviser may record."""
        return list(self.terms)

    def vocab(self, name: str) -> Indicator:
        """The declaration of an indicator or of a judgment's term (KeyError when neither)."""
        found = self.indicators.get(name) or self.terms.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def knows(self, name: str) -> bool:
        """Whether ``name`` is an indicator or a judgment's term."""
        return name in self.indicators or name in self.terms

    def kind_of(self, indicator: str) -> str:
        """``fact``, ``act`` or ``judgment``: how the evidence policy weighs a reading of ``indicator``."""
        return self.vocab(indicator).evidence


def constants(expr: Any, key: str) -> set[Any]:
    """Every constant a compiled condition compares property ``key`` with (e.g. the fact types it names)."""
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
