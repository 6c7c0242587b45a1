"""The JSON Schema of scenario format 1, for editors, completed with the rulebook's vocabulary."""

from __future__ import annotations

from typing import Any

from ..model.rulebook import Rulebook
from ..model.scenario import Scenario

_TYPES: dict[str, dict[str, Any]] = {
    "number": {"type": "number", "minimum": 0},
    "integer": {"type": "integer", "minimum": 0},
    "boolean": {"type": "boolean"},
}


def scenario_schema(book: Rulebook) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a format-1 scenario under this rulebook."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "mandaat scenario, format 1"
    props = schema["properties"]
    props["theory"] = {"enum": list(book.theories), "description": "Legal theory of necessity (element E4)."}
    props["params"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: {"description": p.rationale.en} for name, p in book.parameters.items()},
    }
    props["assessed_on"] = {"type": "string", "format": "date"}
    defs = schema.get("$defs", {})
    obs = defs.get("Observation")
    if obs:
        obs["properties"]["indicator"] = {"enum": list(book.indicators)}
        obs["properties"]["date"] = {"type": "string", "format": "date"}
        obs["properties"]["grade"] = {"type": "string", "pattern": "^[A-F][1-6]$"}
        branches = []
        for name, ind in book.indicators.items():
            value: dict[str, Any] = {"enum": list(ind.values or {})} if ind.type == "enum" else dict(_TYPES[ind.type])
            if ind.maximum is not None and ind.type in ("number", "integer"):
                value["maximum"] = ind.maximum
            value["description"] = ind.description.en
            branches.append(
                {"if": {"properties": {"indicator": {"const": name}}}, "then": {"properties": {"value": value}}}
            )
        obs["allOf"] = branches
    judgment = defs.get("Judgment")
    if judgment:
        judgment["properties"]["date"] = {"type": "string", "format": "date"}
    period = defs.get("Period")
    if period:
        for key in ("from", "to"):
            period["properties"][key] = {"type": "string", "format": "date"}
    return schema
