"""Run one evaluation in a forked child, so that a crash of the C rule engine cannot take the command
down silently: the parent reports it as an internal error (exit 70) instead of printing anything that
could be mistaken for a verdict.

On systems without ``os.fork`` the function runs in-process. Results and errors cross the pipe as
plain data; this module knows nothing about what is evaluated.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from ..model.errors import EngineError, InputError, MandaatError, OutputError, Problem, RulebookError, UsageError

T = TypeVar("T")
_ERRORS: dict[str, type[MandaatError]] = {
    "UsageError": UsageError,
    "OutputError": OutputError,
    "EngineError": EngineError,
    "MandaatError": MandaatError,
}


def _encode_error(exc: BaseException) -> tuple[str, Any]:
    if isinstance(exc, InputError):
        kind = "RulebookError" if isinstance(exc, RulebookError) else "InputError"
        return kind, [p.as_dict() for p in exc.problems]
    if isinstance(exc, MandaatError):
        return type(exc).__name__ if type(exc).__name__ in _ERRORS else "MandaatError", str(exc)
    return "internal", f"{type(exc).__name__}: {exc}"


def _decode_error(kind: str, payload: Any) -> BaseException:
    if kind in ("InputError", "RulebookError"):
        problems = [Problem(**p) for p in payload]
        return RulebookError(problems) if kind == "RulebookError" else InputError(problems)
    if kind in _ERRORS:
        return _ERRORS[kind](payload)
    return EngineError(f"the evaluation failed: {payload}")


def run_isolated(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` computed in a forked child; its result or error re-raised here."""
    if not hasattr(os, "fork") or os.environ.get("MANDAAT_DEBUG"):
        return func(*args, **kwargs)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        os.close(read_fd)
        code = 0
        try:
            try:
                message: tuple[str, Any] = ("ok", func(*args, **kwargs))
            except BaseException as exc:
                message = ("error", _encode_error(exc))
            data = pickle.dumps(message)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        raise EngineError(f"the rule engine crashed ({name}); no report was produced")
    if not data:
        raise EngineError(f"the evaluation ended without a result (exit status {os.WEXITSTATUS(status)})")
    kind, payload = pickle.loads(data)
    if kind == "ok":
        return payload  # type: ignore[no-any-return]
    raise _decode_error(*payload)
