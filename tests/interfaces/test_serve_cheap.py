"""A query that reads no data (`ASK {}`, decided on its parse) is answered in the server's own process, never
queued behind the runaway ones: with 64 clients running runaway queries it still answers within a second."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from support import servers

pytestmark = pytest.mark.slow
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _get(base: str, text: str) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(base + "?query=" + urllib.parse.quote(text), timeout=60) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
        e.close()
    except OSError:
        status = 0
    return status, time.perf_counter() - start


def test_ask_is_never_behind_64_runaway_clients():
    port = servers.free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "mzkg"), "serve", "--port", str(port), "--timeout", "3"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/sparql"
    try:
        servers.wait_for(base + "?query=" + urllib.parse.quote("ASK {}"), proc)
        idle = statistics.median(_get(base, "ASK {}")[1] for _ in range(5))
        with ThreadPoolExecutor(max_workers=64) as pool:
            runaway = [pool.submit(_get, base, RUNAWAY) for _ in range(64)]
            time.sleep(1.0)  # every client's query running
            asked = [_get(base, "ASK {}") for _ in range(5)]
            answers = [f.result() for f in runaway]
        assert all(status == 200 for status, _t in asked)
        worst = max(t for _s, t in asked)
        print(f"ASK {{}}: idle {idle * 1000:.0f} ms, behind 64 runaway clients at most {worst * 1000:.0f} ms")
        assert worst < max(1.0, 20 * idle), (worst, idle)
        assert {s for s, _t in answers} == {408}
    finally:
        servers.stop(proc)
