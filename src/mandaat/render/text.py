"""Render a report as an adviser's memo, in plain text or Markdown.

The memo puts the verdict first, then each element with its status, reasons, evidence and quoted
source, then the conditions, and open judgments and evidence problems last.
"""

from __future__ import annotations

import textwrap

from ..model.report import Citation, ElementReport, EvidenceItem, Reason, Report
from ..model.rulebook import Rulebook
from ..model.words import word


class _Writer:
    def __init__(self, markdown: bool) -> None:
        self.md = markdown
        self.lines: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        if self.md:
            self.lines += ["", "#" * level + " " + text, ""]
        else:
            self.lines += ["", text, "=" * len(text) if level <= 2 else "-" * len(text)]

    def para(self, text: str, indent: int = 0) -> None:
        if self.md:
            self.lines.append(("  " * (indent // 2)) + text if indent else text)
            return
        prefix = " " * indent
        self.lines.extend(
            textwrap.wrap(
                text,
                width=100,
                initial_indent=prefix,
                subsequent_indent=prefix + "  ",
                break_on_hyphens=False,
                break_long_words=False,
            )
            or [prefix]
        )

    def bullet(self, text: str, indent: int = 0) -> None:
        if self.md:
            self.lines.append("  " * (indent // 2) + "- " + text)
        else:
            self.para("- " + text, indent)

    def blank(self) -> None:
        self.lines.append("")

    def text(self) -> str:
        while self.lines and not self.lines[0].strip():
            self.lines.pop(0)
        return "\n".join(line.rstrip() for line in self.lines).rstrip() + "\n"


def _quote(text: str) -> str:
    return f"«{text}»"


def _cite(cite: Citation, lang: str, label: bool = True) -> str:
    """A citation of any kind: a quoted source, a reference, or a design choice with its rationale."""
    if cite.kind == "reference":
        return f"{word('cite_reference', lang)}: {cite.reference}"
    if cite.kind == "design_choice":
        return f"{word('cite_design_choice', lang)}: {cite.rationale}"
    prefix = f"{word('source', lang)}: " if label else ""
    return f"{prefix}{cite.source_title}, {cite.pinpoint}: {_quote(cite.quote)}"


def _reason(w: _Writer, reason: Reason, lang: str, indent: int) -> None:
    w.bullet(reason.text + f" [{reason.rule}]", indent)
    w.para(_cite(reason.cite, lang), indent + 4)


def _evidence_line(item: EvidenceItem, lang: str) -> str:
    text = f"{item.observation}: {item.indicator} = {item.value} ({item.grade}, {item.date}, {item.source})"
    if item.hypothetical:
        text = f"{word('hypothetical', lang)} {text}"
    if item.quote:
        text += f" {_quote(item.quote)}"
    return text


def _element(w: _Writer, name: str, element: ElementReport, report: Report, book: Rulebook, lang: str) -> None:
    status = book.statuses[element.status].label.get(lang)
    w.heading(f"{name} {element.title}: {status}", 3)
    w.para(f"({element.criterion}; {_cite(element.cite, lang, label=False)})")
    w.para(f"{word('why', lang)}:")
    for reason in element.reasons:
        _reason(w, reason, lang, 2)
    if element.notes:
        w.para(f"{word('context', lang)}:")
        for note in element.notes:
            _reason(w, note, lang, 2)
    relied = {i.observation: i for i in report.evidence.relied_upon}
    used = [relied[o] for o in element.evidence if o in relied]
    if used:
        w.para(f"{word('evidence', lang)}:")
        for item in used:
            w.bullet(_evidence_line(item, lang), 2)


def render_text(report: Report, book: Rulebook, markdown: bool = False) -> str:
    """The report as a memo; Markdown when ``markdown``."""
    lang = report.language
    w = _Writer(markdown)
    _head(w, report, lang)
    _verdict(w, report, book, lang)
    w.heading(word("elements", lang))
    for name, element in report.elements.items():
        _element(w, name, element, report, book, lang)
    w.heading(word("conditions", lang))
    for name, element in report.conditions.items():
        _element(w, name, element, report, book, lang)
    _judgments(w, report, lang)
    _evidence(w, report, lang)
    w.blank()
    w.para(word("footer", lang).format(version=report.mandaat_version, rules=len(report.rules_fired)))
    return w.text()


def _head(w: _Writer, report: Report, lang: str) -> None:
    sc = report.scenario
    w.heading(f"mandaat: {word('title', lang)}: {sc.title}", 1)
    w.para(
        f"{word('scenario', lang)} {sc.id}, {word('assessed_on', lang)} {sc.assessed_on}; "
        f"{word('theory', lang)}: {sc.theory_title}."
    )
    if sc.overridden:
        changed = ", ".join(f"{k} = {sc.params[k]} ({v})" for k, v in sorted(sc.overridden.items()))
        w.para(f"{word('params_overridden', lang)}: {changed}.")
    if sc.description:
        w.blank()
        w.para(sc.description)


def _verdict(w: _Writer, report: Report, book: Rulebook, lang: str) -> None:
    w.heading(word("verdict", lang))
    for basis, verdict in report.verdict.items():
        w.para(f"{book.bases[basis].title.get(lang)}: {book.verdicts[verdict].label.get(lang)}")
        for reason in report.verdict_reasons[basis]:
            _reason(w, reason, lang, 2)
        w.blank()
    if report.valid_until:
        w.para(word("valid_until", lang).format(date=report.valid_until))


def _judgments(w: _Writer, report: Report, lang: str) -> None:
    w.heading(word("open_judgments", lang))
    if report.judgments.open:
        for item in report.judgments.open:
            w.bullet(item.text)
    else:
        w.para(word("no_open", lang))
    if report.judgments.recorded:
        w.para(f"{word('judgments', lang)}:")
        for j in report.judgments.recorded:
            state = word("counts" if j.counts else "not_counted", lang)
            w.bullet(
                f"{j.ref} ({j.term}, {j.date}, {j.by}): {word('yes' if j.holds else 'no', lang)}; {state}. "
                f"{j.rationale}",
                2,
            )


def _evidence(w: _Writer, report: Report, lang: str) -> None:
    w.heading(word("evidence_problems", lang))
    ev = report.evidence
    for key in ("relied_upon", "superseded", "conflicts", "unconfirmed", "stale", "after_assessment"):
        entries: list[EvidenceItem] = getattr(ev, key)
        w.para(f"{word(key, lang)}: {'' if entries else word('none', lang)}")
        for item in entries:
            w.bullet(_evidence_line(item, lang), 2)
            for reason in item.reasons:
                w.para(reason.text, 6)
