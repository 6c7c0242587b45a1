"""The nota: the memo in Word (read back with python-docx) and PDF (WeasyPrint, read back with pdftotext) as a
ministry sends it: A4, the header block, the security marking on every page, «pagina X van Y», the
document's properties from the options, the project file mandaat.toml and the assessment; and the output
suffixes mandaat refuses."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from mandaat.cli import main
from mandaat.read.project import project_file

from .conftest import BASELINE, ROOT

RULES = ROOT / "rules"
NOTA = ["--aan", "De minister van Defensie", "--van", "Directie Juridische Zaken", "--kenmerk", "DJZ/2018/0413"]
MARKED = [*NOTA, "--rubricering", "Departementaal vertrouwelijk"]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["--rules", str(RULES), *args], catch_exceptions=False)


def flat(text: str) -> str:
    return " ".join(text.split())


def _scenario(folder: Path) -> Path:
    """The April 2018 scenario copied into ``folder`` (which may then hold a mandaat.toml)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BASELINE.name
    shutil.copy(BASELINE, target)
    return target


def _word(path: Path) -> Any:
    return docx.Document(str(path))


def _part_text(part: Any) -> str:
    cells = [c.text for t in part.tables for row in t.rows for c in row.cells]
    return flat(" ".join([*(p.text for p in part.paragraphs), *cells]))


# --- Word -----------------------------------------------------------------------------------------------


def test_word_nota_is_a4_with_the_header_block_marking_page_fields_and_properties(tmp_path: Path) -> None:
    target = tmp_path / "memo.docx"
    assert run("evaluate", str(BASELINE), "-o", str(target), *MARKED).exit_code == 0
    document = _word(target)
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 25 and round(section.right_margin.mm) == 20
    assert round(section.top_margin.mm) == 25 and round(section.bottom_margin.mm) == 25
    props = document.core_properties
    assert props.author == props.last_modified_by == "Directie Juridische Zaken"
    assert props.created == props.modified == datetime(2018, 4, 13, tzinfo=UTC)  # the assessment's date
    assert props.comments == "" and "python-docx" not in f"{props.author}{props.comments}{props.title}"
    assert props.title.startswith("Toets van de rechtsgrond") and props.subject.startswith("Voortgangsbrief")
    assert props.identifier == "DJZ/2018/0413" and props.language == "nl-NL"
    first = _part_text(section.first_page_header)
    assert first.startswith("DEPARTEMENTAAL VERTROUWELIJK")
    for field in ("Aan De minister van Defensie", "Van Directie Juridische Zaken", "Datum 13 april 2018"):
        assert field in first, first
    assert "Kenmerk DJZ/2018/0413" in first and "Onderwerp Voortgangsbrief strijd tegen ISIS, april 2018" in first
    assert section.different_first_page_header_footer
    assert _part_text(section.header) == "DEPARTEMENTAAL VERTROUWELIJK"  # every later page
    for footer in (section.footer, section.first_page_footer):
        xml = footer._element.xml
        assert "DEPARTEMENTAAL VERTROUWELIJK" in _part_text(footer) and "pagina" in _part_text(footer)
        assert "> PAGE <" in xml and "> NUMPAGES <" in xml and xml.count('w:fldCharType="begin"') == 2
    texts = [p.text for p in document.paragraphs]
    assert not texts[0].startswith("mandaat:") and texts[0] == props.title
    assert not [t for t in texts if "`" in t or "**" in t]
    assert any("mandaat replay" in t for t in texts)  # the command, set in a monospaced run
    with zipfile.ZipFile(target) as package:
        names = package.namelist()
    assert "docProps/thumbnail.jpeg" not in names and "docProps/app.xml" not in names


def test_word_nota_in_english_without_options_is_dated_on_the_assessment(tmp_path: Path) -> None:
    target = tmp_path / "memo.docx"
    args = ["evaluate", str(BASELINE), "-o", str(target), "--lang", "en", "--as-of", "2018-05-01"]
    assert run(*args).exit_code == 0
    document = _word(target)
    props = document.core_properties
    assert props.author == "" and props.created == datetime(2018, 5, 1, tzinfo=UTC) and props.language == "en-GB"
    first = _part_text(document.sections[0].first_page_header)
    assert first == "Date 1 May 2018 Subject Voortgangsbrief strijd tegen ISIS, april 2018", first
    assert "page" in _part_text(document.sections[0].footer)


