"""Where a command's output goes: products to stdout or a file written atomically, notes to stderr.

A product that cannot be written to stdout (closed, full, or unable to encode the text) is an
OutputError (exit 1, one line on stderr), never a silent success and never an internal error. A reader
that went away (a broken pipe, e.g. `| head`) is not an error; the command line stops quietly.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TextIO

from ..model.errors import OutputError, safe, said
from ..model.rulebook import Rulebook
from ..model.words import word
from ..render.output import write_atomic


class Console:
    """Products to ``out`` (stdout), diagnostics to ``err`` (stderr)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def product(self, text: str) -> None:
        """Write a product (a report, a table) to stdout."""
        out: TextIO | None = self.out
        if out is None:  # Python sets sys.stdout to None when the descriptor is closed (`>&-`)
            raise OutputError(said("stdout_closed"))
        try:
            out.write(text)
            out.flush()
        except BrokenPipeError:
            raise
        except UnicodeEncodeError as exc:
            _discard(out)
            raise OutputError(said("stdout_encoding", encoding=exc.encoding)) from None
        except (OSError, ValueError) as exc:  # ValueError: a closed file object
            _discard(out)
            reason = getattr(exc, "strerror", None) or str(exc)
            raise OutputError(said("stdout_failed", reason=reason.lower())) from None

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
        lang: str = "nl",
        kind: str = "report",
    ) -> None:
        """A product to ``output`` (atomically, protecting the inputs, rules and seeds), or to stdout."""
        if output is None or str(output) == "-":
            self.product(text if isinstance(text, str) else text.decode("utf-8", "replace"))
            return
        seeds = [book.source_path(name) for name in book.sources]
        write_atomic(
            output,
            text,
            force=force,
            protected_files=protect,
            protected_dirs=[book.root, book.root.parent / "seeds", *seeds],
        )
        self.note(safe(word(f"{kind}_written", lang).format(path=output)))


def _discard(out: TextIO) -> None:
    """Point stdout at the null device, so that Python's final flush cannot fail again and change the exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, out.fileno())
        os.close(null)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        out.flush()
