"""A query that reads no data (`ASK {}`, decided on its parse) is answered in the server's own process, never
queued behind the runaway ones: with 64 clients running runaway queries it still answers within a second."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from support import servers

pytestmark = pytest.mark.slow


def test_ask_is_never_behind_64_runaway_clients():
    proc, base = servers.serve_mzkg("--timeout", "3")
    try:
        idle = statistics.median(servers.timed_get(base, "ASK {}")[1] for _ in range(5))
        with ThreadPoolExecutor(max_workers=64) as pool:
            runaway = [pool.submit(servers.timed_get, base, servers.RUNAWAY) for _ in range(64)]
            time.sleep(1.0)  # every client's query running
            asked = [servers.timed_get(base, "ASK {}") for _ in range(5)]
            answers = [f.result() for f in runaway]
        assert all(status == 200 for status, _t in asked)
        worst = max(t for _s, t in asked)
        print(f"ASK {{}}: idle {idle * 1000:.0f} ms, behind 64 runaway clients at most {worst * 1000:.0f} ms")
        assert worst < max(1.0, 20 * idle), (worst, idle)
        assert {s for s, _t in answers} == {408}
    finally:
        servers.stop(proc)
