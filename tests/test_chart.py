"""The timeline chart: sized from its content, nothing clipped, in both languages.

The SVG is parsed with xml.etree; every text element's extent is estimated independently of the
renderer (0.6 em a character, the average of a common sans-serif font) and must lie inside the canvas,
and every verdict or status label must fit its cell.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mandaat.cli import main
from mandaat.pipeline import rulebook

from .conftest import ROOT

NS = "{http://www.w3.org/2000/svg}"
TIMELINE = ROOT / "scenarios" / "timeline-2018"


def _extent(text: ET.Element) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of a text element, estimated."""
    size = float(text.get("font-size", "12"))
    width = 0.6 * size * len(text.text or "")
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    anchor = text.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return left, left + width, y - size, y + 0.25 * size


def _chart(tmp_path: Path, lang: str, *files: str) -> ET.Element:
    out = tmp_path / f"chart.{lang}.svg"
    result = CliRunner().invoke(main, ["timeline", *files, "--lang", lang, "--chart", str(out)])
    assert result.exit_code == 0, result.output
    return ET.parse(out).getroot()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_text_lies_inside_the_canvas_and_every_label_fits_its_cell(tmp_path: Path, lang: str) -> None:
    root = _chart(tmp_path, lang, str(TIMELINE), str(ROOT / "scenarios" / "2018-09-bewijsproblemen.yaml"))
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    texts = list(root.iter(f"{NS}text"))
    assert len(texts) > 50
    for text in texts:
        left, right, top, bottom = _extent(text)
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, (text.text, left, right, width)
    cells = list(root.iter(f"{NS}g"))
    book = rulebook(ROOT / "rules")
    rows = len(book.bases) + sum(1 for el in book.elements.values() if el.chart)
    assert len(cells) == rows * 8  # 7 dates of the timeline and one more scenario
    for cell in cells:
        rect, label = cell.find(f"{NS}rect"), cell.find(f"{NS}text")
        assert rect is not None and label is not None
        left, right, _top, _bottom = _extent(label)
        assert float(rect.get("x", "0")) <= left and right <= float(rect.get("x", "0")) + float(rect.get("width", "0"))


def test_the_chart_names_scenarios_in_full_and_has_a_legend_of_verdicts_and_statuses(tmp_path: Path) -> None:
    root = _chart(tmp_path, "nl", str(TIMELINE))
    words = {t.text for t in root.iter(f"{NS}text")}
    ids = {p.stem for p in TIMELINE.glob("*.yaml")}
    assert "timeline-2018-04-13" in words and "timeline-2018-12-31" in words, sorted(w or "" for w in words)
    assert not ids & {w for w in words if w and w.endswith("…")}
    for label in ("rechtsgrond blijft", "rechtsgrond vervallen", "onbekend", "verzwakt"):
        assert label in words
    assert "niet vast te stellen" not in words  # the legend describes only the outcomes the chart shows


def test_long_scenario_ids_wrap_instead_of_being_cut(tmp_path: Path) -> None:
    long_id = "een-heel-lange-scenarionaam-die-niet-in-een-kolom-past-" + "x" * 30
    base = (ROOT / "scenarios" / "2018-04-kamerbrief.yaml").read_text(encoding="utf-8")
    path = tmp_path / "long.yaml"
    path.write_text(base.replace("id: 2018-04-kamerbrief", f"id: {long_id}"), encoding="utf-8")
    root = _chart(tmp_path, "nl", str(path))
    width = float(root.get("width", "0"))
    parts = [t.text or "" for t in root.iter(f"{NS}text") if t.get("font-size") == "10"]
    assert "".join(parts) == long_id and len(parts) > 1
    for text in root.iter(f"{NS}text"):
        assert _extent(text)[1] <= width, text.text


def test_png_is_written_or_refused_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    result = CliRunner().invoke(main, ["timeline", str(TIMELINE), "--chart", str(out), "--lang", "en"])
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        assert result.exit_code == 2 and "cairosvg" in result.output and not out.exists()
    else:
        assert result.exit_code == 0 and out.read_bytes().startswith(b"\x89PNG")


def test_other_chart_formats_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["timeline", str(TIMELINE), "--chart", str(tmp_path / "c.gif")])
    assert result.exit_code == 2 and ".svg" in result.output
