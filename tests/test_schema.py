"""The JSON Schema (`mandaat schema`) is the reader's contract.

Every shipped scenario and variant validates against it, in both drafts and both languages; every file
in tests/invalid and tests/variants that the schema can judge is judged as `mandaat validate` judges it.
Files are read as mandaat reads them (YAML 1.2 core: dates stay text), so a file the YAML reader itself
refuses (syntax, aliases, tags, encodings, ...) is outside what a schema can judge. The defects a
schema cannot express are listed below, each with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from mandaat.cli import main
from mandaat.model.errors import InputError
from mandaat.pipeline import rulebook
from mandaat.read.scenario import read_scenario
from mandaat.read.yamlsafe import load_file

from .conftest import ROOT

SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "scenarios" / "timeline-2018").glob("*.yaml"))
BROKEN = sorted((ROOT / "tests" / "invalid").glob("*.yaml")) + sorted((ROOT / "tests" / "variants").glob("*.yaml"))

# Defects only the reader can see: the schema accepts these files, `mandaat validate` refuses them.
SCHEMA_CANNOT_SAY = {
    "duplicate-observation-id.yaml": "observation ids unique within the list (JSON Schema has no unique-by-key)",
    "params-thresholds-crossed.yaml": "one parameter must stay below another (no comparison between values)",
    "exponent-float-1e-05.yaml": "at most 4 decimals (multipleOf 0.0001 is unreliable in floating point)",
    "bad-in-base-user.yaml": "the defect is in the base file the variant extends",
    "format-version-float.yaml": "`mandaat: 1.0` (JSON has one number type: 1.0 equals the const 1)",
    "nan-value.yaml": "`.nan` (JSON has no NaN; every comparison with it passes)",
    "period-backwards.yaml": "`from` after `to` (no comparison between two values)",
    "missing-base.yaml": "the base file does not exist",
    "cycle-a.yaml": "the variants extend each other in a cycle",
    "cycle-b.yaml": "the variants extend each other in a cycle",
    "remove-unknown.yaml": "`remove` names an observation the base does not have",
}


def _schema(lang: str = "nl", draft: str = "2020-12") -> dict[str, Any]:
    result = CliRunner().invoke(main, ["schema", "--lang", lang, "--draft", draft])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _validator(lang: str = "nl", draft: str = "2020-12") -> Any:
    schema = _schema(lang, draft)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _judge(path: Path) -> tuple[bool | None, bool]:
    """(the schema accepts it, or None when the YAML reader refuses it; `mandaat validate` accepts it)."""
    try:
        read_scenario(path, rulebook())
        reader = True
    except InputError:
        reader = False
    try:
        data, locator = load_file(path)
    except InputError:
        return None, reader
    if locator.pending:  # unsafe raw characters: refused by the file reader, before any schema applies
        return None, reader
    return VALIDATOR.is_valid(data), reader


VALIDATOR = _validator()


def test_the_schema_has_an_id_and_a_draft_07_form() -> None:
    for draft, meta in (("2020-12", "2020-12"), ("07", "draft-07")):
        schema = _schema("en", draft)
        assert schema["$id"].startswith("urn:mandaat:") and meta in schema["$schema"]
    seven = _schema("nl", "07")
    assert "definitions" in seven and "$defs" not in json.dumps(seven)


def test_descriptions_follow_the_language() -> None:
    nl, en = _schema("nl"), _schema("en")
    assert "beoordelingsdatum" in nl["properties"]["assessed_on"]["description"]
    assert "assessment date" in en["properties"]["assessed_on"]["description"]
    value = nl["$defs"]["Observation"]["allOf"][0]["then"]["properties"]["value"]
    assert "Syrië" in value["description"]


def test_params_are_typed_by_the_rulebook() -> None:
    params = _schema()["properties"]["params"]["properties"]
    book = rulebook()
    assert set(params) == set(book.parameters)
    assert params["evidence_max_age_days"]["type"] == "integer"
    assert params["evidence_min_reliability"]["enum"] == list("ABCDEF")


@pytest.mark.parametrize("draft", ["2020-12", "07"])
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_and_variant_validates(path: Path, draft: str) -> None:
    data, _ = load_file(path)
    validator = VALIDATOR if draft == "2020-12" else _validator("en", draft)
    errors = [e.message for e in validator.iter_errors(data)]
    assert not errors, errors


def test_the_shipped_set_is_complete() -> None:
    """15 scenarios and the 7 files of the 2018 timeline, 6 of them variants (the first stands alone: its
    base would lie outside the timeline's folder, which `extends` may not leave by default)."""
    assert len(SHIPPED) == 22 and sum(1 for p in SHIPPED if "extends" in p.read_text(encoding="utf-8")) >= 6


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_and_validate_agree(path: Path) -> None:
    by_schema, by_reader = _judge(path)
    if by_schema is None:
        assert not by_reader or path.name == "bom.yaml", "the YAML reader refuses only broken files"
        return
    if path.name in SCHEMA_CANNOT_SAY:
        assert by_schema and not by_reader, f"{path.name} is listed as beyond the schema; is it still?"
        return
    assert by_schema == by_reader, f"schema says {by_schema}, validate says {by_reader}"


def test_the_schema_rejects_every_broken_file_it_can_judge() -> None:
    judged = {p.name: _judge(p) for p in (ROOT / "tests" / "invalid").glob("*.yaml") if p.name != "expected.yaml"}
    rejected = [n for n, (s, _r) in judged.items() if s is False]
    assert len(rejected) >= 40, sorted(rejected)
