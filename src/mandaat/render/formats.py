"""The output format and the ``-o`` file agree: ``-o memo.html`` alone picks HTML (likewise ``.md``,
``.json``, ``.docx``, ``.txt``), and an extension that contradicts ``--format`` is misuse (exit 2)."""

from __future__ import annotations

from pathlib import Path

from ..model.errors import UsageError

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".docx": "docx",
    ".svg": "svg",
}


def choose_format(fmt: str | None, output: Path | None, allowed: tuple[str, ...]) -> str:
    """The format to write: ``fmt`` if given, else the one ``output``'s extension names, else text."""
    given = None if output is None or str(output) == "-" else EXTENSIONS.get(output.suffix.lower())
    if fmt is not None and given is not None and given != fmt:
        suffix = output.suffix if output else ""
        raise UsageError(f"-o {output}: a {suffix} file is {given}, but --format is {fmt} (drop one of them)")
    chosen = fmt or given or "text"
    if chosen not in allowed:
        raise UsageError(f"-o {output}: this command writes {', '.join(allowed)}, not {chosen}")
    if chosen == "docx" and (output is None or str(output) == "-"):
        raise UsageError("--format docx writes a Word file: name it with -o FILE.docx")
    return chosen
