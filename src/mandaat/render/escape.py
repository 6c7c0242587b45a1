"""Escaping what a report quotes from a user, so that quoted text cannot forge structure.

In Markdown, a title, a quote or a source name is text, never markup: raw HTML, links and autolinks
(``javascript:`` included), emphasis, code and table cells are escaped with backslashes, which a Markdown renderer shows
as the plain characters; a line break becomes a space, so quoted text cannot start a heading or a list.
"""

from __future__ import annotations

import re

# An underscore inside a word (indicator_name) cannot start emphasis in CommonMark, so it stays as it is.
_INLINE = re.compile(r"([\\`*\[\]<>&|~]|(?<![^\W_])_|_(?![^\W_]))")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")
_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data)\s*:")
_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown inline text: markup escaped, line breaks joined with a space."""
    flat = _BREAK.sub(" ", text)
    escaped = _INLINE.sub(r"\\\1", flat)
    escaped = _SCHEME.sub(lambda m: m.group(0)[:-1] + "\\:", escaped)
    match = _LINE_START.match(escaped)
    if match:
        lead, mark = match.groups()
        if mark.isdigit():  # "1. " would start a numbered list: escape the dot or bracket after it
            end = match.end()
            return escaped[:end] + "\\" + escaped[end:]
        return lead + "\\" + escaped[len(lead) :]
    return escaped
