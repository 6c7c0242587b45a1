"""Where mandaat keeps what it may compute once per user rather than once per command: the folder, or
none. ``MANDAAT_CACHE=0`` switches every cache off; ``MANDAAT_CACHE_DIR`` moves the folder; otherwise it
is ``mandaat/rulebooks`` under the user's cache folder (``XDG_CACHE_HOME`` or ``~/.cache``). A cache is
an optimisation only: what cannot be read from it or written to it is computed as if it were not there.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path | None:
    """The folder of the user's cache, or None when it is switched off."""
    if os.environ.get("MANDAAT_CACHE", "1") == "0":
        return None
    chosen = os.environ.get("MANDAAT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mandaat" / "rulebooks"
