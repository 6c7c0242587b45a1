"""The memo: a summary first, each quote once, citable references, and the same memo as text, Markdown
(parsed as CommonMark), HTML (printed by a real headless Chromium and read back with pdftotext) and Word
(read back with python-docx); the format follows `-o`; a receipt on every report and `mandaat replay`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt
from markdown_it.token import Token

from mandaat.cli import main
from mandaat.read.pages import footer_problem, page_of

from .conftest import BASELINE, CHROMIUM_FLAGS, ROOT, SCENARIOS

RULES = ROOT / "rules"
WORDS_BEFORE = 1919  # the Dutch text report on the April 2018 scenario before the memo (issue 10)
HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'


def run(*args: str, rules: Path = RULES) -> Any:
    return CliRunner().invoke(main, ["--rules", str(rules), *args], catch_exceptions=False)


def flat(text: str) -> str:
    return " ".join(text.split())


def report_json(lang: str = "nl", scenario: Path = BASELINE) -> dict[str, Any]:
    return json.loads(run("evaluate", str(scenario), "--format", "json", "--lang", lang).stdout)  # type: ignore[no-any-return]


def reasons_and_quotes(report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Every reason text and every quote a report holds (citations and evidence)."""
    reasons: list[dict[str, Any]] = [r for rs in report["verdict_reasons"].values() for r in rs]
    quotes = []
    for element in [*report["elements"].values(), *report["conditions"].values()]:
        reasons += element["reasons"] + element["notes"]
        quotes.append(element["cite"]["quote"])
    for key, items in report["evidence"].items():
        for item in items:
            reasons += item["reasons"]
            quotes += [item["quote"]] if item["quote"] and key == "relied_upon" else []
    quotes += [r["cite"]["quote"] for r in reasons]
    return [r["text"] for r in reasons], [q for q in dict.fromkeys(quotes) if q]  # references and design
    # choices carry no quote


# --- summary and length ---------------------------------------------------------------------------------


def test_brief_is_at_most_fifteen_lines_with_both_verdicts_and_the_date() -> None:
    out = run("evaluate", str(BASELINE), "--brief").stdout
    lines = out.splitlines()
    assert len(lines) <= 15, out
    assert out.count("RECHTSGROND BLIJFT") == 2
    assert "Vooralsnog" in out and "2018-06-12" in out
    assert "De vier elementen" not in out


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_has_a_brief_summary(scenario: Path) -> None:
    for lang in ("nl", "en"):
        out = run("evaluate", str(scenario), "--brief", "--lang", lang, "--engine", "reference").stdout
        assert len(out.splitlines()) <= 15, out


def test_dutch_report_is_forty_percent_shorter_and_loses_no_reason_or_quote() -> None:
    out = run("evaluate", str(BASELINE)).stdout
    assert len(out.split()) <= WORDS_BEFORE * 0.6, len(out.split())
    text = flat(out)
    reasons, quotes = reasons_and_quotes(report_json())
    for reason in reasons:
        assert flat(reason) in text, reason
    for quote in quotes:
        assert f"«{flat(quote)}»" in text, quote
        assert text.count(f"«{flat(quote)}»") == 1, quote
    assert (
        "[E1/attacks_from_syria_per_week=above]" not in out
        and "Kamerbrief voortgang strijd tegen ISIS, voorjaar 2018" not in out
    )
    assert text.count("Kamerstukken I 2017/18, 27 925, R 9") == 1


def test_summary_comes_first_and_is_not_repeated() -> None:
    out = run("evaluate", str(BASELINE)).stdout
    summary = out.index("Samenvatting")
    assert summary < out.index("Oordeel") < out.index("De vier elementen")
    assert flat(out).count("Het Iraakse verzoek om militaire steun is niet ingetrokken of gewijzigd; de") == 1


