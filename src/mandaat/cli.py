"""The command line: the only module that imports click.

Product on stdout, diagnostics on stderr. Exit codes: 0 a report was produced (whatever the verdict);
1 input the user can fix; 2 misuse; 70 an internal error. With ``--exit-code``: 0 holds, 3 at risk or
undetermined, 4 lapsed.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable

from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .run.compile import compile_rulebook
from .model.errors import EXIT_INTERNAL, InputError, MandaatError
from .run.isolate import run_isolated
from .render.output import write_atomic
from .pipeline import Options, evaluate_file, evaluate_scenario, rulebook
from .render.json import render_json
from .render.text import render_text
from .model.report import Report
from .analysis.audit import check, render_check
from .model.rulebook import Rulebook
from .read.rulebook import default_rules_dir
from .model.errors import did_you_mean
from .read.parameters import parameter_value_problem
from .read.scenario import read_scenario
from .read.schema import scenario_schema

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_AT_RISK = 3
EXIT_LAPSED = 4


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def reports_errors(func: F) -> F:
    """Turn mandaat's errors into messages and exit codes; never show a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            count = len(exc.problems)
            for problem in exc.problems:
                click.echo(f"Error: {problem.render()}", err=True)
            if count > 1:
                click.echo(f"{count} problems found; nothing was evaluated.", err=True)
            sys.exit(exc.exit_code)
        except MandaatError as exc:
            _fail(f"Error: {exc}", exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # the reader (e.g. `head`) went away: stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt:
            _fail("Interrupted.", 130)
        except Exception as exc:  # an internal defect: say so plainly, keep the traceback for debugging
            if os.environ.get("MANDAAT_DEBUG"):
                raise
            _fail(f"Internal error: {type(exc).__name__}: {exc}. This is a defect in mandaat, not in your "
                  "input; set MANDAAT_DEBUG=1 to see the details.", EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _book(ctx: click.Context) -> Rulebook:
    rules_dir: Path | None = ctx.obj.get("rules") if ctx.obj else None
    return rulebook(rules_dir)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="mandaat")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), envvar="MANDAAT_RULES",
              help="Rulebook folder (default: the project's rules/).")
@click.pass_context
def main(ctx: click.Context, rules_dir: Path | None) -> None:
    """mandaat: test whether a mandate's legal basis still holds, with every reason cited.

    Write a scenario file of graded field observations and run `mandaat evaluate FILE`.
    """
    ctx.obj = {"rules": rules_dir}


def _parse_params(ctx: click.Context, pairs: tuple[str, ...]) -> dict[str, Any]:
    book = _book(ctx)
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name or not raw.strip():
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE, e.g. e1_met_min_attacks_per_week=4",
                                     param_hint="--param")
        if name not in book.parameters:
            hint = did_you_mean(name, book.parameters) or "see `mandaat rules list --params`"
            raise click.BadParameter(f"unknown parameter {name!r} ({hint})", param_hint="--param")
        raw = raw.strip()
        value: Any = raw
        if re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        elif re.fullmatch(r"-?\d+\.\d+", raw):
            value = float(raw)
        message = parameter_value_problem(book.parameters[name].type, value)
        if message:
            raise click.BadParameter(f"{name}: {message}", param_hint="--param")
        params[name] = value
    return params


def _exit_code(report: Report) -> int:
    verdicts = {report.verdict.syria, report.verdict.iraq}
    if "lapsed" in verdicts:
        return EXIT_LAPSED
    if verdicts & {"at_risk", "undetermined"}:
        return EXIT_AT_RISK
    return 0


def render(report: Report, fmt: str) -> str:
    """The report in ``fmt``: text, markdown or json."""
    if fmt == "json":
        return render_json(report)
    return render_text(report, markdown=fmt == "markdown")


