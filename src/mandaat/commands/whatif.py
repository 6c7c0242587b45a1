"""`mandaat whatif`, `compare`, `flips` and `timeline`: the what-if questions."""

from __future__ import annotations

from pathlib import Path

from ..analysis.changes import requested_changes
from ..analysis.flips import flips as find_flips
from ..analysis.timeline import evaluate_timeline
from ..analysis.whatif import compare as compare_scenarios
from ..analysis.whatif import whatif as run_whatif
from ..model.errors import UsageError
from ..model.rulebook import Rulebook
from ..pipeline import Options, isolated, options_from
from ..read.files import expand_folders, read_all
from ..read.scenario import read_scenario
from ..render.flips import render_flips_json, render_flips_text
from ..render.progress import Progress
from ..render.svg import render_svg
from ..render.timeline import render_timeline_json, render_timeline_text
from ..render.whatif import render_compare_json, render_compare_text, render_whatif_json, render_whatif_text
from .console import Console


def whatif(
    book: Rulebook,
    console: Console,
    file: Path,
    sets: tuple[str, ...] = (),
    judgments: tuple[str, ...] = (),
    theory: str | None = None,
    params: tuple[str, ...] = (),
    fmt: str = "text",
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """The scenario now and with the changes; the base keeps its own theory and parameters."""
    changed = options_from(book, lang, theory, params)
    inputs: list[Path] = []
    scenario = read_scenario(file, book, allow_outside=allow_outside, inputs=inputs)
    changes = requested_changes(book, scenario, sets, judgments, theory, changed.params)
    result = isolated(run_whatif, scenario, book, changes, Options(lang=lang))
    text = render_whatif_json(result) if fmt == "json" else render_whatif_text(result, book, lang)
    console.emit(text, output, force, inputs, book)
    return 0


def compare(
    book: Rulebook,
    console: Console,
    files: tuple[Path, ...],
    theory: str | None = None,
    params: tuple[str, ...] = (),
    fmt: str = "text",
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """Several scenarios side by side."""
    options = options_from(book, lang, theory, params)
    inputs: list[Path] = []
    scenarios = read_all(list(files), book, allow_outside, inputs)
    result = isolated(compare_scenarios, scenarios, book, options)
    text = render_compare_json(result) if fmt == "json" else render_compare_text(result, book, lang)
    console.emit(text, output, force, inputs, book)
    return 0


def flips(
    book: Rulebook,
    console: Console,
    file: Path,
    theory: str | None = None,
    params: tuple[str, ...] = (),
    fmt: str = "text",
    lang: str = "nl",
    output: Path | None = None,
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """The tipping points of a scenario."""
    options = options_from(book, lang, theory, params)
    inputs: list[Path] = []
    scenario = read_scenario(file, book, allow_outside=allow_outside, inputs=inputs)
    result = isolated(find_flips, scenario, book, options, Progress("Trying changes"))
    text = render_flips_json(result) if fmt == "json" else render_flips_text(result, book, lang)
    console.emit(text, output, force, inputs, book)
    return 0


def timeline(
    book: Rulebook,
    console: Console,
    files: tuple[Path, ...],
    chart: Path | None = None,
    fmt: str = "text",
    lang: str = "nl",
    force: bool = False,
    allow_outside: tuple[Path, ...] = (),
) -> int:
    """Assessments at different dates as one series, with an optional SVG chart (checked before anything
    is written, so that a chart that cannot be written stops the command before the table is printed)."""
    if chart is not None and chart.suffix.lower() != ".svg":
        raise UsageError(f"--chart {chart}: mandaat draws charts as SVG; name a .svg file")
    paths = expand_folders(list(files))
    inputs: list[Path] = []
    scenarios = read_all(paths, book, allow_outside, inputs)
    line = isolated(evaluate_timeline, scenarios, book, Options(lang=lang))
    if chart is not None:
        console.emit(render_svg(line, book, lang), chart, force, inputs, book, what="Chart")
    console.product(render_timeline_json(line) if fmt == "json" else render_timeline_text(line, book, lang))
    return 0
