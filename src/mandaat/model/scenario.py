"""Scenario format 1: the models of a scenario file.

A scenario is what a legal adviser writes: dated, graded field observations and recorded judgments.
Validation is strict (no coercion of ``"6"`` to 6, ``yes`` to true, or ``2018-02-30`` to anything) and
checks values against the indicator vocabulary in the rulebook, which is passed in the validation
context. This module decides nothing legal.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .errors import Refusal, Said, Words, one_of, said, show, suggestion
from .rulebook import Rulebook

FORMAT_VERSION = 1
MAX_TEXT = 20_000
# Readings of one indicator on one date that differ, none dominating, make it contested, and the rules
# weigh each against the others (the cost grows with the square of their number). More than this many
# different values on one date is no longer a dispute between sources but a defect, however it is made.
MAX_VALUES_PER_DATE = 16
DECIMALS = 4  # a number keeps at most this many decimals: more are refused in a file, rounded in a result
MAX_OBSERVATIONS = 12_000  # 10,000 observations of one indicator evaluate in seconds (benchmarks/hostile.py)
# The years the model computes with (validity windows, ages of evidence, what-if dates stay far from the
# calendar's edges); a caller may pass other bounds as ``years`` in the validation context.
YEARS = (1900, 2200)
# C0 and C1 controls, invisible line separators and bidirectional overrides: never in what a report quotes.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GRADE = re.compile(r"^[A-F][1-6]$")


def _no_control(text: str) -> str:
    bad = _CONTROL.search(text)
    if bad:
        char = bad.group()
        what = "text_bidi" if unicodedata.category(char) == "Cf" else "text_control"
        raise Refusal(said(what, code=f"{ord(char):04X}"), said("no_escapes"))
    return text


def _one_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise Refusal(said("one_line"), said("write_one_line"))
    return _no_control(text)


def iso_date(value: Any, info: ValidationInfo | None = None) -> Any:
    """``value`` (a date, or a text YYYY-MM-DD) as a date within the years; else a :class:`Refusal`."""
    low, high = (info.context or {}).get("years", YEARS) if info is not None else YEARS
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            if int(value[:4]) == 0:  # no year 0 in the calendar Python computes with
                raise Refusal(said("date_outside_years", value=value, low=low, high=high), said("check_year")) from None
            error = said("no_such_month" if not 1 <= int(value[5:7]) <= 12 else "no_such_day")
            raise Refusal(said("date_impossible", value=repr(value), error=error), said("check_day_month")) from None
    if isinstance(value, date):
        if not low <= value.year <= high:
            raise Refusal(said("date_outside_years", value=value, low=low, high=high), said("check_year"))
        return value
    raise Refusal(said("not_a_date", value=repr(value)), said("write_date"))


def year_problem(day: date) -> Said | None:
    """Why ``day`` is outside the years the model computes with (None when it is inside)."""
    low, high = YEARS
    return None if low <= day.year <= high else said("date_outside_years", value=day, low=low, high=high)


def _grade(value: Any) -> Any:
    if isinstance(value, str) and _GRADE.match(value):
        return value
    hint = said("grade_form")
    if isinstance(value, str) and _GRADE.match(value.upper()):
        hint = said("grade_capitals", value=repr(value.upper()))
    raise Refusal(said("not_a_grade", value=repr(value)), hint)


Text = Annotated[StrictStr, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_no_control)]
ShortText = Annotated[StrictStr, Field(min_length=1, max_length=300), AfterValidator(_one_line)]
IsoDate = Annotated[date, BeforeValidator(iso_date)]
Grade = Annotated[str, BeforeValidator(_grade)]
ScenarioId = Annotated[StrictStr, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9-]+$")]
ObservationId = Annotated[StrictStr, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]


def clean_number(value: int | float) -> int | float:
    """An integral float as int; other floats rounded to 4 decimals (validation already bounded them)."""
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return round(value, DECIMALS)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True, defer_build=True)


# Empty defaults from plain functions: pydantic reads a default factory's signature when it builds a model,
# and a builtin's (``list``, ``dict``) is parsed from text: the first such parse in a process compiles the
# tokenizer's patterns (over a millisecond), each one after it still a tenth of one.
def _no_items() -> list[Any]:
    return []


def _no_params() -> dict[str, Any]:
    return {}


class SourceRef(_Model):
    """Who reported an observation."""

    name: ShortText
    origin: Literal["national", "coalition", "open"]


class Period(_Model):
    """A reporting period; the observation counts as dated at its end."""

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise Refusal(said("period_backwards", start=self.start, end=self.end), said("swap_dates"))
        return self


class Observation(_Model):
    """One graded field observation of one indicator."""

    id: ObservationId
    indicator: StrictStr
    value: Any
    dated: IsoDate | None = Field(default=None, alias="date")
    period: Period | None = None
    source: ShortText | SourceRef
    grade: Grade
    quote: Text | None = None
    note: Text | None = None
    hypothetical: StrictBool = False

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, name: str, info: ValidationInfo) -> str:
        book = _book(info)
        if book is not None and name not in book.indicators:
            hint = suggestion(name, [*book.indicators, *book.terms], said("see_schema_list"))
            raise Refusal(said("unknown_indicator", name=repr(name)), hint)
        return name

    @field_validator("value")
    @classmethod
    def _typed_value(cls, value: Any, info: ValidationInfo) -> Any:
        book = _book(info)
        name = info.data.get("indicator")
        if book is None or name not in book.indicators:
            return value
        return check_indicator_value(book, name, value)

    @model_validator(mode="after")
    def _one_date(self) -> Observation:
        if (self.dated is None) == (self.period is None):
            raise Refusal(said("date_or_period"), said("date_or_period_hint"))
        return self

    @property
    def as_of(self) -> date:
        """The date the observation speaks for: its date, or the end of its period."""
        if self.dated is not None:
            return self.dated
        assert self.period is not None
        return self.period.end

    @property
    def value_key(self) -> str:
        """One text per value, whatever its type: readings with the same key say the same."""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, (int, float)):
            return json.dumps(clean_number(self.value))
        return str(self.value)

    @property
    def source_name(self) -> str:
        """The source's name, whichever form it was written in."""
        return self.source if isinstance(self.source, str) else self.source.name