def _emit(text: str, output: Path | None, force: bool, protect: list[Path], book: Rulebook) -> None:
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    seeds = book.root.parent / "seeds"
    write_atomic(output, text, force=force, protected_files=protect, protected_dirs=[book.root, seeds])
    click.echo(f"Report written to {output}", err=True)


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Report language.")
@click.option("--theory", type=click.Choice(["unwilling_or_unable", "no_effective_control"]),
              help="Legal theory of necessity (overrides the scenario).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Override a rulebook parameter (repeatable).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Assess as of this date (YYYY-MM-DD) instead of the scenario's assessed_on.")
@click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), help="Write the report to FILE.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--engine", "engine_name", type=click.Choice(["durable", "reference"]), default="durable",
              show_default=True, help="Rule engine; `reference` is the plain-Python evaluator, for diagnosis.")
@click.option("--exit-code", "use_exit_code", is_flag=True,
              help="Exit 0 if both bases hold, 3 if one is at risk or undetermined, 4 if one has lapsed.")
@click.pass_context
@reports_errors
def evaluate(ctx: click.Context, file: Path, fmt: str, lang: str, theory: str | None, params: tuple[str, ...],
             as_of: Any, output: Path | None, force: bool, engine_name: str, use_exit_code: bool) -> None:
    """Evaluate scenario FILE and print the reasoned report."""
    book = _book(ctx)
    options = Options(lang=lang, theory=theory, params=_parse_params(ctx, params),
                      as_of=as_of.date() if as_of else None, engine=engine_name)
    report = run_isolated(evaluate_file, file, options, book.root)
    _emit(render(report, fmt), output, force, [file], book)
    if use_exit_code:
        sys.exit(_exit_code(report))


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
@reports_errors
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check scenario FILES against format 1 without evaluating them."""
    book = _book(ctx)
    bad = 0
    for file in files:
        try:
            read_scenario(file, book)
        except InputError as exc:
            bad += 1
            for problem in exc.problems:
                click.echo(f"Error: {problem.render()}", err=True)
            continue
        click.echo(f"{file}: ok")
    if bad:
        click.echo(f"{bad} of {len(files)} files have problems.", err=True)
        sys.exit(1)


@main.group(context_settings=CONTEXT)
def rules() -> None:
    """Inspect the rulebook."""


@rules.command("list", context_settings=CONTEXT)
@click.option("--params", "show_params", is_flag=True, help="List the parameters instead of the rules.")
@click.pass_context
@reports_errors
def rules_list(ctx: click.Context, show_params: bool) -> None:
    """List every rule (or parameter) with what it establishes."""
    book = _book(ctx)
    if show_params:
        for name, param in book.parameters.items():
            choice = " (design choice)" if param.design_choice else ""
            click.echo(f"{name} = {param.value}{choice}: {param.rationale.en}")
        return
    width = max(len(r.id) for r in book.rules)
    for rule in book.rules:
        what = f"{rule.action} {rule.establishes}" if rule.establishes else rule.action
        click.echo(f"{rule.id:<{width}}  {rule.element:<8} {rule.stage:<9} {what:<22} {rule.cite.pinpoint}")


@rules.command("show", context_settings=CONTEXT)
@click.argument("rule_id")
@click.pass_context
@reports_errors
def rules_show(ctx: click.Context, rule_id: str) -> None:
    """Show one rule: its condition as durable-rules runs it, its reasons and its citation."""
    book = _book(ctx)
    try:
        rule = book.rule(rule_id)
    except KeyError:
        hint = did_you_mean(rule_id, book.rule_ids()) or "see `mandaat rules list`"
        raise click.BadParameter(f"no rule {rule_id!r} ({hint})", param_hint="RULE_ID") from None
    _, compiled = compile_rulebook(book)
    origin = book.origins[rule.id]
    source = book.sources[rule.cite.source]
    lines = [
        f"rule:        {rule.id}",
        f"defined in:  {origin.file}:{origin.line}",
        f"element:     {rule.element}",
        f"stage:       {rule.stage}",
        f"action:      {rule.action}" + (f" {rule.establishes}" if rule.establishes else ""),
        "condition (durable-rules, as compiled):",
        *("  - " + json.dumps(p, ensure_ascii=False) for p in compiled[rule.id]["all"]),
        f"reason (nl): {rule.reason.nl}",
        f"reason (en): {rule.reason.en}",
        f"source:      {source.title.en} ({source.file})",
        f"pinpoint:    {rule.cite.pinpoint}",
        f"quote:       «{rule.cite.quote}»",
    ]
    click.echo("\n".join(lines))


def _options(ctx: click.Context, lang: str, theory: str | None, params: tuple[str, ...]) -> Options:
    return Options(lang=lang, theory=theory, params=_parse_params(ctx, params))



FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="Output format.")
LANG = click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Language.")
THEORY = click.option("--theory", type=click.Choice(["unwilling_or_unable", "no_effective_control"]),
                      help="Legal theory of necessity (overrides the scenario).")
PARAM = click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                     help="Override a rulebook parameter (repeatable).")
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), help="Write to FILE.")
FORCE = click.option("--force", is_flag=True, help="Replace an existing output file.")


def analysis_options(func: F) -> F:
    """The option bundle shared by whatif, compare and flips."""
    for option in reversed((THEORY, PARAM, FORMAT, LANG, OUTPUT, FORCE)):
        func = option(func)
    return func


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--set", "sets", multiple=True, metavar="INDICATOR=VALUE",
              help="A hypothetical observation (A1, dated on assessed_on) replacing the indicator's evidence.")
@click.option("--judgment", "judgments", multiple=True, metavar="TERM=true|false",
              help="A hypothetical judgment, e.g. proportionality=false.")
@analysis_options
@click.pass_context
@reports_errors
def whatif(ctx: click.Context, file: Path, sets: tuple[str, ...], judgments: tuple[str, ...], theory: str | None,
           params: tuple[str, ...], fmt: str, lang: str, output: Path | None, force: bool) -> None:
    """Evaluate FILE now and with the changes given, side by side.

    The base keeps the scenario's own theory and parameters; --theory and --param are part of the change.
    """
    from .analysis.whatif import Change, parse_set
    from .analysis.whatif import whatif as run_whatif
    from .render.whatif import render_whatif_json, render_whatif_text

    book = _book(ctx)
    scenario = read_scenario(file, book)
    changes = [_usage(lambda text=text: parse_set(book, text)) for text in sets]
    for text in judgments:
        term, _, raw = text.partition("=")
        if term.strip() != "proportionality" or raw.strip() not in ("true", "false"):
            raise click.BadParameter(f"{text!r}: write proportionality=true or proportionality=false",
                                     param_hint="--judgment")
        changes.append(Change("judgment", "proportionality", raw.strip() == "true"))
    if theory:
        changes.append(Change("theory", "theory", theory, scenario.theory))
    for name, value in _parse_params(ctx, params).items():
        changes.append(Change("param", name, value))
    result = _usage(lambda: run_whatif(scenario, book, changes, Options(lang=lang)))
    text = render_whatif_json(result) if fmt == "json" else render_whatif_text(result, lang)
    _emit(text, output, force, [file], book)


def _usage(func: Callable[[], Any]) -> Any:
    """Run ``func``; a UsageError becomes click's misuse (exit 2)."""
    from .model.errors import UsageError

    try:
        return func()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@analysis_options
