"""`mandaat rules list`, `rules show` and `rules check`: the declarations, one declaration or compiled rule,
and the audit."""

from __future__ import annotations

import json
from pathlib import Path

from ..analysis.audit import check as audit
from ..model.errors import UsageError, about, said, suggestion
from ..model.rulebook import Rulebook
from ..render.check import render_check
from ..render.rules import render_declaration, render_parameter_list, render_rule, render_rule_list
from ..run.compile import compile_rulebook
from .console import Console


def rules_list(book: Rulebook, console: Console, show_params: bool = False, lang: str = "nl") -> int:
    """Every declaration, or every parameter, in ``lang``."""
    console.product(render_parameter_list(book, lang) if show_params else render_rule_list(book, lang))
    return 0


def rules_show(book: Rulebook, console: Console, rule_id: str, compiled: bool = False, lang: str = "nl") -> int:
    """A declaration (an element, a basis's verdict table, `evidence`) and the ids of the rules it compiles
    into, or with ``compiled`` those rules as durable-rules runs them; or one compiled rule by its id."""
    definition = compile_rulebook(book)[1]
    members = [rule for rule in book.rules if rule.element == rule_id]
    if members:
        if compiled:
            console.product("\n".join(render_rule(book, r, definition[r.id]) for r in members))
        else:
            console.product(render_declaration(book, rule_id, members, lang))
        return 0
    try:
        rule = book.rule(rule_id)
    except KeyError:
        known = [*book.elements, *book.bases, "evidence", *book.rule_ids()]
        hint = suggestion(rule_id, known, said("see_rules_list"))
        raise UsageError(about("ID", said("no_rule", rule=repr(rule_id)), hint)) from None
    console.product(render_rule(book, rule, definition[rule.id]))
    return 0


def rules_check(root: Path, console: Console, fmt: str = "text") -> int:
    """The audit of the rulebook in ``root``; 1 on any defect."""
    result = audit(root)
    if fmt == "json":
        console.product(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    else:
        console.product(render_check(result))
    return 0 if result.ok else 1
