"""Run one evaluation in a forked child, so that a crash of the C rule engine cannot take the command
down silently: the parent reports it as an internal error (exit 70) instead of printing anything that
could be mistaken for a verdict.

The child never outlives the parent: SIGTERM, SIGHUP or SIGINT to the parent kill the child and end the
parent with exit 128 + n, and a child whose parent vanished (even by SIGKILL) is killed by the kernel
(Linux ``PR_SET_PDEATHSIG``) or, elsewhere, notices it and leaves. On systems without ``os.fork`` the
function runs in-process. Results and errors cross the pipe as plain data; this module knows nothing
about what is evaluated.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ..model.errors import (
    EngineError,
    InputError,
    Interrupted,
    MandaatError,
    OutputError,
    Problem,
    RulebookError,
    UsageError,
)

T = TypeVar("T")
_ERRORS: dict[str, type[MandaatError]] = {
    "UsageError": UsageError,
    "OutputError": OutputError,
    "EngineError": EngineError,
    "MandaatError": MandaatError,
}
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))
_PR_SET_PDEATHSIG = 1


def _stop(signum: int, frame: Any) -> None:
    raise Interrupted(signum, signal.Signals(signum).name)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGTERM, SIGHUP and SIGINT raise :class:`Interrupted`, so that cleanup runs
    (a child killed, a temporary file removed) before the command exits 128 + n. Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _encode_error(exc: BaseException) -> tuple[str, Any]:
    if isinstance(exc, InputError):
        kind = "RulebookError" if isinstance(exc, RulebookError) else "InputError"
        return kind, list(exc.problems)
    if isinstance(exc, MandaatError):
        return type(exc).__name__ if type(exc).__name__ in _ERRORS else "MandaatError", str(exc)
    return "internal", f"{type(exc).__name__}: {exc}"


def _decode_error(kind: str, payload: Any) -> BaseException:
    if kind in ("InputError", "RulebookError"):
        problems = [p for p in payload if isinstance(p, Problem)]
        return RulebookError(problems) if kind == "RulebookError" else InputError(problems)
    if kind in _ERRORS:
        return _ERRORS[kind](payload)
    return EngineError(f"the evaluation failed: {payload}")


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies; leave now if the parent is already gone."""
    if sys.platform.startswith("linux"):
        import ctypes  # in the child only

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
    if not sys.platform.startswith("linux"):  # no parent-death signal: watch for re-parenting instead
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(0.5)
    os._exit(1)


def _child(
    parent: int, write_fd: int, func: Callable[..., Any], args: Any, kwargs: Any, close_fds: bool = False
) -> None:
    """In the child: default signal actions, tied to the parent (and, with ``close_fds``, none of the
    parent's descriptors but the standard three); compute, send, and leave without running the parent's
    cleanup."""
    code = 0
    try:
        if close_fds:
            os.closerange(3, write_fd)
            first = max(3, write_fd + 1)
            os.closerange(first, max(first, os.sysconf("SC_OPEN_MAX")))
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        _die_with(parent)
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


def isolates() -> bool:
    """Whether evaluations run in a forked child (not where there is no ``os.fork``, nor with MANDAAT_DEBUG)."""
    return hasattr(os, "fork") and not os.environ.get("MANDAAT_DEBUG")


def fork_isolated(
    func: Callable[..., Any], args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None, close_fds: bool = False
) -> tuple[int, int]:
    """Start ``func(*args, **kwargs)`` in a forked child: its pid and the read end of the pipe its answer
    comes through. The caller reads the pipe to its end, reaps the child and passes both to
    :func:`isolated_result` (or kills and reaps the child when it gives up). With ``close_fds`` the child
    keeps none of the parent's other descriptors (a server's sockets stay the server's alone)."""
    parent = os.getpid()
    read_fd, write_fd = os.pipe()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # no signal between fork and setup
    try:
        pid = os.fork()
    except BaseException:
        os.close(read_fd)
        os.close(write_fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        raise
    if pid == 0:
        os.close(read_fd)
        _child(parent, write_fd, func, args, kwargs or {}, close_fds)
    os.close(write_fd)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    except BaseException:  # a stop signal that waited for the mask: the child goes too
        _kill(pid)
        os.close(read_fd)
        raise
    return pid, read_fd


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def run_isolated(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` computed in a forked child; its result or error re-raised here."""
    if not isolates():
        return func(*args, **kwargs)
    with interruptible():
        pid, read_fd = fork_isolated(func, args, kwargs)
        try:
            with os.fdopen(read_fd, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
        except BaseException:
            _kill(pid)
            raise
    result: T = isolated_result(data, status)
    return result


def isolated_result(data: bytes, status: int) -> Any:
    """The result a child sent (``data``, all of it) and ended with (``status``, from ``waitpid``), or
    its error raised here."""
    return _result(data, status)


def _result(data: bytes, status: int) -> Any:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        raise EngineError(f"the rule engine crashed ({name}); no report was produced")
    if not data:
        raise EngineError(f"the evaluation ended without a result (exit status {os.WEXITSTATUS(status)})")
    kind, payload = pickle.loads(data)
    if kind == "ok":
        return payload
    raise _decode_error(*payload)
