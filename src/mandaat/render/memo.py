"""The report as a memo an adviser can put in front of a minister: a summary first, then the long form
without repeating it, each quote given once, the full reference of each source once and a short form
everywhere else. Rule ids only with ``show_rules``. Every format writes these blocks."""

from __future__ import annotations

from ..model.report import Citation, ElementReport, EvidenceItem, Reason, Report
from ..model.rulebook import Rulebook
from ..model.words import word
from . import cite as cites
from .blocks import Block, Heading, Item, Items, Memo, Para, Quote, Table
from .summary import summary_blocks

EVIDENCE_PROBLEMS = ("superseded", "conflicts", "unconfirmed", "stale", "after_assessment")


class _Builder:
    def __init__(self, report: Report, book: Rulebook, show_rules: bool) -> None:
        self.report, self.book, self.show_rules = report, book, show_rules
        self.lang = report.language
        self.quoted: set[str] = set()
        self.said: list[str] = []
        self.named: set[str] = set()
        self.cited: list[Citation] = []
        self.last = ""

    def short(self, cite: Citation) -> str:
        """The short form; «t.a.p.» (ibid.) when it repeats the citation just before, in the same section, and
        «a.w.» (ibid.) with the new place when it cites the same work elsewhere."""
        self.cited.append(cite)
        text = cites.short(self.book, cite, self.lang)
        work = cites.short_work(self.book, cite, self.lang)
        previous, self.last = self.last, text
        if text == previous:
            return word("ibid", self.lang)
        if not previous.startswith(work + ", "):
            return text
        place, before = text.removeprefix(work + ", "), previous.removeprefix(work + ", ")
        heading = place.rpartition(", ")[0]
        if heading and before.startswith(heading + ", "):
            place = place.rpartition(", ")[2]
        return f"{word('ibid_elsewhere', self.lang)}, {place}"

    def section(self) -> None:
        """A new heading: the next citation is given in full again."""
        self.last = ""

    def fresh(self, quote: str | None) -> bool:
        """True the first time a quote is given (then it counts as given)."""
        if not quote:
            return False
        key = " ".join(quote.split())
        if key in self.quoted:
            return False
        self.quoted.add(key)
        return True

    def fresh_peek(self, quote: str | None) -> bool:
        """True when a quote has not been given yet (without counting it as given)."""
        return bool(quote) and " ".join((quote or "").split()) not in self.quoted

    def other(self, cite: Citation) -> str:
        """A reference, or a design choice (its rationale the first time, then only its name)."""
        again = cite.kind == "design_choice" and not self.fresh(f"design: {cite.rationale}")
        return cites.label(cite, self.lang, again)

    def quote_or_cite(self, cite: Citation) -> Block:
        if cite.kind != "quote":
            return Para(self.other(cite))
        if self.fresh(cite.quote):
            return Quote(cite.quote, self.short(cite))
        return Para(self.short(cite))

    def reason(self, reason: Reason) -> Item:
        self.said.append(reason.text)
        self.named.update(reason.observations)
        rule = reason.rule if self.show_rules else None
        if reason.cite.kind != "quote":
            return Item(reason.text, cite=self.other(reason.cite), rule=rule)
        if self.fresh(reason.cite.quote):
            return Item(reason.text, quote=Quote(reason.cite.quote, self.short(reason.cite)), rule=rule)
        return Item(reason.text, cite=self.short(reason.cite), rule=rule)

    def element(self, name: str, element: ElementReport) -> list[Block]:
        lang = self.lang
        label = self.book.statuses[element.status].label.get(lang)
        cite = element.cite
        if cite.kind == "quote" and _same(cite.quote, element.title) and self.fresh_peek(cite.quote):
            # the element's title is the source's own words: the quotation below says it once
            head = [Heading(3, f"{name}: {label}", element.status), self.quote_or_cite(cite)]
        else:
            head = [Heading(3, f"{name} {element.title}: {label}", element.status), self.quote_or_cite(cite)]
        blocks: list[Block] = [head[0], head[1], Items([self.reason(r) for r in element.reasons])]
        if element.notes:
            blocks.append(Items([self.reason(r) for r in element.notes], lead=word("context", lang)))
        return blocks

    def evidence_item(self, item: EvidenceItem, grouped: bool = False) -> Item:
        where = f"{item.grade}, {item.date}" if grouped else f"{item.grade}, {item.date}, {item.source}"
        ind = self.book.indicators.get(item.indicator)
        name = ind.label.get(self.lang) if ind is not None and ind.label is not None else item.indicator
        text = f"{item.observation}: {name} = {item.value} ({where})"
        if item.hypothetical:
            text = f"{word('hypothetical', self.lang)} {text}"
        extra = " ".join(reason.text for reason in item.reasons)
        text = f"{text}. {extra}" if extra else text
        quote = Quote(item.quote, "" if grouped else item.source) if item.quote and self.fresh(item.quote) else None
        return Item(text, quote=quote)


def _same(quote: str, title: str) -> bool:
    """True when a quote says what a title says (up to spacing and a closing full stop)."""
    return " ".join(quote.split()).rstrip(".").lower() == " ".join(title.split()).rstrip(".").lower()


