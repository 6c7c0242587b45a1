"""The rulebook under rules/: it loads, every citation is verbatim in seeds/, and the data is complete."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mandaat.model.errors import RulebookError
from mandaat.model.rulebook import Rulebook
from mandaat.read.quotes import quote_found, readings
from mandaat.read.rulebook import load_rulebook

from .conftest import ROOT


def _cites(book: Rulebook):
    for cite_id, cite in book.citations.items():
        yield f"citation {cite_id}", cite


def test_every_quote_is_found_verbatim_in_seeds(book: Rulebook) -> None:
    """Every citation's quote occurs in the source file under seeds/ it names."""
    missing = []
    for owner, cite in _cites(book):
        if cite.kind != "quote":
            assert cite.quote is None, f"{owner}: only a quote citation carries a quote"
            continue
        assert cite.source is not None and cite.quote is not None
        path = book.source_path(cite.source)
        assert path.parent == (ROOT / "seeds").resolve(), f"{owner} cites a file outside seeds/"
        if not quote_found(cite.quote, path):
            missing.append(owner)
    assert missing == []


def test_quote_matching_rejoins_split_words_and_keeps_real_hyphens() -> None:
    """A word split across a line end is rejoined; a hyphenated compound keeps its hyphen."""
    joined, kept = readings("het Iraakse grond-\ngebied en de ISIS-\naanvallen")
    assert "grondgebied" in joined and "ISIS-aanvallen" in kept


def test_a_changed_quote_is_not_found(book: Rulebook) -> None:
    """A quote with one word changed is not found: the check can fail."""
    cite = book.citations["letter-almost-daily"]
    assert cite.quote is not None and cite.source is not None
    assert not quote_found(cite.quote.replace("bijna dagelijks", "dagelijks"), book.source_path(cite.source))


def test_every_element_can_reach_every_status(book: Rulebook) -> None:
    """The tests of E1-E3, IRQ and CON can each give every status; E4 every status but `weakening` (the
    letter's effectiveness test leaves no weakening)."""
    from mandaat.read.templates import reachable

    for element in ("E1", "E2", "E3", "E4", "IRQ", "CON"):
        expected = set(book.statuses) - ({"weakening"} if element == "E4" else set())
        assert set(reachable(book, element)) == expected, element


def test_every_indicator_of_the_design_is_in_the_vocabulary(book: Rulebook) -> None:
    """The sixteen indicators of DESIGN §3 are all supported."""
    assert set(book.indicators) == {
        "attacks_from_syria_per_week",
        "isis_attacks_in_iraq_per_week",
        "iraq_sd_request_in_force",
        "central_command_evidence",
        "coordinated_attacks",
        "physical_hq_in_syria",
        "crossings_syria_to_iraq_per_week",
        "border_control",
        "regime_stops_attacks",
        "regime_controls_source_area",
        "syria_consents_to_strikes",
        "iraq_request_in_force",
        "iraq_request_questioned",
        "isis_fighters_estimate",
        "art51_report_filed",
        "unsc_measures_taken",
    }


def test_parameters_say_they_are_design_choices(book: Rulebook) -> None:
    """Every threshold is marked as a design choice and its rationale says so in both languages."""
    for name, param in book.parameters.items():
        assert param.design_choice, name
        assert "design choice" in param.rationale.en.lower(), name
        assert "ontwerpkeuze" in param.rationale.nl.lower(), name


def test_no_threshold_literal_in_a_rule(book: Rulebook) -> None:
    """Numeric comparisons in rules compare against parameters or zero, never against a number of their own."""

    def numbers(expr, out):
        if isinstance(expr, dict):
            for key, value in expr.items():
                if key in ("$lt", "$lte", "$gt", "$gte") and isinstance(value, dict):
                    ((prop, operand),) = value.items()
                    if isinstance(operand, (int, float)) and not isinstance(operand, bool):
                        out.append((prop, operand))
                numbers(value, out)
        elif isinstance(expr, list):
            for item in expr:
                numbers(item, out)

    for rule in book.rules:
        found: list = []
        numbers(rule.when, found)
        assert all(prop == "age_days" and operand == 0 for prop, operand in found), (rule.id, found)


@pytest.mark.parametrize(
    "defect, fragment",
    [
        ("quote", "quote not found verbatim"),
        ("indicator", "unknown indicator 'attacks_from_syria_per_wek'"),
        ("template", "a test is exactly one template"),
        ("empty-reason", "say.met.en"),
        ("empty-pinpoint", "pinpoint"),
    ],
)
def test_a_broken_declaration_is_reported_with_file_line_and_name(tmp_path: Path, defect: str, fragment: str) -> None:
    """A defect in a declaration (a wrong quote, an unknown indicator, a test of no template, an empty text
    or pinpoint) stops loading with the file, line and declaration named."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    name = "sources.yaml" if defect in ("quote", "empty-pinpoint") else "elements.yaml"
    path = tmp_path / "rules" / name
    text = path.read_text(encoding="utf-8")
    if defect == "quote":
        text = text.replace("nog bijna dagelijks aanvallen", "nog dagelijks aanvallen", 1)
    elif defect == "indicator":
        text = text.replace("threshold: attacks_from_syria_per_week", "threshold: attacks_from_syria_per_wek", 1)
    elif defect == "template":
        text = text.replace("      threshold: attacks_from_syria_per_week\n", "", 1)
    elif defect == "empty-reason":
        text = re.sub(r'(?m)^        en: "Observation \{o\.ref\} \(\{o\.grade\}.*$', '        en: ""', text, count=1)
    else:
        text = re.sub(r"(?m)^    pinpoint: .*$", '    pinpoint: ""', text, count=1)
    assert text != path.read_text(encoding="utf-8"), "the defect was not applied"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulebookError) as info:
        load_rulebook(tmp_path / "rules")
    message = str(info.value)
    assert fragment in message
    assert f"rules/{name}:" in message