def test_options_date_and_subject_override(tmp_path: Path) -> None:
    target = tmp_path / "memo.docx"
    args = ["--datum", "2018-04-16", "--onderwerp", "Rechtsgrond Syrië"]
    assert run("evaluate", str(BASELINE), "-o", str(target), *args).exit_code == 0
    document = _word(target)
    assert document.core_properties.modified == datetime(2018, 4, 16, tzinfo=UTC)
    assert "Datum 16 april 2018 Onderwerp Rechtsgrond Syrië" in _part_text(document.sections[0].first_page_header)


# --- the project file -----------------------------------------------------------------------------------

PROJECT = """# the ministry's settings for its notas
[nota]
aan = "De minister van Defensie"
van = "Directie Juridische Zaken"
rubricering = "Stg. Confidentieel"
"""


def test_the_nota_table_of_mandaat_toml_fills_the_header_and_options_win(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository's root: the search for mandaat.toml stops here
    (tmp_path / "mandaat.toml").write_text(PROJECT, encoding="utf-8")
    scenario = _scenario(tmp_path / "scenarios" / "2018")
    target = tmp_path / "memo.docx"
    assert run("evaluate", str(scenario), "-o", str(target), "--van", "DJZ/IR").exit_code == 0
    document = _word(target)
    header = _part_text(document.sections[0].first_page_header)
    assert header.startswith("STG. CONFIDENTIEEL") and "Aan De minister van Defensie" in header
    assert "Van DJZ/IR" in header and document.core_properties.author == "DJZ/IR"
    other = tmp_path / "other.docx"
    result = run("evaluate", str(scenario), "-o", str(other), "--format", "docx", "--force")
    assert result.exit_code == 0 and "Van Directie Juridische Zaken" in _part_text(
        _word(other).sections[0].first_page_header
    )


def test_mandaat_toml_is_found_beside_the_scenario_or_above_it_up_to_the_repository(tmp_path: Path) -> None:
    repository, outside = tmp_path / "repo", tmp_path / "elsewhere"
    (repository / ".git").mkdir(parents=True)
    deep = repository / "a" / "b"
    deep.mkdir(parents=True)
    scenario = deep / "s.yaml"
    assert project_file(scenario, cwd=outside) is None
    (tmp_path / "mandaat.toml").write_text("", encoding="utf-8")  # above the repository: never read
    assert project_file(scenario, cwd=outside) is None
    (repository / "mandaat.toml").write_text("", encoding="utf-8")
    assert project_file(scenario, cwd=outside) == repository / "mandaat.toml"
    (deep.parent / "mandaat.toml").write_text("", encoding="utf-8")
    assert project_file(scenario, cwd=outside) == deep.parent / "mandaat.toml"  # the nearest wins
    loose = outside / "x" / "s.yaml"  # no repository above it: the working folder bounds the search
    loose.parent.mkdir(parents=True)
    (outside / "mandaat.toml").write_text("", encoding="utf-8")
    assert project_file(loose, cwd=outside) == outside / "mandaat.toml"
    assert project_file(loose, cwd=repository) is None  # outside both: beside the scenario only


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[nota]\naan = "x"\naann = "y"\n', "mandaat.toml:3 nota.aann: onbekende sleutel 'aann' (bedoelt u 'aan'?)"),
        (
            "[nota]\nkenmerk = 2018\n",
            "mandaat.toml:2 nota.kenmerk: is geen tekst (zet de waarde tussen aanhalingstekens)",
        ),
        ('[nota]\nvan = "  "\n', "mandaat.toml:2 nota.van: mag niet leeg zijn"),
        ('[nota]\nvan = """twee\nregels"""\n', "mandaat.toml:2 nota.van: moet op één regel passen"),
        ('[not]\naan = "x"\n', "mandaat.toml:1 not: onbekende sleutel 'not' (bedoelt u 'nota'?)"),
        ('[nota]\naan = "x\n', "mandaat.toml:2: geen geldige TOML"),
        ('nota = "x"\n', "mandaat.toml:1 nota: nota moet een tabel zijn"),
        ('[nota]\naan = "x\\u001by"\n', "mandaat.toml:2 nota.aan: bevat het stuurteken U+001B (ESCAPE)"),
    ],
)
def test_a_defect_in_mandaat_toml_is_a_located_error(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "mandaat.toml").write_text(text, encoding="utf-8")
    scenario = _scenario(tmp_path)
    result = run("evaluate", str(scenario), "-o", str(tmp_path / "memo.html"))
    assert result.exit_code == 1, result.stderr
    assert expected in result.stderr.replace(str(tmp_path) + os.sep, ""), result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "memo.html").exists()
    assert run("evaluate", str(scenario), "--brief").exit_code == 0  # text is no nota: the file is not read


