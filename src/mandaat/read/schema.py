"""The JSON Schema of scenario format 1, for editors: the reader's contract, written out from the
rulebook's vocabulary and parameters.

It describes plain scenarios and variants (``extends`` with ``set``, ``add``, ``remove``, ``replace``),
types every indicator value and every parameter by the rulebook's declarations, and carries its
descriptions in Dutch or English. It comes as draft 2020-12, or as draft-07 for editors whose language
server is built on that draft (the VS Code YAML extension). What a schema cannot say (quotes checked
against their source, thresholds that must stay ordered, control characters, ...) the reader still
checks; the schema never rejects a file the reader accepts.
"""

from __future__ import annotations

from typing import Any

from ..model.rulebook import Parameter, Rulebook
from ..model.scenario import MAX_OBSERVATIONS, MAX_TEXT
from ..model.words import word

SCHEMA_ID = "urn:mandaat:schema:scenario:1"
DRAFTS = {
    "2020-12": ("https://json-schema.org/draft/2020-12/schema", "$defs"),
    "07": ("http://json-schema.org/draft-07/schema#", "definitions"),
}
# Years 1900-2200, the range the reader accepts (model/scenario.py YEARS).
DATE = {"type": "string", "pattern": r"^(19\d\d|2[01]\d\d|2200)-\d{2}-\d{2}$", "format": "date"}
# What the reader refuses in any text (control characters, line separators, bidi overrides), and in a
# one-line text also a line break: as a `not` pattern, because `$` in a pattern also matches before "\n".
_UNSAFE = (
    "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029"
    "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
)
UNSAFE_TEXT = {"not": {"pattern": f"[{_UNSAFE}]"}}
UNSAFE_LINE = {"not": {"pattern": f"[{_UNSAFE}\\n\\r]"}}
GRADE = {"type": "string", "pattern": "^[A-F][1-6]$"}
VARIANT_KEYS = ("extends", "set", "add", "remove", "replace")
_PARAMETER_TYPES: dict[str, dict[str, Any]] = {
    "number": {"type": "number", "minimum": 0, "maximum": 1_000_000},
    "days": {"type": "integer", "minimum": 0, "maximum": 36500},
    "reliability": {"type": "string", "enum": list("ABCDEF")},
    "credibility": {"type": "integer", "minimum": 1, "maximum": 6},
    "grade": {"type": "string", "pattern": "^[A-F][1-6]$"},
}


def _text(lang: str, key: str, limit: int = MAX_TEXT) -> dict[str, Any]:
    """A text field; one of at most 300 characters is a one-line field (title, names)."""
    unsafe = UNSAFE_LINE if limit <= 300 else UNSAFE_TEXT
    return {"type": "string", "minLength": 1, "maxLength": limit, "description": word(key, lang), **unsafe}


def _indicator_value(book: Rulebook, name: str, lang: str) -> dict[str, Any]:
    """The values indicator ``name`` takes, typed as the vocabulary declares."""
    ind = book.indicators[name]
    if ind.type == "enum":
        value: dict[str, Any] = {"enum": list(ind.values or {})}
    elif ind.type == "boolean":
        value = {"type": "boolean"}
    else:
        value = {"type": ind.type}
        if ind.minimum is not None:
            value["minimum"] = ind.minimum
        if ind.maximum is not None:
            value["maximum"] = ind.maximum
    label = f"{ind.label.get(lang)}: " if ind.label else ""
    unit = f" ({ind.unit.get(lang)})" if ind.unit else ""
    value["description"] = f"{label}{ind.description.get(lang)}{unit}"
    return value


def _parameter(param: Parameter, lang: str) -> dict[str, Any]:
    spec = dict(_PARAMETER_TYPES[param.type])
    spec["description"] = f"{param.rationale.get(lang)} ({word('schema_default', lang)}: {param.value})"
    return spec


def _observation(book: Rulebook, lang: str, ref: str) -> dict[str, Any]:
    """One graded observation: its fields, and its value typed by its indicator."""
    source = {
        "description": word("schema_source", lang),
        "oneOf": [
            {"type": "string", "minLength": 1, "maxLength": 300, **UNSAFE_LINE},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "origin"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 300, **UNSAFE_LINE},
                    "origin": {"enum": ["national", "coalition", "open"]},
                },
            },
        ],
    }
    branches = [
        {
            "if": {"properties": {"indicator": {"const": name}}, "required": ["indicator"]},
            "then": {"properties": {"value": _indicator_value(book, name, lang)}},
        }
        for name in book.indicators
    ]
    return {
        "type": "object",
        "description": word("schema_observation", lang),
        "additionalProperties": False,
        "required": ["id", "indicator", "value", "source", "grade"],
        "properties": {
            "id": {
                "type": "string",
                "pattern": "^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
                "maxLength": 100,
                "description": word("schema_observation_id", lang),
            },
            "indicator": {"enum": list(book.indicators), "description": word("schema_indicator", lang)},
            "value": {"description": word("schema_value", lang)},
            "date": {**DATE, "description": word("schema_date", lang)},
            "period": {"$ref": f"{ref}/Period"},
            "source": source,
            "grade": {**GRADE, "description": word("schema_grade", lang)},
            "quote": _text(lang, "schema_quote"),
            "note": _text(lang, "schema_note"),
            "hypothetical": {"type": "boolean", "description": word("schema_hypothetical", lang)},
        },
        "oneOf": [{"required": ["date"]}, {"required": ["period"]}],
        "allOf": branches,
    }


