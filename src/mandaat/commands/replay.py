"""`mandaat replay REPORT.json`: produce a saved report again from its receipt and say whether it comes
out identical (exit 0), or what differs and why (a rule file changed, a different version, the scenario
changed, or the report file itself was changed; exit 3).

A report may come from someone else, so all of it is input to check: a defect of its JSON or receipt is
located in the report file (exit 1); the rulebook and scenario it names are read only in the report's
folder tree (or ``--allow-outside``), only as regular files, and nothing is quoted from a file that is not
a scenario. Whatever the receipt says reaches the terminal escaped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..model.errors import InputError, Problem, Refusal, Said, Words, about, one_of, safe, said, show, suggestion
from ..model.report import Receipt
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario, iso_date
from ..model.version import version
from ..model.words import word
from ..pipeline import ENGINES, Options, check_options, evaluate_scenario, with_receipt
from ..pipeline import rulebook as load_rulebook
from ..read.chain import is_scenario_text
from ..read.jsonsafe import JsonRefusal, json_locator, loads
from ..read.parameters import parameter_value_problem
from ..read.problems import problems_from
from ..read.receipt import rule_hashes
from ..read.rulebook_cache import default_rules_dir
from ..read.scenario import read_scenario, threshold_order_problems
from ..read.source import decode, os_problem, read_bytes
from ..read.yamlsafe import Locator, PathT
from ..render.json import render_json
from .console import Console
from .report import in_child

EXIT_DIFFERS = 3
LANGUAGES = ("nl", "en")
MAX_LINES = 20  # differences listed per kind; the rest are counted
_ABSENT = object()


class _Saved(BaseModel):
    """A saved report as far as replay needs it: its receipt."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    receipt: Receipt


@dataclass(frozen=True)
class Received:
    """A saved report: its text, its data and its receipt."""

    file: Path
    text: str
    data: dict[str, Any]
    receipt: Receipt

    @cached_property
    def locator(self) -> Locator:
        """Where each value is in the file (found when a defect is to be located)."""
        return json_locator(self.text, str(self.file))

    def problem(self, path: PathT, message: Said, hint: Words = "", *, key: bool = False) -> Problem:
        """A defect at ``receipt.<path>`` of the report file."""
        return self.locator.problem(("receipt", *path), message, hint, key=key)

    def refuse(self, path: PathT, message: Said, hint: Words = "") -> InputError:
        """The error of one defect at ``receipt.<path>``."""
        return InputError([self.problem(path, message, hint)])


def _short(text: object, limit: int = 120) -> str:
    """A text from the receipt, shortened for one line (escaped when the line is shown)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit // 2 - 2] + "..." + text[-(limit // 2 - 1) :]


def read_receipt(file: Path) -> Received:
    """The saved report and its receipt, checked; a located error for every defect of either."""
    display = str(file)
    text = decode(read_bytes(file), display)
    try:
        data = loads(text)
    except JsonRefusal as exc:
        raise InputError([Problem(display, exc.lineno, "", exc.message, said("pass_report_as_written"))]) from None
    except json.JSONDecodeError as exc:
        message = said("not_json", detail=exc.msg)  # the JSON parser's own words
        raise InputError([Problem(display, exc.lineno, "", message, said("pass_json_report"))]) from None
    if not isinstance(data, dict) or not isinstance(data.get("receipt"), dict):
        raise InputError([Problem(display, None, "", said("no_receipt"), said("replay_needs_receipt"))])
    try:
        receipt = _Saved.model_validate(data).receipt
    except ValidationError as exc:  # the hints of a scenario's YAML do not fit a report's JSON
        problems = problems_from(exc, json_locator(text, display))
        raise InputError([replace(p, hint=said("pass_report_as_written")) for p in problems]) from None
    received = Received(file, text, data, receipt)
    problems = list(_settings_problems(received))
    if problems:
        raise InputError(problems)
    return received


def _settings_problems(received: Received) -> Iterator[Problem]:
    """The receipt's language, engine and date of assessment, each one mandaat knows and `evaluate` takes."""
    receipt = received.receipt
    if receipt.language not in LANGUAGES:
        hint = suggestion(receipt.language, LANGUAGES, one_of(LANGUAGES))
        yield received.problem(("language",), said("not_allowed", value=show(receipt.language)), hint)
    if receipt.engine not in ENGINES:
        yield received.problem(("engine",), said("unknown_engine", engine=show(receipt.engine)), one_of(ENGINES))
    if receipt.as_of is not None:
        try:
            iso_date(receipt.as_of)
        except Refusal as exc:
            yield received.problem(("as_of",), exc.message, exc.hint)


