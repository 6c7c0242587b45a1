"""The report model: the reasoned verdict as data. Its JSON form is a versioned contract (docs/report-json.md).

Bump REPORT_FORMAT when a field is removed or changes meaning; adding a field keeps the version.
This module holds data only: explain builds it, the renderers read it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_FORMAT = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Citation(_Model):
    """The authority for a reason, of one of three kinds (``kind``): a verbatim ``quote`` from a source in
    ``seeds/`` (source, source_title, pinpoint, quote); a ``reference`` to doctrine or a UN document
    (``reference``; the quote fields are empty); or a ``design_choice`` with its ``rationale`` (the quote
    fields are empty)."""

    source: str
    source_title: str
    pinpoint: str
    quote: str
    kind: str = "quote"
    reference: str | None = None
    rationale: str | None = None


class Reason(_Model):
    """One step of the argument: which rule, what it says, on which evidence, on whose authority."""

    rule: str
    text: str
    observations: list[str] = Field(default_factory=list)
    judgments: list[str] = Field(default_factory=list)
    cite: Citation


class ElementReport(_Model):
    """The status of an element or condition, and why."""

    title: str
    criterion: str
    status: str  # one of the rulebook's statuses (rules/outcomes.yaml)
    reasons: list[Reason]
    notes: list[Reason] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    cite: Citation


class EvidenceItem(_Model):
    """An observation as the report lists it."""

    observation: str
    indicator: str
    value: str
    date: str
    grade: str
    source: str
    quote: str | None = None
    hypothetical: bool = False
    reasons: list[Reason] = Field(default_factory=list)


class EvidenceLists(_Model):
    """What happened to every observation under the evidence policy."""

    relied_upon: list[EvidenceItem]
    superseded: list[EvidenceItem]
    conflicts: list[EvidenceItem]
    unconfirmed: list[EvidenceItem]
    stale: list[EvidenceItem]
    after_assessment: list[EvidenceItem]


class JudgmentItem(_Model):
    """A recorded judgment and whether it counts."""

    ref: str
    term: str
    holds: bool
    by: str
    date: str
    rationale: str
    counts: bool


class OpenJudgment(_Model):
    """A judgment an adviser still has to make or revisit."""

    term: str
    text: str


class Judgments(_Model):
    """Recorded and open judgments."""

    recorded: list[JudgmentItem]
    open: list[OpenJudgment]


class ScenarioInfo(_Model):
    """What was assessed, with which settings."""

    id: str
    title: str
    assessed_on: str
    theory: str
    theory_title: str
    params: dict[str, int | float | str]
    overridden: dict[str, str]
    description: str | None = None


class FileHash(_Model):
    """A file an evaluation read, by its path and the SHA-256 of its bytes."""

    path: str
    sha256: str


class Receipt(_Model):
    """What produced a report, so that `mandaat replay` can produce it again and say what changed."""

    mandaat_version: str
    rules_dir: str
    rules: list[FileHash]
    rules_sha256: str  # of the sorted "sha256  path" lines of every rule file: the rulebook at a glance
    scenario: FileHash  # path as given; sha256 of the scenario resolved (after `extends`), canonical JSON
    scenario_file_sha256: str | None = None  # the bytes of the file as read
    theory: str
    theory_given: str | None = None
    params: dict[str, int | float | str | bool] = Field(default_factory=dict)
    as_of: str | None = None
    engine: str
    language: str


class Report(_Model):
    """A reasoned report on one scenario."""

    report_format: int = REPORT_FORMAT
    mandaat_version: str
    language: Literal["nl", "en"]
    scenario: ScenarioInfo
    verdict: dict[str, str]  # basis -> one of the rulebook's verdicts, in rulebook order
    verdict_reasons: dict[str, list[Reason]]
    valid_until: str | None  # «vooralsnog»: when the first relied-upon fact goes stale (None: no such date)
    elements: dict[str, ElementReport]
    conditions: dict[str, ElementReport]
    evidence: EvidenceLists
    judgments: Judgments
    rules_fired: list[str]
    receipt: Receipt | None = None