def test_rule_ids_only_with_show_rules() -> None:
    plain = run("evaluate", str(BASELINE)).stdout
    shown = run("evaluate", str(BASELINE), "--show-rules").stdout
    rule = "[E1/attacks_from_syria_per_week=above]"
    assert rule not in plain and rule in shown


# --- citations ------------------------------------------------------------------------------------------


def test_article_51_pinpoint_in_both_languages() -> None:
    nl = run("evaluate", str(BASELINE)).stdout
    en = run("evaluate", str(BASELINE), "--lang", "en").stdout
    assert "artikel 51, tweede volzin" in nl and "artikel 51, Article 51" not in nl
    assert "Article 51, second sentence" in en and "Article 51, Article 51" not in en


def test_letter_cited_as_parliament_cites_it_with_the_unverified_number_marked() -> None:
    out = flat(run("evaluate", str(BASELINE)).stdout)
    assert "Kamerstukken I 2017/18, 27 925, R 9" in out and "13 april 2018" in out
    assert "nr. 629 (nummer niet geverifieerd)" in out
    # cited by section, not by page: the seed keeps one of the letter's page footers (rules/sources.yaml)
    assert "Kamerbrief 2018, Mandaat voor optreden" in out and "Kamerbrief 2018, p." not in out


def test_json_citations_carry_their_parts() -> None:
    report = report_json()
    cites = [e["cite"] for e in [*report["elements"].values(), *report["conditions"].values()]]
    for cite in cites:
        assert {"source", "page", "pinpoint", "quote", "kind", "reference"} <= set(cite)
    letter = report["elements"]["E1"]["cite"]
    assert letter["kind"] == "quote" and letter["source_kind"] == "parliamentary-paper"
    assert letter["page"] is None and letter["date"] == "2018-04-13"
    charter = report["conditions"]["REP"]["cite"]
    assert charter["source_kind"] == "treaty" and charter["pinpoint_text"] == "artikel 51, tweede volzin"


# --- Markdown -------------------------------------------------------------------------------------------


