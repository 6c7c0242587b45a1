"""The `mandaat` command line, the only module that imports click.

It declares the commands and their options and hands the values to :mod:`mandaat.commands`, which does
the work without knowing click. Products go to stdout, diagnostics to stderr; exit codes follow DESIGN §5:
0 a report, 1 input to fix, 2 misuse, 70 an engine that crashed or cannot load.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .commands import report, rulebook, whatif
from .commands.console import Console
from .model.errors import MandaatError, UsageError
from .model.rulebook import Rulebook
from .model.version import version
from .pipeline import rulebook as load_rulebook
from .read.rulebook import default_rules_dir
from .render.failure import describe_failure

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FILE = click.Path(path_type=Path)


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
    return load_rulebook(ctx.obj.get("rules") if ctx.obj else None)


@click.group(context_settings=CONTEXT)
@click.version_option(version(), "-V", "--version", prog_name="mandaat")
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="MANDAAT_RULES",
    help="Rulebook folder.",
)
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


LANG = _choice("--lang", "lang", ["nl", "en"], "Language (Dutch by default).")
THEORY = click.option("--theory", metavar="THEORY", help="Theory of necessity (see rules/theories.yaml).")
PARAM = _many("--param", "params", "NAME=VALUE", "Override a rulebook parameter (repeatable).")
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), help="Write to FILE.")
FORCE = click.option("--force", is_flag=True, help="Replace an existing output file.")
FORMAT = _choice("--format", "fmt", ["text", "json"], "Output format.")
ANALYSIS = (THEORY, PARAM, FORMAT, LANG, OUTPUT, FORCE)  # the options whatif, compare and flips share


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
    _choice("--format", "fmt", ["text", "markdown", "json"], "Report format."),
    LANG,
    THEORY,
    PARAM,
    OUTPUT,
    FORCE,
    click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Assess as of YYYY-MM-DD."),
    _choice("--engine", "engine", ["durable", "reference"], "`reference`: the plain-Python evaluator."),
    click.option("--exit-code", "use_exit_code", is_flag=True, help="Exit 3 at risk or undetermined, 4 lapsed."),
)
def evaluate(ctx: click.Context, **o: Any) -> int:
    """Evaluate scenario FILE and print the reasoned report."""
    as_of = o.pop("as_of")
    return report.evaluate(_book(ctx), Console(), as_of=as_of.date() if as_of else None, **o)


@command(main, click.argument("files", nargs=-1, required=True, type=FILE))
def validate(ctx: click.Context, **o: Any) -> int:
    """Check scenario FILES against format 1 without evaluating them."""
    return report.validate(_book(ctx), Console(), **o)


@main.group(context_settings=CONTEXT)
def rules() -> None:
    """Inspect the rulebook."""


@command(rules, click.option("--params", "show_params", is_flag=True, help="List the parameters."), name="list")
def rules_list(ctx: click.Context, **o: Any) -> int:
    """List every rule (or parameter) with what it establishes."""
    return rulebook.rules_list(_book(ctx), Console(), **o)


@command(rules, click.argument("rule_id"), name="show")
def rules_show(ctx: click.Context, **o: Any) -> int:
    """Show one rule: its condition as durable-rules runs it, its reasons and its citation."""
    return rulebook.rules_show(_book(ctx), Console(), **o)


@command(rules, click.argument("directory", required=False, type=FILE), FORMAT, name="check")
def rules_check(ctx: click.Context, directory: Path | None, **o: Any) -> int:
    """Check a rulebook (default: the one in use): citations, references, reachability, gaps, overlaps.

    Exits 1 on any defect; prints a witness scenario for every element and status.
    """
    return rulebook.rules_check(directory or (ctx.obj or {}).get("rules") or default_rules_dir(), Console(), **o)


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
    return whatif.whatif(_book(ctx), Console(), **o)


@command(main, click.argument("files", nargs=-1, required=True, type=FILE), *ANALYSIS)
def compare(ctx: click.Context, **o: Any) -> int:
    """Evaluate FILES side by side, one column per file, and say what changed from column to column."""
    return whatif.compare(_book(ctx), Console(), **o)


@command(main, click.argument("file", type=FILE), *ANALYSIS)
def flips(ctx: click.Context, **o: Any) -> int:
    """Find the tipping points of FILE: the smallest changes that move each element and each verdict."""
    return whatif.flips(_book(ctx), Console(), **o)


@command(
    main,
    click.argument("files", nargs=-1, required=True, type=FILE),
    click.option("--chart", type=FILE, help="Write a picture of status over time (.svg)."),
    FORMAT,
    LANG,
    FORCE,
)
def timeline(ctx: click.Context, **o: Any) -> int:
    """Read FILES as assessments at different dates: verdicts and statuses per date, and every move."""
    return whatif.timeline(_book(ctx), Console(), **o)


@command(
    main,
    click.argument("file", required=False, type=FILE),
    click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (0: a free one)."),
    click.option(
        "--no-browser", "browser", is_flag=True, flag_value=False, default=True, help="Do not open a browser."
    ),
    LANG,
)
def studio(ctx: click.Context, **o: Any) -> int:
    """Open FILE (or the scenarios of a folder) in the browser: move the facts, watch the verdict.

    Serves on 127.0.0.1 only, at an address with a random token; Ctrl-C stops it.
    """
    from .commands.studio import studio as serve  # the web stack loads only for this command

    return serve(_book(ctx), Console(), **o)


@command(main)
def schema(ctx: click.Context) -> int:
    """Print the JSON Schema of scenario format 1 (for editors)."""
    return report.schema(_book(ctx), Console())


def run() -> None:
    """Entry point of the `mandaat` script."""
    main(prog_name="mandaat")
