"""The `mandaat` command line, the only module that imports click: it declares the commands and their
options and hands the values to :mod:`mandaat.commands` (each module imported when its command runs).
Products go to stdout, diagnostics to stderr; exit 0 a report, 1 input to fix, 2 misuse, 70 the engine.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .commands.console import Console
from .model.errors import MandaatError

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FILE = click.Path(path_type=Path)


def reports_errors(func: F) -> F:
    """Turn mandaat's errors into messages and exit codes; never show a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = kwargs.get("lang") or "nl"  # what the command speaks: its --lang, else Dutch
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # the reader (e.g. `head`) went away: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except (Exception, KeyboardInterrupt) as exc:
            if os.environ.get("MANDAAT_DEBUG") and not isinstance(exc, (MandaatError, KeyboardInterrupt)):
                raise
            from .render.failure import describe_failure

            lines, code = describe_failure(exc, lang, click.get_current_context().command_path)
            for line in lines:
                click.echo(line, err=True)
            sys.exit(code)

    return wrapper  # type: ignore[return-value]


def _rules(ctx: click.Context) -> Path | None:
    return ctx.obj.get("rules") if ctx.obj else None


def _run(ctx: click.Context, target: str, **values: Any) -> int:
    """Call ``commands.MODULE:FUNCTION`` with the rulebook in use, a console and the option values."""
    from .pipeline import rulebook

    module, _, name = target.partition(":")
    function = getattr(importlib.import_module(f"mandaat.commands.{module}"), name)
    return int(function(rulebook(_rules(ctx)), Console(), **values))


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .model.version import version

    click.echo(f"mandaat, version {version()}")
    ctx.exit()


@click.group(context_settings=CONTEXT)
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and exit.")  # fmt: skip
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), envvar="MANDAAT_RULES",
              help="Rulebook folder.")  # fmt: skip
@click.pass_context
def main(ctx: click.Context, rules_dir: Path | None) -> None:
    """mandaat: test whether a mandate's legal basis still holds, with every reason cited.

    Write a scenario file of graded field observations and run `mandaat evaluate FILE`.
    """
    ctx.obj = {"rules": rules_dir}


def _choice(flag: str, dest: str, choices: list[str], text: str) -> Callable[[F], F]:
    return click.option(flag, dest, type=click.Choice(choices), default=choices[0], show_default=True, help=text)


def _many(flag: str, dest: str, metavar: str, text: str) -> Callable[[F], F]:
    return click.option(flag, dest, multiple=True, metavar=metavar, help=text)


def _formats(*choices: str) -> Callable[[F], F]:
    return click.option("--format", "fmt", type=click.Choice(choices), help="Format (default: from -o, else text).")


LANG = _choice("--lang", "lang", ["nl", "en"], "Language (Dutch by default).")
THEORY = click.option("--theory", metavar="THEORY", help="Theory of necessity (see rules/theories.yaml).")
PARAM = _many("--param", "params", "NAME=VALUE", "Override a rulebook parameter (repeatable).")
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), help="Write to FILE.")
FORCE = click.option("--force", is_flag=True, help="Replace an existing output file.")
PAGE_FORMAT = _formats("text", "markdown", "html", "json")
ALLOW = _many("--allow-outside", "allow_outside", "FOLDER", "Also read `extends` bases from FOLDER (repeatable).")
ANALYSIS = (THEORY, PARAM, PAGE_FORMAT, LANG, OUTPUT, FORCE, ALLOW)  # the options whatif, compare and flips share
FILES = click.argument("files", nargs=-1, required=True, type=FILE)
NOTA = [click.option(f"--{name}", metavar=meta, help=f"Nota (html, docx, pdf): {text}.") for name, meta, text in (
    ("aan", "TEXT", "to whom"), ("van", "TEXT", "from whom, also its author"), ("kenmerk", "TEXT", "its reference"),
    ("datum", "YYYY-MM-DD", "its date (default: assessed on)"), ("rubricering", "TEXT", "the marking on every page"),
    ("onderwerp", "TEXT", "its subject (default: the scenario's title)"))]  # fmt: skip

Command = Callable[..., int]


def command(
    group: click.Group, *options: Callable[[Any], Any], name: str | None = None
) -> Callable[[Command], Command]:
    """A subcommand of ``group`` with ``options``: the context passed, errors reported, and the command's
    return value as the exit code."""

    def decorate(func: Command) -> Command:
        @functools.wraps(func)
        def run(ctx: click.Context, **values: Any) -> None:
            code = func(ctx, **values)
            if code:
                sys.exit(code)

        wrapped: Any = click.pass_context(reports_errors(run))
        for option in reversed(options):
            wrapped = option(wrapped)
        group.command(name or func.__name__.removesuffix("_command"), context_settings=CONTEXT)(wrapped)
        return func

    return decorate


@command(
    main,
    click.argument("file", type=FILE),
    _formats("text", "markdown", "html", "docx", "pdf", "json"),
    LANG,
    THEORY,
    PARAM,
    OUTPUT,
    FORCE,
    click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Assess as of this date."),
    _choice("--engine", "engine", ["durable", "reference"], "`reference`: the plain-Python evaluator."),
    click.option("--exit-code", "use_exit_code", is_flag=True, help="Exit 0 holds, 4 lapsed, 3 otherwise."),
    click.option("--brief", is_flag=True, help="Print only the summary."),
    click.option("--show-rules", "show_rules", is_flag=True, help="Name the rule behind each reason."),
    ALLOW,
    *NOTA,
)
def evaluate(ctx: click.Context, **o: Any) -> int:
    """Evaluate scenario FILE and print the reasoned report."""
    return _run(ctx, "report:evaluate", **o)