def _book_problems(received: Received, book: Rulebook, scenario: Scenario) -> list[Problem]:
    """The receipt's theory and parameters, checked against the rulebook as `--theory` and `--param` are."""
    receipt = received.receipt
    problems: list[Problem] = []
    theory = receipt.theory_given
    if theory is not None and theory not in book.theories:
        hint = suggestion(theory, book.theories, one_of(book.theories))
        problems.append(received.problem(("theory_given",), said("unknown_theory", name=show(theory)), hint))
    values = {name: p.value for name, p in book.parameters.items()} | dict(scenario.params)
    for name, value in receipt.params.items():
        if name not in book.parameters:
            hint = suggestion(name, book.parameters, said("see_params"))
            unknown = said("unknown_parameter", name=show(name))
            problems.append(received.problem(("params", name), unknown, hint, key=True))
        elif wrong := parameter_value_problem(book.parameters[name].type, value):
            problems.append(received.problem(("params", name), wrong))
        else:
            values[name] = value
    if not problems:
        for name, message in threshold_order_problems(book, values):
            where: PathT = ("params", name) if name in receipt.params else ("params",)
            problems.append(received.problem(where, message, said("threshold_gap")))
    return problems


def _real(received: Received, where: PathT, named: str) -> Path:
    try:
        return Path(os.path.realpath(named))
    except (OSError, ValueError, RuntimeError) as exc:
        problem = os_problem(_short(named), exc)
        raise received.refuse(where, about(_short(named), problem.message), problem.hint) from None


def _confined(received: Received, where: PathT, named: str, folders: tuple[Path, ...], missing: Said) -> Path:
    """The real path of a file or folder the receipt names (from the working folder, where the report
    was made), refused unless it lies inside one of ``folders``; ``missing`` when it is not there."""
    real = _real(received, where, named)
    if not os.path.lexists(real):
        raise received.refuse(where, missing, said("replay_where_made"))
    if not any(real == folder or real.is_relative_to(folder) for folder in folders):
        message = said("receipt_outside", path=repr(_short(named)), folder=folders[0])
        raise received.refuse(where, message, said("receipt_outside_hint"))
    return real


def _inputs(received: Received, folders: tuple[Path, ...], rules_in_use: Path) -> tuple[Path, Path]:
    """The rulebook folder and the scenario file of the receipt, confined and checked."""
    receipt = received.receipt
    missing = said("receipt_rules_missing", folder=_short(receipt.rules_dir))
    rules = _confined(received, ("rules_dir",), receipt.rules_dir, (*folders, rules_in_use), missing)
    if not rules.is_dir():
        raise received.refuse(("rules_dir",), missing, said("replay_where_made"))
    named = receipt.scenario.path
    missing = said("receipt_scenario_missing", file=_short(named))
    scenario = _confined(received, ("scenario", "path"), named, folders, missing)
    try:
        raw = read_bytes(scenario, _short(named))
    except InputError as exc:
        problem = exc.problems[0]
        if problem.is_said("file_not_found"):
            raise received.refuse(("scenario", "path"), missing, said("replay_where_made")) from None
        raise received.refuse(("scenario", "path"), about(_short(named), problem.message), problem.hint) from None
    if not is_scenario_text(raw):  # say so, and show nothing of it
        message = said("receipt_not_scenario", file=repr(_short(named)))
        raise received.refuse(("scenario", "path"), message, said("pass_report_as_written"))
    return rules, scenario


def _folders(folders: Iterable[Path]) -> tuple[Path, ...]:
    """``folders`` by their real paths (the report's folder, those opened with ``--allow-outside``)."""
    reals = []
    for folder in folders:
        try:
            reals.append(Path(os.path.realpath(folder)))
        except (OSError, ValueError, RuntimeError) as exc:
            raise InputError([os_problem(str(folder), exc)]) from None
    return tuple(reals)


