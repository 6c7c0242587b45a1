"""mandaat's version, as the installed package's metadata gives it (written once, in pyproject.toml).

The metadata file is read directly when it can be found on ``sys.path`` (``importlib.metadata`` costs a
noticeable share of a command's start-up); ``importlib.metadata`` is the fallback.
"""

from __future__ import annotations

import os
import sys
from functools import cache


def _from_dist_info() -> str | None:
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("mandaat-") and name.endswith(".dist-info"):
                try:
                    with open(os.path.join(entry or ".", name, "METADATA"), encoding="utf-8") as metadata:
                        for line in metadata:
                            if line.startswith("Version:"):
                                return line.split(":", 1)[1].strip()
                            if not line.strip():
                                break
                except OSError:
                    continue
    return None


@cache
def version() -> str:
    """The installed version of mandaat ("0+unknown" when run from a source tree that is not installed)."""
    found = _from_dist_info()
    if found:
        return found
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _metadata_version

    try:
        return _metadata_version("mandaat")
    except PackageNotFoundError:
        return "0+unknown"
