"""Render the result of `mandaat rules check`: the checks, the defects, and a witness scenario per
element and status."""

from __future__ import annotations

from ..analysis.audit import CheckReport
from ..analysis.witnesses import facts_text
from ..model.errors import safe


def render_check(report: CheckReport) -> str:
    """Human-readable report of the checks and the witnesses."""
    lines = [f"mandaat rules check: {safe(str(report.root))}"]  # a folder name may hold control characters
    for name, ok, detail in report.checks:
        lines.append(f"  {'ok  ' if ok else 'FAIL'}  {name}" + (f" ({detail})" if detail else ""))
    if report.by_kind:
        lines.append("  reasons per citation kind: " + ", ".join(f"{k}: {n}" for k, n in report.by_kind.items()))
    if report.defects:
        lines.append("")
        lines.append(f"{len(report.defects)} defect(s):")
        lines.extend("  " + d.render() for d in report.defects)
    if report.witnesses:
        lines.append("")
        lines.append("witnesses (one scenario per element and status; observations graded A1, dated on assessed_on):")
        for element, statuses in report.witnesses.items():
            for status, combo in statuses.items():
                lines.append(f"  {element:<5} {status:<10} {facts_text(combo)}")
    return "\n".join(lines) + "\n"
