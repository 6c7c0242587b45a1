"""mandaat: tests whether a military mandate's legal basis still holds, with reasons cited to the sources.

The library API (:mod:`mandaat.api`) is available as ``mandaat.evaluate``, ``mandaat.whatif``,
``mandaat.compare``, ``mandaat.flips`` and ``mandaat.timeline``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["__version__", "compare", "evaluate", "flips", "timeline", "whatif"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so that `import mandaat` stays light.
    if name == "__version__":
        from .model.version import version

        return version()
    if name in ("evaluate", "whatif", "compare", "flips", "timeline"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'mandaat' has no attribute {name!r}")
