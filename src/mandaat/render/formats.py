"""The output format and the ``-o`` file agree: ``-o memo.html`` alone picks HTML (likewise ``.md``,
``.json``, ``.docx``, ``.pdf``, ``.txt``), an extension that contradicts ``--format`` is misuse (exit 2), and
so is an extension mandaat does not know, unless ``--format`` says what to write."""

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
    ".pdf": "pdf",
    ".svg": "svg",
}
BINARY = {"docx": "docx_needs_file", "pdf": "pdf_needs_file"}  # formats that go to a file, never to stdout


def known(allowed: tuple[str, ...]) -> str:
    """The formats of ``allowed`` with the extension that picks each: ``text (.txt), html (.html)``."""
    first = {fmt: ext for ext, fmt in reversed(EXTENSIONS.items())}
    return ", ".join(f"{fmt} ({first[fmt]})" for fmt in allowed)


def choose_format(fmt: str | None, output: Path | None, allowed: tuple[str, ...]) -> str:
    """The format to write: ``fmt`` if given, else the one ``output``'s extension names, else text."""
    to_file = output is not None and str(output) != "-"
    suffix = output.suffix if to_file and output is not None else ""
    given = EXTENSIONS.get(suffix.lower()) if suffix else None
    if suffix and given is None and fmt is None:
        raise UsageError(
            about(f"-o {output}", said("unknown_suffix", suffix=suffix, formats=known(allowed)), said("or_format"))
        )
    if fmt is not None and given is not None and given != fmt:
        conflict = said("format_conflict", suffix=suffix, given=given, fmt=fmt)
        raise UsageError(about(f"-o {output}", conflict, said("drop_one")))
    chosen = fmt or given or "text"
    if chosen not in allowed:
        raise UsageError(about(f"-o {output}", said("writes_formats", allowed=", ".join(allowed), chosen=chosen)))
    if chosen in BINARY and not to_file:
        raise UsageError(about(f"--format {chosen}", said(BINARY[chosen])))
    return chosen
