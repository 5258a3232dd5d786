"""Running a query where it can be stopped: in a forked child process, killed at its deadline, with its memory
bounded, so a query that runs away costs its own process and never the caller's.

The child inherits the loaded store (fork copies nothing until written), runs the work, sends back the pickled
answer or error through a pipe and exits. The parent waits for the answer until the deadline and then kills the
child (SIGKILL: no query can ignore it). A child that runs out of its memory allowance dies or raises, and the
caller gets a one-line error either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import MzkgError, QueryError, QueryTimeout, ResultTooLarge

T = TypeVar("T")

_RUNNING: set[int] = set()  # children running now, killed by stop_all() when the caller shuts down


def _virtual_size() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS bounds)."""
    try:
        return int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(work: Callable[[], T], out: int, memory: int | None) -> None:
    """In the child: bound memory, do the work, write the pickled outcome, exit without running the parent's
    cleanup (atexit handlers, buffered files, the server's sockets belong to the parent)."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        quiet = os.open(os.devnull, os.O_WRONLY)  # what goes wrong is reported through the pipe, not on stderr
        os.dup2(quiet, 2)
        os.nice(10)  # queries yield the processor to their caller: a server under runaway queries still answers
        if memory is not None:
            limit = _virtual_size() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            outcome: tuple[str, object] = ("ok", work())
        except MzkgError as e:
            outcome = ("error", e)
        except MemoryError:
            outcome = ("memory", None)
        except Exception as e:  # any failure of the work goes to the parent, as one line
            outcome = ("error", QueryError(f"query failed: {e}"))
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an answer that cannot be sent is an error, not a hang
            payload = pickle.dumps(("error", QueryError("the answer could not be passed back")))
        view = memoryview(payload)
        while view:
            view = view[os.write(out, view) :]
    except MemoryError:
        status = 3
    except BaseException:  # the child always exits here, never returns into the parent's code
        status = 1
    finally:
        os._exit(status)


def run(work: Callable[[], T], *, timeout: float, memory: int | None = None) -> T:
    """Run ``work`` in a forked child; its result, or QueryTimeout past ``timeout`` seconds (the child killed),
    or ResultTooLarge when it needed more than ``memory`` bytes beyond what the caller already uses."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        os.close(read_end)
        _child(work, write_end, memory)
    _RUNNING.add(pid)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    waiting = select.poll()  # poll, not select: a busy server's descriptors go past select's 1024
    waiting.register(read_end, select.POLLIN | select.POLLHUP)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QueryTimeout(
                    f"the query ran past the time limit ({timeout:g} s) and was stopped: narrow it, or raise the limit"
                )
            if waiting.poll(max(1, int(left * 1000))):
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        status = _reap(pid)
    if not chunks:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGINT, signal.SIGTERM):
            raise QueryError("the query was interrupted")
        raise ResultTooLarge("the query needed more memory than a query may use and was stopped: narrow it")
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - bytes from our own child, through our own pipe
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "memory":
        raise ResultTooLarge("the query needed more memory than a query may use and was stopped: narrow it")
    assert isinstance(value, MzkgError)
    raise value


def _reap(pid: int) -> int:
    """Kill the child if it still runs and collect it, so no zombie is left: its wait status."""
    status = 0
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        _pid, status = os.waitpid(pid, 0)
    _RUNNING.discard(pid)
    return status


def stop_all() -> None:
    """Kill every query still running (the server calls this when it stops)."""
    for pid in list(_RUNNING):
        _reap(pid)