def test_mandaat_toml_is_an_input_and_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "mandaat.toml").write_text(PROJECT, encoding="utf-8")
    scenario = _scenario(tmp_path)
    result = run("evaluate", str(scenario), "--format", "html", "-o", str(tmp_path / "mandaat.toml"), "--force")
    assert result.exit_code == 1 and (tmp_path / "mandaat.toml").read_text(encoding="utf-8") == PROJECT


# --- misuse ---------------------------------------------------------------------------------------------


def test_nota_options_make_a_nota_only(tmp_path: Path) -> None:
    result = run("evaluate", str(BASELINE), "--aan", "De minister")
    assert result.exit_code == 2 and "--aan: geldt alleen voor een nota" in result.stderr
    bad_date = run("evaluate", str(BASELINE), "-o", str(tmp_path / "m.docx"), "--datum", "13-04-2018")
    assert bad_date.exit_code == 2 and "--datum" in bad_date.stderr and not (tmp_path / "m.docx").exists()
    empty = run("evaluate", str(BASELINE), "-o", str(tmp_path / "m.docx"), "--van", " ")
    assert empty.exit_code == 2 and "--van" in empty.stderr
    control = run("evaluate", str(BASELINE), "-o", str(tmp_path / "m.docx"), "--kenmerk", "DJZ\x1b[31m")
    assert control.exit_code == 2 and "--kenmerk: bevat het stuurteken U+001B" in control.stderr


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_unknown_suffix_is_refused_with_the_formats(tmp_path: Path, lang: str) -> None:
    for command in (["evaluate", str(BASELINE)], ["flips", str(BASELINE)]):
        result = run(*command, "-o", str(tmp_path / "memo.xyz"), "--lang", lang)
        assert result.exit_code == 2, result.stderr
        assert ".xyz" in result.stderr and "html (.html)" in result.stderr and "json (.json)" in result.stderr
        assert not (tmp_path / "memo.xyz").exists()
    evaluate = run("evaluate", str(BASELINE), "-o", str(tmp_path / "memo.xyz"), "--lang", lang).stderr
    assert "pdf (.pdf)" in evaluate and "docx (.docx)" in evaluate
    assert run("evaluate", str(BASELINE), "-o", str(tmp_path / "memo.xyz"), "--format", "text").exit_code == 0
    assert run("evaluate", str(BASELINE), "--format", "pdf").exit_code == 2  # a PDF goes to a file


# --- HTML and PDF ---------------------------------------------------------------------------------------


def test_html_nota_carries_the_block_and_a_marking_that_cannot_break_out(tmp_path: Path) -> None:
    target = tmp_path / "memo.html"
    marking = '</style><script>alert(1)</script>"; }'
    assert run("evaluate", str(BASELINE), "-o", str(target), *NOTA, "--rubricering", marking).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert "<script" not in page and "</style><" not in page
    assert '<th scope="row">Aan</th><td>De minister van Defensie</td>' in page
    assert "counter(page)" in page and "counter(pages)" in page and "@top-center" in page
    assert "<h1>Toets van de rechtsgrond" in page and "<h1>mandaat:" not in page
    assert "<code>mandaat replay</code>" in page


def _pdftotext() -> str | None:
    found = shutil.which("pdftotext")
    if found is None and os.environ.get("CI") == "true":
        pytest.fail("CI needs poppler-utils (.ci/run installs them)")
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pdf_nota_has_the_header_block_and_both_verdicts_on_page_one(tmp_path: Path, lang: str) -> None:
    pdftotext = _pdftotext()
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (outside CI)")
    target = tmp_path / "memo.pdf"
    result = run("evaluate", str(BASELINE), "-o", str(target), *MARKED, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info and "Directie Juridische Zaken" in info and "2018" in info

    def page(number: int) -> str:
        args = [pdftotext, "-f", str(number), "-l", str(number), str(target), "-"]
        return flat(subprocess.run(args, capture_output=True, text=True, check=True).stdout)

    first = page(1)
    labels = ("Aan", "Van", "Datum", "Kenmerk", "Onderwerp") if lang == "nl" else ("To", "From", "Date", "Reference")
    for label in labels:
        assert label in first, first
    assert "De minister van Defensie" in first and "DJZ/2018/0413" in first
    assert first.count("RECHTSGROND BLIJFT" if lang == "nl" else "BASIS HOLDS") >= 2, first
    pages = int(info.split("Pages:")[1].split()[0])
    assert pages > 1
    for number in (1, pages):
        text = page(number)
        assert text.count("DEPARTEMENTAAL VERTROUWELIJK") == 2, text  # at the top and the bottom
        assert (f"pagina {number} van {pages}" if lang == "nl" else f"page {number} of {pages}") in text
