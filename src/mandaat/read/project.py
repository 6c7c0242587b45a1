"""The project file ``mandaat.toml``: settings shared by the scenarios of one project, today only the
``[nota]`` table (who a nota is addressed to and from, its reference and its security marking).

It is looked for beside the scenario, then in each folder above it, up to and including the first that is
the root of a git repository (it holds ``.git``) or the current working folder; the first found is used.
A scenario outside both (no repository above it, not under the working folder) looks beside itself only.
The file is read as strictly as a scenario: only regular UTF-8 files, unknown tables and keys, values
that are not one line of text and invisible control characters are located problems (exit 1).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from ..model.errors import InputError, Problem, Said, said, suggestion
from .source import UNSAFE, character_name, decode, os_problem, read_bytes, screen

PROJECT_FILE = "mandaat.toml"
NOTA_KEYS = ("aan", "van", "kenmerk", "rubricering")
MAX_VALUE = 200
MAX_BYTES = 64 * 1024
_AT = re.compile(r"\(at line (\d+), column \d+\)|at end of document")


def project_file(scenario: Path, cwd: Path | None = None) -> Path | None:
    """The ``mandaat.toml`` that applies to ``scenario``, or None (see the module's description)."""
    folder = Path(os.path.abspath(scenario)).parent
    here = Path(os.path.abspath(cwd or Path.cwd()))
    chain: list[Path] = []
    for candidate in [folder, *folder.parents]:
        chain.append(candidate)
        if candidate == here or (candidate / ".git").exists():
            break
    else:
        chain = [folder]  # neither a repository nor the working folder above it: beside it only
    for candidate in chain:
        path = candidate / PROJECT_FILE
        if path.is_file() or (path.exists() and not path.is_dir()):
            return path
    return None


def _line(text: str, key: str | None) -> int | None:
    """The line a key of the ``[nota]`` table is written on (or the table's own line)."""
    lines = text.splitlines()
    if key is not None:
        pattern = re.compile(
            rf"""^\s*(nota\s*\.\s*)?["']?{re.escape(key)}["']?\s*=|[{{,]\s*["']?{re.escape(key)}["']?\s*="""
        )
        for number, line in enumerate(lines, 1):
            if pattern.search(line):
                return number
    table = re.compile(r"^\s*(\[\s*nota\s*\]|nota\s*[.=])")
    return next((number for number, line in enumerate(lines, 1) if table.search(line)), None)


def control_problem(value: str) -> tuple[Said, Said] | None:
    """What is wrong with a value that holds a control character (it cannot stand in a nota), or None."""
    found = UNSAFE.search(value)
    return (
        None if found is None else (said("nota_control", char=character_name(found.group())), said("nota_control_hint"))
    )


def _problem(file: str, text: str, key: str | None, message: Any, hint: Any = "", path: str = "") -> Problem:
    return Problem(file, _line(text, key), path or ("nota" + (f".{key}" if key else "")), message, hint)


def read_project(path: Path, display: str | None = None) -> dict[str, str]:
    """The ``[nota]`` values of the project file ``path``; InputError with every problem, each located."""
    import tomllib

    file = display or str(path)
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError) as exc:
        raise InputError([os_problem(file, exc)]) from None
    if not regular:
        raise InputError([Problem(file, None, "", said("project_not_regular"), said("project_regular_hint"))])
    text = decode(read_bytes(path, file, MAX_BYTES), file)
    text, problems = screen(text, file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        found = _AT.search(detail)
        line = int(found.group(1)) if found and found.group(1) else (text.count("\n") + 1 if found else None)
        detail = _AT.sub("", detail).strip()
        problem = Problem(file, line, "", said("toml_syntax", detail=detail), said("toml_fix"))
        raise InputError([*problems, problem]) from None
    for key in data:
        if key != "nota":
            hint = suggestion(key, ["nota"], said("project_tables"))
            problems.append(Problem(file, _top_line(text, key), key, said("unknown_key", key=repr(key)), hint))
    nota = data.get("nota", {})
    if not isinstance(nota, dict):
        problems.append(_problem(file, text, None, said("nota_not_table"), said("nota_table_hint")))
        nota = {}
    values: dict[str, str] = {}
    for key, value in nota.items():
        if key not in NOTA_KEYS:
            hint = suggestion(key, NOTA_KEYS, said("one_of", choices=", ".join(NOTA_KEYS)))
            problems.append(_problem(file, text, key, said("unknown_key", key=repr(key)), hint))
        elif not isinstance(value, str):
            problems.append(_problem(file, text, key, said("nota_not_text"), said("nota_quote_it")))
        elif not value.strip():
            problems.append(_problem(file, text, key, said("empty_text"), said("nota_leave_out")))
        elif "\n" in value or "\r" in value:
            problems.append(_problem(file, text, key, said("nota_one_line")))
        elif (control := control_problem(value)) is not None:
            problems.append(_problem(file, text, key, *control))
        elif len(value) > MAX_VALUE:
            problems.append(_problem(file, text, key, said("value_too_long", length=len(value), max=MAX_VALUE)))
        else:
            values[key] = value.strip()
    if problems:
        raise InputError(problems)
    return values


def _top_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"""^\s*(\[\s*)?["']?{re.escape(key)}["']?\s*[\].=]""")
    return next((n for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)), None)