@click.pass_context
@reports_errors
def compare(ctx: click.Context, files: tuple[Path, ...], theory: str | None, params: tuple[str, ...], fmt: str,
            lang: str, output: Path | None, force: bool) -> None:
    """Evaluate FILES side by side, one column per file, and say what changed from column to column."""
    from .render.whatif import render_compare_json, render_compare_text
    from .analysis.whatif import compare as run_compare

    book = _book(ctx)
    scenarios = _read_all(files, book)
    result = run_compare(scenarios, book, _options(ctx, lang, theory, params))
    text = render_compare_json(result) if fmt == "json" else render_compare_text(result, lang)
    _emit(text, output, force, list(files), book)


def _read_all(files: tuple[Path, ...], book: Rulebook) -> list[Any]:
    scenarios, problems = [], []
    for file in files:
        try:
            scenarios.append(read_scenario(file, book))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return scenarios


@main.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@analysis_options
@click.pass_context
@reports_errors
def flips(ctx: click.Context, file: Path, theory: str | None, params: tuple[str, ...], fmt: str, lang: str,
          output: Path | None, force: bool) -> None:
    """Find the tipping points of FILE: the smallest changes that move each element and each verdict."""
    import time

    from .render.whatif import render_flips_json, render_flips_text
    from .analysis.flips import flips as run_flips

    book = _book(ctx)
    scenario = read_scenario(file, book)
    started = time.perf_counter()
    bar: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        if not sys.stderr.isatty() or time.perf_counter() - started < 1.0:
            return
        if "bar" not in bar:
            bar["bar"] = click.progressbar(length=total, label="Trying changes", file=sys.stderr)
            bar["bar"].__enter__()
            bar["done"] = 0
        bar["bar"].update(done - bar["done"])
        bar["done"] = done

    try:
        result = run_flips(scenario, book, _options(ctx, lang, theory, params), progress)
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)
    text = render_flips_json(result) if fmt == "json" else render_flips_text(result, lang)
    _emit(text, output, force, [file], book)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--chart", type=click.Path(path_type=Path), help="Write a picture of status over time (.svg).")
