"""`mandaat replay REPORT.json`: produce a saved report again from its receipt and say whether it comes
out identical (exit 0), or what differs and why (a rule file changed, a different version, the scenario
changed; exit 3). An input the receipt names that is gone is input to fix (exit 1)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model.errors import InputError, Problem, Said, said
from ..model.report import Receipt
from ..model.version import version
from ..model.words import word
from ..pipeline import Options, check_options
from ..pipeline import rulebook as load_rulebook
from ..read.receipt import rule_hashes
from ..read.source import decode, read_bytes
from ..render.json import render_json
from .console import Console
from .report import evaluate_with_receipt

EXIT_DIFFERS = 3


def _refuse(file: Path, message: Said, hint: Said) -> InputError:
    return InputError([Problem(str(file), None, "", message, hint)])


def read_receipt(file: Path) -> tuple[dict[str, Any], Receipt]:
    """The saved report and its receipt; a located error when it is not a JSON report with a receipt."""
    try:
        data = json.loads(decode(read_bytes(file), str(file)))
    except json.JSONDecodeError as exc:
        message = said("not_json", detail=exc.msg)  # the JSON parser's own words
        raise InputError([Problem(str(file), exc.lineno, "", message, said("pass_json_report"))]) from None
    if not isinstance(data, dict) or not isinstance(data.get("receipt"), dict):
        raise _refuse(file, said("no_receipt"), said("replay_needs_receipt"))
    try:
        return data, Receipt.model_validate(data["receipt"])
    except ValidationError as exc:
        detail = exc.errors()[0]["msg"]
        raise _refuse(file, said("receipt_unreadable", detail=detail), said("pass_report_as_written")) from None


def _rule_changes(receipt: Receipt, now: dict[str, str], lang: str) -> list[str]:
    saved = {h.path: h.sha256 for h in receipt.rules}
    lines = []
    for name in sorted(saved.keys() | now.keys()):
        if name not in now:
            lines.append(word("replay_rule_removed", lang).format(name=name))
        elif name not in saved:
            lines.append(word("replay_rule_added", lang).format(name=name))
        elif saved[name] != now[name]:
            lines.append(word("replay_rule_changed", lang).format(name=name, was=saved[name][:12], now=now[name][:12]))
    return lines


def _inputs(file: Path, receipt: Receipt) -> tuple[Path, Path]:
    rules, scenario = Path(receipt.rules_dir), Path(receipt.scenario.path)
    if not rules.is_dir():
        raise _refuse(file, said("receipt_rules_missing", folder=rules), said("replay_where_made"))
    if not scenario.is_file():
        raise _refuse(file, said("receipt_scenario_missing", file=scenario), said("replay_where_made"))
    return rules, scenario


def replay(console: Console, file: Path) -> int:
    """Re-run the evaluation the receipt of ``file`` describes and compare; 0 identical, 3 differs."""
    saved, receipt = read_receipt(file)
    lang = receipt.language
    rules, scenario = _inputs(file, receipt)
    book = load_rulebook(rules)
    options = Options(
        lang=lang,
        theory=receipt.theory_given,
        params=dict(receipt.params),
        as_of=date.fromisoformat(receipt.as_of) if receipt.as_of else None,
        engine=receipt.engine,
    )
    check_options(book, options)
    report = evaluate_with_receipt(book, scenario, options)
    new = json.loads(render_json(report, book))
    assert report.receipt is not None
    reasons = []
    if receipt.mandaat_version != version():
        reasons.append(word("replay_version", lang).format(was=receipt.mandaat_version, now=version()))
    reasons += _rule_changes(receipt, {h.path: h.sha256 for h in rule_hashes(book)}, lang)
    if report.receipt.scenario.sha256 != receipt.scenario.sha256:
        reasons.append(
            word("replay_scenario", lang).format(
                name=scenario, was=receipt.scenario.sha256[:12], now=report.receipt.scenario.sha256[:12]
            )
        )
    fields = sorted(k for k in saved.keys() | new.keys() if k != "receipt" and saved.get(k) != new.get(k))
    if not reasons and not fields:
        console.product(
            word("replay_identical", lang).format(
                file=file, version=version(), rules=len(receipt.rules), scenario=scenario
            )
            + "\n"
        )
        return 0
    lines = [word("replay_differs", lang).format(file=file), *(f"  - {r}" for r in reasons)]
    if fields:
        lines.append("  - " + word("replay_output", lang).format(fields=", ".join(fields)))
        if not reasons:
            lines.append("  - " + word("replay_same_inputs", lang))
    console.product("\n".join(lines) + "\n")
    return EXIT_DIFFERS