class Judgment(_Model):
    """An evaluative judgment an adviser records, on a term the rulebook's vocabulary declares."""

    term: StrictStr
    holds: StrictBool
    by: ShortText
    dated: IsoDate = Field(alias="date")
    rationale: Text

    @field_validator("term")
    @classmethod
    def _known_term(cls, name: str, info: ValidationInfo) -> str:
        book = _book(info)
        if book is not None and name not in book.terms:
            raise Refusal(said("unknown_term", name=repr(name)), suggestion(name, book.terms, one_of(book.terms)))
        return name


class Scenario(_Model):
    """A scenario file, format 1."""

    mandaat: Literal[1]
    id: ScenarioId
    title: ShortText
    assessed_on: IsoDate
    law_as_of: IsoDate | None = None
    description: Text | None = None
    theory: StrictStr | None = None
    params: dict[StrictStr, Any] = Field(default_factory=_no_params)  # checked with locations in parse_scenario
    observations: list[Observation] = Field(default_factory=_no_items, max_length=MAX_OBSERVATIONS)
    judgments: list[Judgment] = Field(default_factory=_no_items, max_length=500)

    @field_validator("observations")
    @classmethod
    def _values_per_date(cls, observations: list[Observation]) -> list[Observation]:
        """More than MAX_VALUES_PER_DATE values of an indicator on a date, refused where the bound is passed."""
        values: dict[tuple[str, date], set[str]] = {}
        errors: list[Any] = []
        for i, obs in enumerate(observations):
            seen = values.setdefault((obs.indicator, obs.as_of), set())
            if len(seen) == MAX_VALUES_PER_DATE and obs.value_key not in seen:  # over the bound: refused once
                message = said("too_many_date_values", max=MAX_VALUES_PER_DATE, indicator=obs.indicator, date=obs.as_of)
                error = Refusal(message, said("keep_bearing_readings"))
                errors.append({"type": "value_error", "loc": (i, "value"), "input": obs.value, "ctx": {"error": error}})
            seen.add(obs.value_key)
        if errors:
            raise ValidationError.from_exception_data("Scenario", errors)
        return observations

    @field_validator("theory")
    @classmethod
    def _known_theory(cls, name: str | None, info: ValidationInfo) -> str | None:
        book = _book(info)
        if name is not None and book is not None and name not in book.theories:
            hint = suggestion(name, book.theories, one_of(book.theories))
            raise Refusal(said("unknown_theory", name=repr(name)), hint)
        return name


def _book(info: ValidationInfo) -> Rulebook | None:
    context = info.context or {}
    book = context.get("rulebook")
    return book if isinstance(book, Rulebook) else None


def check_indicator_value(book: Rulebook, name: str, value: Any) -> Any:
    """``value`` if it fits indicator ``name``; else a :class:`Refusal` with a message and a hint."""
    ind = book.indicators[name]
    shown = show(value)
    if ind.type == "boolean":
        if isinstance(value, bool):
            return value
        raise Refusal(said("not_boolean_for", value=shown, name=name), said("write_true_false"))
    if ind.type == "enum":
        assert ind.values is not None
        if isinstance(value, str) and value in ind.values:
            return value
        hint: Words = one_of(ind.values)
        if isinstance(value, str):
            hint = suggestion(value, ind.values, hint)
        raise Refusal(said("not_value_of", value=shown, name=name), hint)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = said("number_without_quotes" if isinstance(value, str) else "write_number")
        raise Refusal(said("not_number_for", value=shown, name=name), hint)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise Refusal(said("not_finite_for", value=shown, name=name), said("write_count"))
    if ind.type == "integer" and not isinstance(value, int):
        raise Refusal(said("not_whole_for", value=shown, name=name), said("write_whole"))
    low = ind.minimum if ind.minimum is not None else -math.inf
    high = ind.maximum if ind.maximum is not None else math.inf
    if not low <= value <= high:
        raise Refusal(said("outside_range_of", value=shown, name=name), said("must_lie_between", low=low, high=high))
    if isinstance(value, float) and round(value, DECIMALS) != value:
        raise Refusal(said("too_many_decimals", value=shown), said("round_decimals"))
    return value