@FORMAT
@LANG
@FORCE
@click.pass_context
@reports_errors
def timeline(ctx: click.Context, files: tuple[Path, ...], chart: Path | None, fmt: str, lang: str,
             force: bool) -> None:
    """Read FILES as assessments at different dates: verdicts and statuses per date, and every move."""
    from .render.whatif import render_timeline_json, render_timeline_text
    from .analysis.timeline import build_timeline, render_svg

    if chart is not None and chart.suffix.lower() != ".svg":
        raise click.BadParameter(f"{chart}: mandaat draws charts as SVG; name a .svg file", param_hint="--chart")
    book = _book(ctx)
    paths = sorted({p for f in files for p in (sorted(f.glob("*.yaml")) if f.is_dir() else [f])})
    scenarios = _read_all(tuple(paths), book)
    line = build_timeline([evaluate_scenario(s, book, Options(lang=lang)) for s in scenarios])
    click.echo(render_timeline_json(line) if fmt == "json" else render_timeline_text(line, lang), nl=False)
    if chart is not None:
        seeds = book.root.parent / "seeds"
        write_atomic(chart, render_svg(line, lang), force=force, protected_files=paths,
                     protected_dirs=[book.root, seeds])
        click.echo(f"Chart written to {chart}", err=True)


@rules.command("check", context_settings=CONTEXT)
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
@reports_errors
def rules_check(ctx: click.Context, directory: Path | None, fmt: str) -> None:
    """Check a rulebook (default: the one in use): citations, references, reachability, gaps, overlaps.

    Exits 1 on any defect; prints a witness scenario for every element and status.
    """
    root = directory or _book_dir(ctx)
    result = check(root)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(render_check(result), nl=False)
    if not result.ok:
        sys.exit(1)


def _book_dir(ctx: click.Context) -> Path:
    rules_dir: Path | None = ctx.obj.get("rules") if ctx.obj else None
    return rules_dir or default_rules_dir()


@main.command(context_settings=CONTEXT)
@click.pass_context
@reports_errors
def schema(ctx: click.Context) -> None:
    """Print the JSON Schema of scenario format 1 (for editors)."""
    click.echo(json.dumps(scenario_schema(_book(ctx)), ensure_ascii=False, indent=2))


def run() -> None:
    """Entry point of the `mandaat` script."""
    main(prog_name="mandaat")


