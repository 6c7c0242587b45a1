"""The `mandaat` command line, the only module that imports click: a thin façade over the pipeline.

It reads options and every input in this process, runs what touches the engine in an isolated child,
renders and writes. Products go to stdout, diagnostics to stderr; exit codes follow DESIGN §5.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .model.errors import InputError, MandaatError, UsageError
from .model.rulebook import Rulebook
from .model.version import version
from .pipeline import Options, evaluate_scenario, exit_code, isolated, options_from, rulebook
from .read.files import expand_folders, read_all
from .read.rulebook import default_rules_dir
from .read.scenario import read_scenario
from .read.schema import scenario_schema
from .render.output import write_atomic
from .render.failure import describe_failure
from .render.progress import Progress

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def reports_errors(func: F) -> F:
    """Turn mandaat's errors into messages and exit codes; never show a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from None
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # the reader (e.g. `head`) went away: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Exception as exc:
            if os.environ.get("MANDAAT_DEBUG") and not isinstance(exc, MandaatError):
                raise
            lines, code = describe_failure(exc)
            for line in lines:
                click.echo(line, err=True)
            sys.exit(code)

    return wrapper  # type: ignore[return-value]


def _book(ctx: click.Context) -> Rulebook:
    return rulebook(ctx.obj.get("rules") if ctx.obj else None)


def _emit(text: str, output: Path | None, force: bool, protect: list[Path], book: Rulebook,
          what: str = "Report") -> None:
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    write_atomic(output, text, force=force, protected_files=protect,
                 protected_dirs=[book.root, book.root.parent / "seeds"])
    click.echo(f"{what} written to {output}", err=True)


@click.group(context_settings=CONTEXT)
@click.version_option(version(), "-V", "--version", prog_name="mandaat")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), envvar="MANDAAT_RULES",
              help="Rulebook folder (default: the project's rules/).")
@click.pass_context
def main(ctx: click.Context, rules_dir: Path | None) -> None:
    """mandaat: test whether a mandate's legal basis still holds, with every reason cited.

    Write a scenario file of graded field observations and run `mandaat evaluate FILE`.
    """
    ctx.obj = {"rules": rules_dir}


LANG = click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Language.")
THEORY = click.option("--theory", metavar="THEORY",
                      help="Legal theory of necessity (overrides the scenario): unwilling_or_unable or "
                           "no_effective_control, as rules/theories.yaml declares.")
PARAM = click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                     help="Override a rulebook parameter (repeatable).")
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), help="Write to FILE.")
FORCE = click.option("--force", is_flag=True, help="Replace an existing output file.")


FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="Output format.")
ANALYSIS = (THEORY, PARAM, FORMAT, LANG, OUTPUT, FORCE)  # the options whatif, compare and flips share


def command(group: click.Group, *options: Callable[[F], F], name: str | None = None) -> Callable[[F], F]:
    """A subcommand of ``group`` with ``options``, the context passed, and errors reported as messages."""

    def decorate(func: F) -> F:
        func = reports_errors(func)
        func = click.pass_context(func)
        for option in reversed(options):
            func = option(func)
        group.command(name, context_settings=CONTEXT)(func)
        return func

    return decorate


@command(main, click.argument("file", type=click.Path(path_type=Path, dir_okay=True)),
         click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
                      show_default=True, help="Report format."),
         LANG, THEORY, PARAM,
         click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
                      help="Assess as of this date (YYYY-MM-DD) instead of the scenario's assessed_on."),
         OUTPUT, FORCE,
         click.option("--engine", "engine_name", type=click.Choice(["durable", "reference"]), default="durable",
                      show_default=True, help="Rule engine; `reference` is the plain-Python evaluator, for diagnosis."),
         click.option("--exit-code", "use_exit_code", is_flag=True,
                      help="Exit 0 if both bases hold, 3 if one is at risk or undetermined, 4 if one has lapsed."))
def evaluate(ctx: click.Context, file: Path, fmt: str, lang: str, theory: str | None, params: tuple[str, ...],
             as_of: Any, output: Path | None, force: bool, engine_name: str, use_exit_code: bool) -> None:
    """Evaluate scenario FILE and print the reasoned report."""
    from .render.report import render_report

    book = _book(ctx)
    options = options_from(_book(ctx), lang, theory, params, as_of=as_of.date() if as_of else None, engine=engine_name)
    scenario = read_scenario(file, book)
    report = isolated(evaluate_scenario, scenario, book, options)
    _emit(render_report(report, book, fmt), output, force, [file], book)
    if use_exit_code:
        sys.exit(exit_code(report, book))


@command(main, click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path)))
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


@command(rules, click.option("--params", "show_params", is_flag=True, help="List the parameters instead of the rules."),
         name="list")
def rules_list(ctx: click.Context, show_params: bool) -> None:
    """List every rule (or parameter) with what it establishes."""
    from .render.rules import render_parameter_list, render_rule_list

    book = _book(ctx)
    click.echo(render_parameter_list(book) if show_params else render_rule_list(book), nl=False)