def _definitions(book: Rulebook, lang: str, ref: str) -> dict[str, Any]:
    period = {
        "type": "object",
        "description": word("schema_period", lang),
        "additionalProperties": False,
        "required": ["from", "to"],
        "properties": {"from": DATE, "to": DATE},
    }
    judgment = {
        "type": "object",
        "description": word("schema_judgment", lang),
        "additionalProperties": False,
        "required": ["term", "holds", "by", "date", "rationale"],
        "properties": {
            "term": {"enum": list(book.terms), "description": word("schema_term", lang)},
            "holds": {"type": "boolean", "description": word("schema_holds", lang)},
            "by": _text(lang, "schema_by", 300),
            "date": {**DATE, "description": word("schema_judgment_date", lang)},
            "rationale": _text(lang, "schema_rationale"),
        },
    }
    observation = _observation(book, lang, ref)
    return {"Observation": observation, "Judgment": judgment, "Period": period}


def _setting(book: Rulebook, name: str, lang: str) -> dict[str, Any]:
    """A `set` entry: the indicator's value, or the value with the grade, date, source or note."""
    value = _indicator_value(book, name, lang)
    spec = {
        "type": "object",
        "additionalProperties": False,
        "required": ["value"],
        "properties": {
            "value": value,
            "grade": GRADE,
            "date": DATE,
            "source": {"type": "string", "minLength": 1, "maxLength": 300},
            "note": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        },
    }
    return {"description": value["description"], "anyOf": [value, spec]}


def _variant_properties(book: Rulebook, lang: str, ref: str) -> dict[str, Any]:
    observations = {"type": "array", "items": {"$ref": f"{ref}/Observation"}}
    return {
        "extends": {"type": "string", "minLength": 1, "description": word("schema_extends", lang)},
        "set": {
            "type": "object",
            "description": word("schema_set", lang),
            "additionalProperties": False,
            "properties": {name: _setting(book, name, lang) for name in book.indicators},
        },
        "add": {**observations, "description": word("schema_add", lang)},
        "remove": {"type": "array", "items": {"type": "string"}, "description": word("schema_remove", lang)},
        "replace": {**observations, "description": word("schema_replace", lang)},
    }


def scenario_schema(book: Rulebook, lang: str = "en", draft: str = "2020-12") -> dict[str, Any]:
    """JSON Schema of a format-1 scenario (or variant) under this rulebook, descriptions in ``lang``."""
    meta, defs_key = DRAFTS[draft]
    ref = f"#/{defs_key}"
    properties: dict[str, Any] = {
        "mandaat": {"const": 1, "description": word("schema_mandaat", lang)},
        "id": {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": 100, "description": word("schema_id", lang)},
        "title": _text(lang, "schema_title", 300),
        "assessed_on": {**DATE, "description": word("schema_assessed_on", lang)},
        "description": _text(lang, "schema_description"),
        "theory": {"enum": list(book.theories), "description": word("schema_theory", lang)},
        "params": {
            "type": "object",
            "description": word("schema_params", lang),
            "additionalProperties": False,
            "properties": {name: _parameter(p, lang) for name, p in book.parameters.items()},
        },
        "observations": {
            "type": "array",
            "maxItems": MAX_OBSERVATIONS,
            "items": {"$ref": f"{ref}/Observation"},
            "description": word("schema_observations", lang),
        },
        "judgments": {
            "type": "array",
            "maxItems": 500,
            "items": {"$ref": f"{ref}/Judgment"},
            "description": word("schema_judgments", lang),
        },
        **_variant_properties(book, lang, ref),
    }
    plain = {"properties": {key: False for key in VARIANT_KEYS[1:]}, "required": ["assessed_on"]}
    return {
        "$schema": meta,
        "$id": SCHEMA_ID,
        "title": word("schema_heading", lang),
        "description": word("schema_intro", lang),
        "type": "object",
        "additionalProperties": False,
        "required": ["mandaat", "id", "title"],
        "properties": properties,
        "if": {"required": ["extends"]},
        "else": plain,
        defs_key: _definitions(book, lang, ref),
    }
