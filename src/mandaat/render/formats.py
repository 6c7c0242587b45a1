"""The output format and the ``-o`` file agree: ``-o memo.html`` alone picks HTML (likewise ``.md``,
``.json``, ``.docx``, ``.txt``), and an extension that contradicts ``--format`` is misuse (exit 2)."""

from __future__ import annotations

from pathlib import Path

from ..model.errors import UsageError, about, said

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
        conflict = said("format_conflict", suffix=suffix, given=given, fmt=fmt)
        raise UsageError(about(f"-o {output}", conflict, said("drop_one")))
    chosen = fmt or given or "text"
    if chosen not in allowed:
        raise UsageError(about(f"-o {output}", said("writes_formats", allowed=", ".join(allowed), chosen=chosen)))
    if chosen == "docx" and (output is None or str(output) == "-"):
        raise UsageError(about("--format docx", said("docx_needs_file")))
    return chosen