@command(rules, click.argument("rule_id"), name="show")
def rules_show(ctx: click.Context, rule_id: str) -> None:
    """Show one rule: its condition as durable-rules runs it, its reasons and its citation."""
    from .model.errors import did_you_mean
    from .render.rules import render_rule
    from .run.compile import compile_rulebook

    book = _book(ctx)
    try:
        rule = book.rule(rule_id)
    except KeyError:
        hint = did_you_mean(rule_id, book.rule_ids()) or "see `mandaat rules list`"
        raise click.BadParameter(f"no rule {rule_id!r} ({hint})", param_hint="RULE_ID") from None
    click.echo(render_rule(book, rule, compile_rulebook(book)[1][rule.id]), nl=False)


@command(rules, click.argument("directory", required=False, type=click.Path(path_type=Path)),
         click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True),
         name="check")
def rules_check(ctx: click.Context, directory: Path | None, fmt: str) -> None:
    """Check a rulebook (default: the one in use): citations, references, reachability, gaps, overlaps.

    Exits 1 on any defect; prints a witness scenario for every element and status.
    """
    from .analysis.audit import check
    from .render.check import render_check

    result = check(directory or (ctx.obj or {}).get("rules") or default_rules_dir())
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(render_check(result), nl=False)
    if not result.ok:
        sys.exit(1)


@command(main, click.argument("file", type=click.Path(path_type=Path)),
         click.option("--set", "sets", multiple=True, metavar="INDICATOR=VALUE",
                      help="A hypothetical observation (A1, dated on assessed_on) replacing the indicator's evidence."),
         click.option("--judgment", "judgments", multiple=True, metavar="TERM=true|false",
                      help="A hypothetical judgment, e.g. proportionality=false."),
         *ANALYSIS)
def whatif(ctx: click.Context, file: Path, sets: tuple[str, ...], judgments: tuple[str, ...], theory: str | None,
           params: tuple[str, ...], fmt: str, lang: str, output: Path | None, force: bool) -> None:
    """Evaluate FILE now and with the changes given, side by side.

    The base keeps the scenario's own theory and parameters; --theory and --param are part of the change.
    """
    from .analysis.changes import requested_changes
    from .analysis.whatif import whatif as run_whatif
    from .render.whatif import render_whatif_json, render_whatif_text

    book = _book(ctx)
    changed = options_from(_book(ctx), lang, theory, params)
    scenario = read_scenario(file, book)
    changes = requested_changes(book, scenario, sets, judgments, theory, changed.params)
    result = isolated(run_whatif, scenario, book, changes, Options(lang=lang))
    text = render_whatif_json(result) if fmt == "json" else render_whatif_text(result, book, lang)
    _emit(text, output, force, [file], book)


@command(main, click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path)), *ANALYSIS)
def compare(ctx: click.Context, files: tuple[Path, ...], theory: str | None, params: tuple[str, ...], fmt: str,
            lang: str, output: Path | None, force: bool) -> None:
    """Evaluate FILES side by side, one column per file, and say what changed from column to column."""
    from .analysis.whatif import compare as run_compare
    from .render.whatif import render_compare_json, render_compare_text

    book = _book(ctx)
    options = options_from(_book(ctx), lang, theory, params)
    scenarios = read_all(list(files), book)
    result = isolated(run_compare, scenarios, book, options)
    text = render_compare_json(result) if fmt == "json" else render_compare_text(result, book, lang)
    _emit(text, output, force, list(files), book)


@command(main, click.argument("file", type=click.Path(path_type=Path)), *ANALYSIS)
def flips(ctx: click.Context, file: Path, theory: str | None, params: tuple[str, ...], fmt: str, lang: str,
          output: Path | None, force: bool) -> None:
    """Find the tipping points of FILE: the smallest changes that move each element and each verdict."""
    from .analysis.flips import flips as run_flips
    from .render.flips import render_flips_json, render_flips_text

    book = _book(ctx)
    options = options_from(_book(ctx), lang, theory, params)
    scenario = read_scenario(file, book)
    result = isolated(run_flips, scenario, book, options, Progress("Trying changes"))
    text = render_flips_json(result) if fmt == "json" else render_flips_text(result, book, lang)
    _emit(text, output, force, [file], book)


@command(main, click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path)),
         click.option("--chart", type=click.Path(path_type=Path), help="Write a picture of status over time (.svg)."),
         FORMAT, LANG, FORCE)
def timeline(ctx: click.Context, files: tuple[Path, ...], chart: Path | None, fmt: str, lang: str,
             force: bool) -> None:
    """Read FILES as assessments at different dates: verdicts and statuses per date, and every move."""
    from .analysis.timeline import evaluate_timeline
    from .render.svg import render_svg
    from .render.timeline import render_timeline_json, render_timeline_text

    if chart is not None and chart.suffix.lower() != ".svg":
        raise click.BadParameter(f"{chart}: mandaat draws charts as SVG; name a .svg file", param_hint="--chart")
    book = _book(ctx)
    paths = expand_folders(list(files))
    scenarios = read_all(paths, book)
    line = isolated(evaluate_timeline, scenarios, book, Options(lang=lang))
    click.echo(render_timeline_json(line) if fmt == "json" else render_timeline_text(line, book, lang), nl=False)
    if chart is not None:
        _emit(render_svg(line, book, lang), chart, force, paths, book, what="Chart")


@command(main)
def schema(ctx: click.Context) -> None:
    """Print the JSON Schema of scenario format 1 (for editors)."""
    click.echo(json.dumps(scenario_schema(_book(ctx)), ensure_ascii=False, indent=2))


def run() -> None:
    """Entry point of the `mandaat` script."""
    main(prog_name="mandaat")