def _verdict(b: _Builder) -> list[Block]:
    report, book, lang = b.report, b.book, b.lang
    rows = [[book.bases[k].name.get(lang), book.verdicts[v].label.get(lang)] for k, v in report.verdict.items()]
    blocks: list[Block] = [
        Heading(2, word("verdict_heading", lang)),
        Table([word("basis", lang), word("verdict_heading", lang)], rows, list(report.verdict.values()), False),
    ]
    b.section()
    for basis in report.verdict:
        reasons = report.verdict_reasons.get(basis, [])
        if reasons:  # the first reason is in the summary; its quote, and the further reasons, are here
            blocks.append(b.quote_or_cite(reasons[0].cite))
        if len(reasons) > 1:
            blocks.append(Items([b.reason(r) for r in reasons[1:]], lead=book.bases[basis].name.get(lang)))
    return blocks


def _judgments(b: _Builder) -> list[Block]:
    report, lang = b.report, b.lang
    blocks: list[Block] = [Heading(2, word("open_heading", lang))]
    if report.judgments.open:
        blocks.append(Items([Item(item.text) for item in report.judgments.open]))
    else:
        blocks.append(Para(word("no_open", lang)))
    recorded = []
    for j in report.judgments.recorded:
        state = word("counts" if j.counts else "not_counted", lang)
        known = any(j.rationale.strip() in said and j.by in said for said in b.said)
        term = word(f"term:{j.term}", lang)
        who = f"{term}, {j.date}" if known else f"{term}, {j.date}, {j.by}"
        text = f"{j.ref} ({who}): {word('yes' if j.holds else 'no', lang)}; {state}."
        if not known:
            text += f" {j.rationale}"
        recorded.append(Item(text))
    if recorded:
        blocks.append(Items(recorded, lead=word("judgments", lang)))
    return blocks


def _evidence(b: _Builder) -> list[Block]:
    ev, lang = b.report.evidence, b.lang
    blocks: list[Block] = [Heading(2, word("evidence_heading", lang))]
    by_source: dict[str, list[EvidenceItem]] = {}
    named = [
        i.observation
        for i in ev.relied_upon
        if i.observation in b.named and not i.hypothetical and not b.fresh_peek(i.quote)
    ]
    for item in ev.relied_upon:
        if item.observation not in named:
            by_source.setdefault(item.source, []).append(item)
    for source, items in by_source.items():
        lead = f"{word('relied_upon', lang)} ({source})"
        blocks.append(Items([b.evidence_item(i, grouped=True) for i in items], lead=lead))
    problems = [key for key in EVIDENCE_PROBLEMS if getattr(ev, key)]
    for key in problems:
        blocks.append(Items([b.evidence_item(i) for i in getattr(ev, key)], lead=word(key, lang)))
    if not problems:
        blocks.append(Para(word("no_evidence_problems", lang)))
    return blocks


def _closing(b: _Builder) -> list[Block]:
    lang, book = b.lang, b.book
    used = cites.sources_used(book, b.cited)
    items = [Item(f"{cites.short_name(book.sources[s], lang)}: {cites.full(book, s, lang)}.") for s in used]
    blocks: list[Block] = [Heading(2, word("sources_heading", lang)), Items(items)]
    receipt = b.report.receipt
    if receipt is not None:
        line = word("receipt_line", lang).format(
            rules_digest=receipt.rules_sha256[:16], scenario_digest=receipt.scenario.sha256[:16], engine=receipt.engine
        )
        if receipt.as_of:
            line = f"{word('as_of_line', lang).format(date=receipt.as_of)} {line}"
        blocks += [Heading(2, word("receipt_heading", lang)), Para(line)]
    footer = word("footer", lang).format(version=b.report.mandaat_version, rules=len(b.report.rules_fired))
    return [*blocks, Para(footer)]


def _head(report: Report) -> list[Block]:
    sc, lang = report.scenario, report.language
    blocks: list[Block] = [
        Heading(1, f"mandaat: {word('title', lang)}: {sc.title}"),
        Para(
            f"{word('scenario', lang)} {sc.id}, {word('assessed_on', lang)} {sc.assessed_on}; "
            f"{word('theory', lang)}: {sc.theory_title}."
        ),
    ]
    if sc.overridden:
        changed = ", ".join(f"{k} = {sc.params[k]} ({v})" for k, v in sorted(sc.overridden.items()))
        blocks.append(Para(f"{word('params_overridden', lang)}: {changed}."))
    return blocks


def build_memo(report: Report, book: Rulebook, show_rules: bool = False) -> Memo:
    """The memo's blocks for ``report``."""
    b = _Builder(report, book, show_rules)
    lang = report.language
    body: list[Block] = [Para(report.scenario.description)] if report.scenario.description else []
    body += _verdict(b)
    body.append(Heading(2, word("elements_heading", lang)))
    b.section()
    for name, element in report.elements.items():
        body += b.element(name, element)
    body.append(Heading(2, word("conditions_heading", lang)))
    b.section()
    for name, element in report.conditions.items():
        body += b.element(name, element)
    body += _judgments(b) + _evidence(b) + _closing(b)
    colours = {k: o.colour for k, o in {**book.statuses, **book.verdicts}.items()}
    labels = {k: o.label.get(lang) for k, o in {**book.statuses, **book.verdicts}.items()}
    title = f"{word('title', lang)}: {report.scenario.title}"
    return Memo(title, lang, _head(report), summary_blocks(report, book), body, colours, labels)
