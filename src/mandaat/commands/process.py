"""What the `mandaat` process sets up once, before any command: it uses no pydantic plugins.

pydantic looks for plugins (entry points of every installed package) when it builds its first validator,
and imports :mod:`importlib.metadata` to do so even when ``PYDANTIC_DISABLE_PLUGINS`` says there are none;
that import is a tenth of a command's start-up. The command line sets the variable (a user's own value
wins) and, when it disables every plugin, stands in for pydantic's plugin loader with a module that gives
the same answer without the import. Anything else asked of the stand-in comes from the real loader.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

_LOADER = "pydantic.plugin._loader"
_NONE = ("__all__", "1", "true")  # the values with which pydantic itself loads no plugin at all


def _real() -> Any:
    if isinstance(sys.modules.get(_LOADER), _StandIn):
        del sys.modules[_LOADER]
    return importlib.import_module(_LOADER)


class _StandIn(types.ModuleType):
    """pydantic's plugin loader while plugins are disabled: no plugins, and no search for them."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system asks of any module (``__path__``, ...)
            raise AttributeError(name)
        return getattr(_real(), name)

    @staticmethod
    def get_plugins() -> Any:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _NONE:
            return ()
        return _real().get_plugins()


def without_pydantic_plugins() -> None:
    """Disable pydantic plugins for this process unless the user chose otherwise, and spare the search."""
    if os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__") in _NONE and _LOADER not in sys.modules:
        sys.modules[_LOADER] = _StandIn(_LOADER, __doc__)
