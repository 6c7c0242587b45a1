"""Render a report as JSON (the versioned contract in docs/report-json.md).

Every citation carries its parts separately (source, kind, reference, short, page, pinpoint, quote), from
``rules/sources.yaml`` and the seed's page furniture, when the rulebook is given.
"""

from __future__ import annotations

import json
from typing import Any

from ..model.report import Citation, Report
from ..model.rulebook import Rulebook
from .cite import fields

_CITATION_KEYS = set(Citation.model_fields)


def _cite_all(node: Any, book: Rulebook, lang: str) -> Any:
    if isinstance(node, list):
        return [_cite_all(item, book, lang) for item in node]
    if not isinstance(node, dict):
        return node
    done = {key: _cite_all(value, book, lang) for key, value in node.items()}
    if set(node) == _CITATION_KEYS:
        done.update(fields(book, Citation(**node), lang))
    return done


def report_data(report: Report, book: Rulebook | None = None) -> dict[str, Any]:
    """The report as JSON-ready data, every citation with its parts when the rulebook is given: the one
    form of a report in every JSON product (a report, a what-if, a comparison)."""
    data = report.model_dump(mode="json")
    return _cite_all(data, book, report.language) if book is not None else data


def render_json(report: Report, book: Rulebook | None = None) -> str:
    """The report as indented JSON with sorted keys and a final newline (byte-stable for one input)."""
    return json.dumps(report_data(report, book), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
