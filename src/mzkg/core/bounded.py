"""Running a query where it can be stopped: in a forked child process, killed at its deadline, with its memory
bounded, so a query that runs away costs its own process and never the caller's.

The child inherits the loaded store (fork copies nothing until written), runs the work, sends back the pickled
answer or error through a pipe and exits. The parent waits for the answer until the deadline and then kills the
child (SIGKILL: no query can ignore it). A child that runs out of its memory allowance dies or raises, and the
caller gets a one-line error either way.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import MzkgError, QueryError, QueryTimeout, ResultTooLarge

T = TypeVar("T")

_RUNNING: set[int] = set()  # children running now, killed by stop_all() when the caller shuts down
_FORKING = threading.Lock()
# At most this many children at once; a query beyond them waits for a place, within its own time limit, without
# forking: a fork copies the caller's page tables while holding the interpreter's lock, and dozens of them at once
# would hold up everything else the caller does (a server answering its cheap queries).
POOL = max(4, 2 * (os.cpu_count() or 2))
_PLACES = threading.BoundedSemaphore(POOL)
_STOPPED = threading.Event()  # set by stop_all(): no query starts after it (one still queued would outlive its server)


def _virtual_size() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS bounds)."""
    try:
        return int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _bound_memory(memory: int) -> None:
    """Limit the child's address space to what it uses now plus ``memory``, within the hard limit; left unbounded
    when the current size is unknown (a limit below it would fail every query)."""
    now = _virtual_size()
    if now <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + memory if hard == resource.RLIM_INFINITY else min(now + memory, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(work: Callable[[], T], out: int, memory: int | None, timeout: float) -> None:
    """In the child: bound memory, do the work, write the pickled outcome, exit without running the parent's
    cleanup (atexit handlers, buffered files, the server's sockets belong to the parent)."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        quiet = os.open(os.devnull, os.O_WRONLY)  # what goes wrong is reported through the pipe, not on stderr
        os.dup2(quiet, 2)
        faulthandler.disable()  # an abort at the memory limit is reported as such, not dumped on the caller's stderr
        os.nice(10)  # queries yield the processor to their caller: a server under runaway queries still answers
        if memory is not None:
            _bound_memory(memory)
        # processor time of its own, so a child whose parent was killed before its deadline still ends
        seconds = int(timeout) + 5
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
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
    deadline = time.monotonic() + timeout
    if not _PLACES.acquire(timeout=timeout):
        raise QueryTimeout(
            f"the query waited past the time limit ({timeout:g} s) for one of the {POOL} running before it: try again"
        )
    try:
        return _run(work, timeout=timeout, memory=memory, deadline=deadline)
    finally:
        _PLACES.release()


def _run(work: Callable[[], T], *, timeout: float, memory: int | None, deadline: float) -> T:
    # One fork at a time, and the parent's copy of the pipe closed before the next: otherwise a child forked
    # meanwhile would inherit this query's write end, and its answer would seem to go on until that child ended.
    with _FORKING:
        if _STOPPED.is_set():
            raise QueryError("the query was interrupted: the server is stopping")
        try:
            read_end, write_end = os.pipe()
        except OSError as e:
            raise QueryError(f"cannot start the query ({e.strerror})") from None
        try:
            pid = os.fork()
        except OSError as e:
            os.close(read_end)
            os.close(write_end)
            raise QueryError(f"cannot start the query ({e.strerror})") from None
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(read_end)
            _child(work, write_end, memory, timeout)
        _RUNNING.add(pid)
        os.close(write_end)
    chunks: list[bytes] = []
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
    try:
        kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - bytes from our own child, through our own pipe
    except Exception:  # nothing, or half an answer: say how the child ended
        raise _ended(status) from None
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "memory":
        raise ResultTooLarge("the query needed more memory than a query may use and was stopped: narrow it")
    assert isinstance(value, MzkgError)
    raise value


def _ended(status: int) -> QueryError:
    """The error for a child that ended without a whole answer, from its wait status."""
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if signalled in (signal.SIGINT, signal.SIGTERM):
        return QueryError("the query was interrupted")
    # a SIGKILL mzkg did not send (it sends one only past the deadline, which is a QueryTimeout before this) is
    # the kernel's out-of-memory killer: the query needed more memory than the machine had
    if signalled in (signal.SIGABRT, signal.SIGKILL) or (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3):
        # an allocation the memory limit refused aborts the engine, or raises MemoryError in Python
        return ResultTooLarge("the query needed more memory than a query may use and was stopped: narrow it")
    if signalled == signal.SIGXCPU:
        return QueryTimeout("the query used up its processor time and was stopped")
    how = f"signal {signalled}" if signalled is not None else f"exit status {os.WEXITSTATUS(status)}"
    return QueryError(f"the query's worker ended without an answer ({how})")


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
    """Kill every query still running, and start no other in this process (the server calls this when it
    stops). Taken under the fork lock, so no child is forked between the last kill and the stop."""
    with _FORKING:
        _STOPPED.set()
        running = list(_RUNNING)
        for pid in running:  # every one killed first, then each collected: they die side by side
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in running:
            _reap(pid)


def restart() -> None:
    """Let queries start again after stop_all() (a process that serves again, such as a test)."""
    _STOPPED.clear()
