"""Queries that run away are stopped for real: a forked child killed at its deadline, memory bounded per query,
errors passed back as mzkg's own, and nothing left running."""

from __future__ import annotations

import os
import time

import pytest

from mzkg.core import bounded
from mzkg.core.errors import NotFound, QueryTimeout, ResultTooLarge
from mzkg.core.service import Limits, run

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_the_answer_comes_back_from_the_child():
    assert bounded.run(lambda: {"pid": os.getpid(), "rows": [1, 2]}, timeout=10)["pid"] != os.getpid()


def test_an_error_keeps_its_type():
    def fails():
        raise NotFound("no such label")

    with pytest.raises(NotFound, match="no such label"):
        bounded.run(fails, timeout=10)


def test_past_the_deadline_the_child_is_killed_and_collected():
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped"):
        bounded.run(lambda: time.sleep(60), timeout=0.5)
    assert time.monotonic() - start < 5
    assert not bounded._RUNNING
    with pytest.raises(ChildProcessError):  # no zombie: every child was waited for
        os.waitpid(-1, os.WNOHANG)


def test_memory_is_bounded_per_query():
    def greedy():
        return len(bytearray(4 << 30))  # 4 GiB

    with pytest.raises(ResultTooLarge, match="memory"):
        bounded.run(greedy, timeout=30, memory=256 << 20)


def test_a_cross_product_count_is_stopped_at_its_time_limit(kg):
    start = time.monotonic()
    with pytest.raises(QueryTimeout):
        run(CROSS, kg=kg, limits=Limits(timeout=1))
    assert time.monotonic() - start < 5


def test_an_order_by_over_a_cross_product_never_takes_the_process_down(kg):
    with pytest.raises((ResultTooLarge, QueryTimeout)):
        run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", kg=kg, limits=Limits(timeout=20, memory=512 << 20))
    assert run("ASK {}", kg=kg, limits=Limits(timeout=5)).boolean is True  # and the caller goes on


def test_limited_answers_equal_unlimited_ones(kg):
    assert run("headlines", kg=kg, limits=Limits(timeout=30)).rows == run("headlines", kg=kg).rows


def test_a_worker_the_out_of_memory_killer_took_is_too_large_not_malformed():
    import signal

    with pytest.raises(ResultTooLarge, match="more memory"):  # the kernel's SIGKILL looks the same
        bounded.run(lambda: os.kill(os.getpid(), signal.SIGKILL), timeout=10)
