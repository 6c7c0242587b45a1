"""The what-if commands' pages (whatif, compare, timeline, flips, sweep) in Markdown and HTML: real tables (the
Markdown parsed by markdown-it-py with the GitHub table extension, the HTML with the standard library's
parser), never a text table in <pre> or a code fence; the note on colours only where colours are shown;
and numbers and durations written one way per language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from mandaat.cli import main
from mandaat.model.words import duration, number

from .conftest import BASELINE, ROOT, SCENARIOS

RULES = ROOT / "rules"
TIMELINE = sorted(str(p) for p in (SCENARIOS / "timeline-2018").glob("*.yaml"))
SWEEP = ["--vary", "attacks_from_syria_per_week=0..6", "--vary", "crossings_syria_to_iraq_per_week=0..4", "--jobs", "1"]
COMMANDS = {
    "whatif": ["whatif", str(BASELINE), "--set", "attacks_from_syria_per_week=1"],
    "compare": [
        "compare",
        str(SCENARIOS / "2018-06-albu-kamal-uou.yaml"),
        str(SCENARIOS / "2018-06-albu-kamal-nec.yaml"),
    ],
    "timeline": ["timeline", *TIMELINE],
    "flips": ["flips", str(BASELINE)],
    "sweep": ["sweep", str(BASELINE), *SWEEP, "--vary", "theory"],
}


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["--rules", str(RULES), *args], catch_exceptions=False)


class _Tables(HTMLParser):
    """Counts tables and their cells, and notes every <pre> and what is inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.tables = self.cells = self.pre = 0
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tables += tag == "table"
        self.cells += tag == "td"
        self.pre += tag == "pre"
        self.open.append(tag)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_markdown_and_html_pages_hold_real_tables(tmp_path: Path, name: str, lang: str) -> None:
    markdown = run(*COMMANDS[name], "--format", "markdown", "--lang", lang)
    assert markdown.exit_code == 0, markdown.stderr
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown.stdout)
    kinds = [t.type for t in tokens]
    assert "table_open" in kinds and "fence" not in kinds and "code_block" not in kinds, markdown.stdout[:400]
    assert kinds.count("th_open") >= 3 and kinds.count("td_open") >= 6
    page = tmp_path / f"{name}.html"
    assert run(*COMMANDS[name], "-o", str(page), "--lang", lang).exit_code == 0
    html = page.read_text(encoding="utf-8")
    parsed = _Tables()
    parsed.feed(html)
    assert parsed.tables >= 1 and parsed.cells >= 6 and parsed.pre == 0, html[:400]
    assert "<script" not in html and html.startswith("<!DOCTYPE html>")
    assert 'class="status"' in html  # outcomes in their colours, beside their names
    note = "de kleur is alleen een hulpmiddel" if lang == "nl" else "colour is only an aid"
    assert note in html


def test_the_colour_note_only_where_colours_are_shown() -> None:
    from mandaat.pipeline import rulebook
    from mandaat.render.blocks import Para, Table
    from mandaat.render.page import page_html

    book = rulebook(RULES)
    plain = page_html("t", [Para("x"), Table(["a", "b"], [["1", "2"]])], "nl", book)
    coloured = page_html("t", [Table(["a", "b"], [["1", "vervuld"]], cell_keys=[["", "met"]])], "nl", book)
    assert "hulpmiddel" not in plain and "hulpmiddel" in coloured and 'class="status"' in coloured


def test_sweep_tables_name_the_axes_by_their_labels() -> None:
    out = run(*COMMANDS["sweep"], "--format", "markdown").stdout
    assert "| aanvallen vanuit Syrië (aanvallen per week) | verplaatsingen van Syrië naar Irak" in out
    assert "leer van noodzakelijkheid: geen effectief gezag" in out and "theory = " not in out
    assert "| 3–6 | 3–4 | rechtsgrond blijft |" in out


def test_the_timeline_chart_is_shown_at_its_own_size_in_html(tmp_path: Path) -> None:
    page = tmp_path / "t.html"
    assert run("timeline", *TIMELINE, "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    screen = html.split("@media print")[0]
    assert "<svg" in html and "figure svg { display: block; }" in screen and "max-width: 100%" not in screen


# --- numbers and durations ------------------------------------------------------------------------------


def test_numbers_as_a_reader_of_each_language_writes_them() -> None:
    from babel.numbers import format_decimal

    assert [number(v, "nl") for v in (6, 3000, 0.5, 1234.5678, 12.0)] == ["6", "3.000", "0,5", "1.234,5678", "12"]
    assert [number(v, "en") for v in (6, 3000, 0.5, 1234.5678, 12.0)] == ["6", "3,000", "0.5", "1,234.5678", "12"]
    for lang in ("nl", "en"):  # whole numbers under a thousand skip Babel: they are written alike
        assert all(number(v, lang) == format_decimal(v, locale=lang) for v in range(-999, 1000))
    assert (duration(0.684, "nl"), duration(0.684, "en"), duration(12.5, "nl")) == ("0,68", "0.68", "12,50")


@pytest.mark.parametrize(("lang", "pattern"), [("nl", r"\b\d+,\d\d s\b"), ("en", r"\b\d+\.\d\d s\b")])
def test_flips_and_sweep_write_their_durations_alike(lang: str, pattern: str) -> None:
    flips = run("flips", str(BASELINE), "--lang", lang).stdout.strip().splitlines()[-1]
    sweep = run("sweep", str(BASELINE), *SWEEP, "--lang", lang).stdout.strip().splitlines()[-1]
    assert re.search(pattern, flips) and re.search(pattern, sweep), (flips, sweep)
