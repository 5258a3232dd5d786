"""`mzkg serve` under load and at its limits: 400 queries at 16-way concurrency, a time limit, a size limit."""

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

from mzkg.core.sparql.catalogue import named_queries
from support import servers

pytestmark = pytest.mark.slow
QUERIES = named_queries()
FAST = [
    "headlines",
    "network-tiers",
    "kuasheng-services",
    "wushe-participants",
    "hedged-figures",
    "conversions",
    "coverage-targets",
    "places",
]


def _serve(*extra: str):
    port = servers.free_port()
    exe = Path(sys.executable).parent / "mzkg"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/sparql"
    servers.wait_for(base + "?query=" + urllib.parse.quote("ASK {}"), proc)
    return proc, base


def _get(base: str, text: str) -> tuple[int, float]:
    start = time.perf_counter()
    req = urllib.request.Request(
        base + "?query=" + urllib.parse.quote(text), headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
        e.close()
    except OSError:
        status = 0
    return status, time.perf_counter() - start


def test_400_queries_at_16_way_concurrency_without_a_failure():
    proc, base = _serve()
    try:
        texts = [QUERIES[FAST[i % len(FAST)]].text for i in range(400)]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(lambda t: _get(base, t), texts))
        wall = time.perf_counter() - start
    finally:
        servers.stop(proc)
    failures = [s for s, _ in results if s != 200]
    latencies = sorted(t for _, t in results)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(
        f"\nload test: {len(results)} queries, 16 concurrent, {len(results) / wall:.0f} queries/s, "
        f"median {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, {len(failures)} failures"
    )
    assert failures == []
    assert wall < 120


def test_time_and_size_limits_give_4xx_and_the_server_lives_on():
    proc, base = _serve("--timeout", "0.5", "--max-rows", "100000000")
    try:
        status, seconds = _get(base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
        assert status == 408 and seconds < 30
        assert _get(base, QUERIES["headlines"].text)[0] == 200
    finally:
        servers.stop(proc)
    proc, base = _serve("--max-rows", "5")
    try:
        assert _get(base, "SELECT * WHERE { ?s ?p ?o }")[0] == 413
        assert _get(base, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")[0] == 200
    finally:
        servers.stop(proc)
