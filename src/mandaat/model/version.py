"""mandaat's version, as the installed package's metadata gives it (written once, in pyproject.toml)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _metadata_version


@cache
def version() -> str:
    """The installed version of mandaat ("0+unknown" when run from a source tree that is not installed)."""
    try:
        return _metadata_version("mandaat")
    except PackageNotFoundError:
        return "0+unknown"
