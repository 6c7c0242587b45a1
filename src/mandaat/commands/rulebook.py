"""`mandaat rules list`, `rules show` and `rules check`: the rulebook, one rule, and its audit."""

from __future__ import annotations

import json
from pathlib import Path

from ..analysis.audit import check as audit
from ..model.errors import UsageError, about, said, suggestion
from ..model.rulebook import Rulebook
from ..render.check import render_check
from ..render.rules import render_parameter_list, render_rule, render_rule_list
from ..run.compile import compile_rulebook
from .console import Console


def rules_list(book: Rulebook, console: Console, show_params: bool = False, lang: str = "nl") -> int:
    """Every rule, or every parameter, in ``lang``."""
    console.product(render_parameter_list(book, lang) if show_params else render_rule_list(book, lang))
    return 0


def rules_show(book: Rulebook, console: Console, rule_id: str) -> int:
    """One rule as durable-rules runs it, with its reasons and citation."""
    try:
        rule = book.rule(rule_id)
    except KeyError:
        hint = suggestion(rule_id, book.rule_ids(), said("see_rules_list"))
        raise UsageError(about("RULE_ID", said("no_rule", rule=repr(rule_id)), hint)) from None
    console.product(render_rule(book, rule, compile_rulebook(book)[1][rule.id]))
    return 0


def rules_check(root: Path, console: Console, fmt: str = "text") -> int:
    """The audit of the rulebook in ``root``; 1 on any defect."""
    result = audit(root)
    if fmt == "json":
        console.product(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    else:
        console.product(render_check(result))
    return 0 if result.ok else 1