def markdown_tokens(text: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(text)


def test_markdown_parses_into_headings_lists_and_block_quotes() -> None:
    out = run("evaluate", str(BASELINE), "--format", "markdown").stdout
    tokens = markdown_tokens(out)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert all(h != h.upper() for h in headings), headings
    kinds = {t.type for t in tokens}
    assert {"bullet_list_open", "blockquote_open", "list_item_open"} <= kinds
    assert not kinds & {"html_block", "html_inline"}
    depth, first_para = 0, False
    for t in tokens:  # no citation inside a list item's first paragraph
        if t.type == "list_item_open":
            depth, first_para = depth + 1, True
        elif t.type == "list_item_close":
            depth -= 1
        elif t.type == "inline" and depth and first_para:
            assert "Kamerbrief 2018, p." not in t.content and "Bron" not in t.content, t.content
            first_para = False


def test_markdown_has_the_same_content_as_the_text_report() -> None:
    md = run("evaluate", str(BASELINE), "--format", "markdown").stdout
    rendered = flat(MarkdownIt("commonmark").render(md))
    reasons, quotes = reasons_and_quotes(report_json())
    for text in reasons + quotes:
        assert flat(text).replace("&", "&amp;").replace('"', "&quot;") in rendered, text


# --- hostile text ---------------------------------------------------------------------------------------


def hostile_scenario(tmp_path: Path) -> Path:
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    data["title"] = HOSTILE
    data["description"] = HOSTILE
    data["observations"][2]["quote"] = HOSTILE
    data["observations"][2]["note"] = HOSTILE
    data["judgments"][0]["rationale"] = HOSTILE
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_script_in_a_scenario_is_text_in_html_and_markdown(tmp_path: Path) -> None:
    scenario = hostile_scenario(tmp_path)
    page = run("evaluate", str(scenario), "--format", "html").stdout
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "onerror=alert(2)&gt;" in page
    md = run("evaluate", str(scenario), "--format", "markdown").stdout
    tokens = markdown_tokens(md)
    assert not {t.type for t in tokens} & {"html_block", "html_inline"}
    html = MarkdownIt("commonmark").render(md)
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;alert(1)" in html


# --- HTML and Word --------------------------------------------------------------------------------------


def test_html_is_one_self_contained_file(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    assert run("evaluate", str(BASELINE), "--format", "html", "-o", str(target)).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert "http" not in page and "<script" not in page and "<link" not in page and "src=" not in page
    assert "@media print" in page and "#2e7d32" in page  # print CSS, the rulebook's colour for holds
    assert page.index("RECHTSGROND BLIJFT") < page.index("De vier elementen")


def test_word_memo_has_headings_the_verdict_table_and_every_quote(tmp_path: Path) -> None:
    target = tmp_path / "memo.docx"
    assert run("evaluate", str(BASELINE), "-o", str(target)).exit_code == 0
    document = docx.Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "Samenvatting" in headings and "De vier elementen" in headings
    assert any(h.startswith("E1") and h.endswith("vervuld") for h in headings)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert cells.count("RECHTSGROND BLIJFT") == 2
    quoted = flat(" ".join(p.text for p in document.paragraphs if p.style is not None and p.style.name == "Quote"))
    for quote in reasons_and_quotes(report_json())[1]:
        assert flat(quote) in quoted, quote


# --- formats and -o -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "marker"),
    [("r.html", "<!DOCTYPE html>"), ("r.md", "# mandaat:"), ("r.json", '{\n  "conditions"'), ("r.txt", "mandaat:")],
)
def test_the_extension_picks_the_format(tmp_path: Path, name: str, marker: str) -> None:
    assert run("evaluate", str(BASELINE), "-o", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(marker)


def test_a_contradicting_extension_is_misuse(tmp_path: Path) -> None:
    result = run("evaluate", str(BASELINE), "--format", "json", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2 and "--format is json" in result.stderr
    assert not (tmp_path / "r.html").exists()
    assert run("evaluate", str(BASELINE), "--format", "docx").exit_code == 2


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_what_if_commands_in_every_format(tmp_path: Path, fmt: str) -> None:
    timeline = sorted(str(p) for p in (SCENARIOS / "timeline-2018").glob("*.yaml"))
    commands = {
        "whatif": ["whatif", str(BASELINE), "--set", "attacks_from_syria_per_week=1"],
        "compare": ["compare", str(SCENARIOS / "2018-06-albu-kamal-uou.yaml"), str(BASELINE)],
        "timeline": ["timeline", *timeline],
    }
    extension = {"markdown": "md", "html": "html", "json": "json"}[fmt]
    for name, args in commands.items():
        target = tmp_path / f"{name}.{extension}"
        assert run(*args, "-o", str(target)).exit_code == 0, name
        text = target.read_text(encoding="utf-8")
        if fmt == "json":
            json.loads(text)
        elif fmt == "markdown":
            tokens = {t.type for t in MarkdownIt("commonmark").enable("table").parse(text)}
            assert {"heading_open", "table_open"} <= tokens and "fence" not in tokens
        else:
            assert "http" not in text or name == "timeline"
            assert text.startswith("<!DOCTYPE html>") and "<script" not in text
            assert ("<svg" in text) == (name == "timeline")


# --- receipt and replay ---------------------------------------------------------------------------------


def test_receipt_on_every_report() -> None:
    receipt = report_json()["receipt"]
    assert receipt["scenario"]["path"].endswith("2018-04-kamerbrief.yaml")
    assert {h["path"] for h in receipt["rules"]} >= {"rules/elements.yaml", "rules/sources.yaml"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", h["sha256"]) for h in receipt["rules"])
    assert receipt["theory"] == "unwilling_or_unable" and receipt["engine"] == "durable"
    assert "sha256" in run("evaluate", str(BASELINE)).stdout


def test_replay_says_identical_then_names_the_changed_rule_file(tmp_path: Path, monkeypatch: Any) -> None:
    for folder in ("rules", "seeds", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    rules = Path("rules")
    assert (
        run("evaluate", "scenarios/2018-04-kamerbrief.yaml", "--lang", "en", "-o", "r.json", rules=rules).exit_code == 0
    )
    same = run("replay", "r.json")
    assert same.exit_code == 0 and same.stdout.startswith("identical"), same.stdout
    rule_file = tmp_path / "rules" / "elements.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("#", "##", 1), encoding="utf-8")
    changed = run("replay", "r.json")
    assert changed.exit_code == 3 and "rule file changed: rules/elements.yaml" in changed.stdout
    (tmp_path / "scenarios" / "2018-04-kamerbrief.yaml").unlink()
    missing = run("replay", "r.json")
    assert missing.exit_code == 1 and "ontbreekt" in missing.stderr  # Dutch, the default


# --- the browser ----------------------------------------------------------------------------------------


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if (found is None or shutil.which("pdftotext") is None) and os.environ.get("CI") == "true":
        pytest.fail("CI needs Debian's chromium and poppler-utils (.ci/run installs them)")
    return found if shutil.which("pdftotext") else None


def print_to_pdf(chromium: str, page: Path, pdf: Path, profile: Path) -> None:
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}"]
    subprocess.run([chromium, *flags, page.as_uri()], check=True, capture_output=True, timeout=120)


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.ci
def test_chromium_prints_the_memo_with_the_verdict_on_page_one(tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium or pdftotext is not installed (outside CI)")
    page, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    assert run("evaluate", str(BASELINE), "-o", str(page)).exit_code == 0
    print_to_pdf(chromium, page, pdf, tmp_path / "profile")
    first = flat(pdf_text(pdf, 1, 1))
    assert "Samenvatting" in first and first.count("RECHTSGROND BLIJFT") >= 2 and "2018-06-12" in first
    text = flat(pdf_text(pdf))
    report = report_json()
    position = 0
    for element in report["elements"].values():  # the four elements, in reading order
        position = text.index(flat(element["title"]), position)
    position = 0
    md = run("evaluate", str(BASELINE), "--format", "markdown").stdout
    order = [flat(q) for q in reasons_and_quotes(report)[1]]
    order.sort(key=lambda q: flat(md.replace("\\", "")).index(q))
    unbroken = text.replace("-", "")  # pdftotext joins a word hyphenated at a line's end («VN-Handvest»)
    for quote in order:  # every quote, in the memo's reading order
        position = unbroken.index(quote.replace("-", ""), position)


def test_pages_are_counted_from_a_seed_that_keeps_every_footer(tmp_path: Path) -> None:
    """With a footer closing every page, a quote's page is the number of footers before it (plus the first
    page); a seed that runs more lines than a page holds without the footer is refused for counting."""
    footer = "Eerste Kamer, vergaderjaar 2017–2018, 27 925, R 9"
    pages = [[f"regel {p}.{n} van de brief" for n in range(40)] for p in range(3)]
    pages[2][5] = "De rechtsgrond is daar-"
    pages[2][6] = "mee onveranderd."
    seed = tmp_path / "seed.txt"
    seed.write_text(f"\n{footer}\n".join("\n".join(lines) for lines in pages), encoding="utf-8")
    assert page_of(seed, "regel 1.3 van de brief", footer, first_page=4) == 5
    assert page_of(seed, "De rechtsgrond is daarmee onveranderd.", footer) == 3
    assert page_of(seed, "niet in de brief", footer) is None
    assert footer_problem(seed, footer) == ""
    seed.write_text("\n".join(line for lines in pages for line in lines) + f"\n{footer}\n", encoding="utf-8")
    assert "runs 120 lines without the footer" in footer_problem(seed, footer)
