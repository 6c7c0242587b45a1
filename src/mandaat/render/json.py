"""Render a report as JSON (the versioned contract in docs/report-json.md)."""

from __future__ import annotations

import json

from ..model.report import Report


def render_json(report: Report) -> str:
    """The report as indented JSON with sorted keys and a final newline (byte-stable for one input)."""
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