@command(main, FILES, click.option("--strict", is_flag=True, help="Exit 1 on warnings too."), LANG, ALLOW)
def validate(ctx: click.Context, **o: Any) -> int:
    """Check scenario FILES (or folders) without evaluating them; warn about input a verdict will lack."""
    return _run(ctx, "report:validate", **o)


@command(
    main,
    click.argument("file", type=FILE),
    click.option("--from", "base", type=FILE, metavar="SCENARIO", help="Start from SCENARIO: write a variant of it."),
    LANG,
)
def new(ctx: click.Context, **o: Any) -> int:
    """Write a commented scenario skeleton (every indicator, the grades, a judgment) to a new FILE."""
    return _run(ctx, "new:new", **o)


@main.group(context_settings=CONTEXT)
def rules() -> None:
    """Inspect the rulebook."""


@command(rules, click.option("--params", "show_params", is_flag=True, help="List the parameters."), LANG, name="list")
def rules_list(ctx: click.Context, **o: Any) -> int:
    """List every rule (or parameter) with what it establishes."""
    return _run(ctx, "rulebook:rules_list", **o)


@command(
    rules,
    click.argument("rule_id", metavar="ID"),
    click.option("--compiled", is_flag=True, help="Print the rules durable-rules runs that the declaration became."),
    LANG,
    name="show",
)
def rules_show(ctx: click.Context, **o: Any) -> int:
    """Show a declaration (an element, a basis, `evidence`) or one compiled rule, with its citation."""
    return _run(ctx, "rulebook:rules_show", **o)


@command(rules, click.argument("directory", required=False, type=FILE), _formats("text", "json"), name="check")
def rules_check(ctx: click.Context, directory: Path | None, fmt: str | None) -> int:
    """Check a rulebook (default: the one in use); exit 1 on any defect, with a witness for each status."""
    from .commands.rulebook import rules_check as check
    from .read.rulebook_cache import default_rules_dir

    return check(directory or _rules(ctx) or default_rules_dir(), Console(), fmt or "text")


@command(
    main,
    click.argument("file", type=FILE),
    _many("--set", "sets", "INDICATOR=VALUE", "A hypothetical observation (A1, dated on assessed_on)."),
    _many("--judgment", "judgments", "TERM=true|false", "A hypothetical judgment: proportionality=false."),
    *ANALYSIS,
)
def whatif_command(ctx: click.Context, **o: Any) -> int:
    """Evaluate FILE now and with the changes given, side by side.

    The base keeps the scenario's own theory and parameters; --theory and --param are part of the change.
    """
    return _run(ctx, "whatif:whatif", **o)


@command(main, FILES, *ANALYSIS)
def compare(ctx: click.Context, **o: Any) -> int:
    """Evaluate FILES side by side, one column per file, and say what changed from column to column."""
    return _run(ctx, "whatif:compare", **o)


@command(main, click.argument("file", type=FILE), *ANALYSIS)
def flips(ctx: click.Context, **o: Any) -> int:
    """Find the tipping points of FILE: the smallest changes that move each element and each verdict."""
    return _run(ctx, "whatif:flips", **o)


@command(
    main,
    FILES,
    click.option("--chart", type=FILE, help="Write a picture of status over time (.svg, or .png)."),
    PAGE_FORMAT,
    LANG,
    OUTPUT,
    FORCE,
    ALLOW,
)
def timeline(ctx: click.Context, **o: Any) -> int:
    """Read FILES as assessments at different dates: verdicts and statuses per date, and every move."""
    return _run(ctx, "whatif:timeline", **o)


@command(
    main,
    click.argument("file", type=FILE),
    _many("--vary", "vary", "NAME=START..STOP[:STEP]", "An indicator or parameter to vary, or `theory` (repeatable)."),
    click.option("--jobs", type=int, help="Worker processes (default: one per processor)."),
    THEORY,
    PARAM,
    _formats("text", "markdown", "json", "html", "svg"),
    LANG,
    OUTPUT,
    FORCE,
    ALLOW,
)
def sweep(ctx: click.Context, **o: Any) -> int:
    """Map the verdicts of FILE over every combination of one to three indicators or parameters (and theory)."""
    return _run(ctx, "sweep:run_sweep", **o)


@command(main, click.argument("file", type=FILE), ALLOW, name="replay")
def replay(ctx: click.Context, **o: Any) -> int:
    """Produce the JSON report FILE again from its receipt: "identical" (0), or what differs and why (3).

    The rulebook and scenario the receipt names are read only in FILE's folder tree (or --allow-outside).
    """
    from .commands.replay import replay as run_replay

    return run_replay(Console(), rules_in_use=_rules(ctx), **o)


@command(
    main,
    click.argument("file", required=False, type=FILE),
    click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (0: a free one)."),
    click.option("--no-browser", "browser", is_flag=True, flag_value=False, default=True, help="Open no browser."),
    LANG,
)
def studio(ctx: click.Context, **o: Any) -> int:
    """Open FILE (or a folder's scenarios) in the browser on 127.0.0.1: move the facts, watch the verdict."""
    return _run(ctx, "studio:studio", **o)  # the web stack loads only for this command


@command(
    main,
    _choice("--lang", "lang", ["nl", "en"], "Language of the descriptions (Dutch by default)."),
    _choice("--draft", "draft", ["2020-12", "07"], "JSON Schema draft; 07 for the VS Code YAML extension."),
)
def schema(ctx: click.Context, **o: Any) -> int:
    """Print the JSON Schema of scenario format 1 (for editors)."""
    return _run(ctx, "report:schema", **o)


def run() -> None:
    """Entry point of the `mandaat` script."""
    from .commands.process import without_pydantic_plugins

    without_pydantic_plugins()  # mandaat uses none; PYDANTIC_DISABLE_PLUGINS set by the user still wins
    main(prog_name="mandaat")