def _rule_changes(receipt: Receipt, now: dict[str, str], lang: str) -> list[str]:
    saved = {h.path: h.sha256 for h in receipt.rules}
    lines = []
    for name in sorted(saved.keys() | now.keys()):
        shown = _short(name)
        if name not in now:
            lines.append(word("replay_rule_removed", lang).format(name=shown))
        elif name not in saved:
            lines.append(word("replay_rule_added", lang).format(name=shown))
        elif saved[name] != now[name]:
            was, is_now = _short(saved[name][:12]), now[name][:12]
            lines.append(word("replay_rule_changed", lang).format(name=shown, was=was, now=is_now))
    return lines


def differences(saved: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every place (``verdict.syria``, ``rules_fired[3]``) where two JSON documents differ, with the value
    in each (``_ABSENT`` where one lacks it), in key order."""
    if isinstance(saved, dict) and isinstance(new, dict):
        for key in sorted(saved.keys() | new.keys(), key=str):
            where = f"{path}.{key}" if path else str(key)
            yield from differences(saved.get(key, _ABSENT), new.get(key, _ABSENT), where)
    elif isinstance(saved, list) and isinstance(new, list):
        for i in range(max(len(saved), len(new))):
            yield from differences(
                saved[i] if i < len(saved) else _ABSENT, new[i] if i < len(new) else _ABSENT, f"{path}[{i}]"
            )
    elif type(saved) is not type(new) or saved != new:
        yield path, saved, new


def _value(value: Any, lang: str) -> str:
    return word("replay_absent", lang) if value is _ABSENT else show(value)


def _capped(lines: list[str], lang: str) -> list[str]:
    """At most MAX_LINES of ``lines``, then how many more."""
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], word("replay_more", lang).format(count=len(lines) - MAX_LINES)]


def replay(console: Console, file: Path, allow_outside: tuple[Path, ...] = (), rules_in_use: Path | None = None) -> int:
    """Re-run the evaluation the receipt of ``file`` describes and compare; 0 identical, 3 differs."""
    received = read_receipt(file)
    receipt = received.receipt
    lang = receipt.language
    (in_use,) = _folders([rules_in_use or default_rules_dir()])
    rules, scenario_file = _inputs(received, _folders([file.parent, *allow_outside]), in_use)
    book = load_rulebook(rules)
    scenario = read_scenario(scenario_file, book, _short(receipt.scenario.path))
    problems = _book_problems(received, book, scenario)
    if problems:
        raise InputError(problems)
    as_of = iso_date(receipt.as_of) if receipt.as_of else None
    options = Options(
        lang=lang, theory=receipt.theory_given, params=dict(receipt.params), as_of=as_of, engine=receipt.engine
    )
    check_options(book, options)
    report = in_child(evaluate_scenario, scenario, book, options)
    report = with_receipt(report, book, scenario, scenario_file, options)
    new = json.loads(render_json(report, book))
    assert report.receipt is not None
    shown = _short(receipt.scenario.path)
    reasons = []
    if receipt.mandaat_version != version():
        reasons.append(word("replay_version", lang).format(was=_short(receipt.mandaat_version), now=version()))
    reasons += _capped(_rule_changes(receipt, {h.path: h.sha256 for h in rule_hashes(book)}, lang), lang)
    if report.receipt.scenario.sha256 != receipt.scenario.sha256:
        was, now = _short(receipt.scenario.sha256[:12]), report.receipt.scenario.sha256[:12]
        reasons.append(word("replay_scenario", lang).format(name=shown, was=was, now=now))
    saved = {k: v for k, v in received.data.items() if k != "receipt"}
    changed = list(differences(saved, {k: v for k, v in new.items() if k != "receipt"}))
    if not reasons and not changed:
        line = word("replay_identical", lang).format(
            file=file, version=version(), rules=len(receipt.rules), scenario=shown
        )
        console.product(safe(line) + "\n")
        return 0
    lines = [word("replay_differs", lang).format(file=file), *(f"  - {r}" for r in reasons)]
    if changed:
        fields = sorted({_short(path.split(".")[0].split("[")[0], 40) for path, _, _ in changed})
        lines.append("  - " + word("replay_output", lang).format(fields=", ".join(fields)))
        values = [
            word("replay_value", lang).format(
                path=_short(path, 80), saved=_value(before, lang), now=_value(after, lang)
            )
            for path, before, after in changed
        ]
        lines += [f"      {line}" for line in _capped(values, lang)]
        if not reasons:
            lines.append("  - " + word("replay_file_changed", lang))
    console.product("\n".join(safe(line) for line in lines) + "\n")
    return EXIT_DIFFERS
