"""`mzkg serve` stopped under load: SIGTERM with runaway queries running and many more queued ends the server
within two seconds and leaves no query process behind (one queued when the server stopped must not start)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mzkg.core.bounded import POOL
from support import servers

pytestmark = pytest.mark.slow


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{pid}/stat").exists() else "X"
    return state not in ("Z", "X")


def _of_port(port: int) -> set[int]:
    """Every process started as the server of this port (a query forked after its server stopped is one)."""
    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and str(port).encode() in args:
            found.add(int(cmdline.parent.name))
    return found


def _stop(proc: subprocess.Popen) -> float:
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    return time.monotonic() - start


def _stop_under_load() -> tuple[float, list[int]]:
    """A server with runaway queries running and more queued, stopped by SIGTERM: how long it took, and the
    query processes still alive after."""
    proc, base = servers.serve_mzkg("--timeout", "60")
    try:
        with ThreadPoolExecutor(max_workers=48) as pool:
            for _ in range(48):
                pool.submit(servers.timed_get, base, servers.RUNAWAY)
            seen: set[int] = set()
            busy = time.monotonic() + 5
            while len(seen) < POOL and time.monotonic() < busy:
                seen |= set(servers.children(proc.pid))
                time.sleep(0.05)
            assert len(seen) >= POOL  # as many queries running as may run at once, the others queued
            seen |= set(servers.children(proc.pid))
            stopped = _stop(proc)
        time.sleep(0.5)
        port = int(base.split(":")[2].split("/")[0])
        return stopped, sorted(pid for pid in seen | _of_port(port) if _alive(pid))
    finally:
        servers.stop(proc)


def test_sigterm_under_load_stops_at_once_and_leaves_no_query_running():
    idle, _base = servers.serve_mzkg("--timeout", "60")
    try:
        baseline = _stop(idle)  # how long an idle server takes to stop on this machine, now
    finally:
        servers.stop(idle)
    # two seconds on a quiet machine (on a busy one, five times an idle server's stop); tried again once, since
    # another process's burst can cost a second, but never with a query left behind
    limit = max(2.0, 5 * baseline)
    stopped, left = _stop_under_load()
    assert left == [], left  # no query process outlives its server, reparented or not
    if stopped >= limit:
        stopped, left = _stop_under_load()
        assert left == [], left
    assert stopped < limit, (stopped, baseline)
