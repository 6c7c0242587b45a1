"""A progress bar on stderr for long searches: shown only on a terminal, and only once the work has
taken a second, so that quick runs and pipes stay clean."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Call with (done, total); draws ``label [#####     ] done/total`` and ends the line when done."""

    def __init__(self, label: str, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.delay = delay
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.stream.isatty() or time.perf_counter() - self.started < self.delay:
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r{self.label} [{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
        self.drawn = True
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
