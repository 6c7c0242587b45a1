"""Where a command's output goes: products to stdout or a file written atomically, notes to stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..model.rulebook import Rulebook
from ..render.output import write_atomic


class Console:
    """Products to ``out`` (stdout), diagnostics to ``err`` (stderr)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def product(self, text: str) -> None:
        """Write a product (a report, a table) to stdout."""
        self.out.write(text)
        self.out.flush()

    def note(self, line: str) -> None:
        """Write one line of diagnostics to stderr."""
        self.err.write(line + "\n")
        self.err.flush()

    def emit(
        self,
        text: str | bytes,
        output: Path | None,
        force: bool,
        protect: list[Path],
        book: Rulebook,
        what: str = "Report",
    ) -> None:
        """A product to ``output`` (atomically, protecting the inputs, rules and seeds), or to stdout."""
        if output is None or str(output) == "-":
            self.product(text if isinstance(text, str) else text.decode("utf-8", "replace"))
            return
        write_atomic(
            output, text, force=force, protected_files=protect, protected_dirs=[book.root, book.root.parent / "seeds"]
        )
        self.note(f"{what} written to {output}")
