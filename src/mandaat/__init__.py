"""mandaat: tests whether a military mandate's legal basis still holds, with reasons cited to the sources."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
