"""Clients that send a request head and then drip its body a byte at a time: each connection is closed once its
body is not complete BODY_SECONDS after its head, and the server answers everyone else meanwhile."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mzkg.interfaces.server import BODY_SECONDS
from support import servers

pytestmark = pytest.mark.slow


def test_a_dripped_body_is_cut_off_and_the_server_answers_meanwhile(tmp_path):
    port = servers.free_port()
    log = tmp_path / "stderr"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "mzkg"), "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=err
        )
    base = f"http://127.0.0.1:{port}/sparql"
    drips: list[socket.socket] = []
    try:
        servers.wait_for(base + "?query=" + urllib.parse.quote("ASK {}"), proc)
        head = (
            f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
            "Content-Length: 100000\r\n\r\n"
        ).encode()
        for _ in range(40):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(head)
            drips.append(s)
        start = time.monotonic()
        closed: dict[int, float] = {}
        while len(closed) < len(drips) and time.monotonic() - start < BODY_SECONDS + 10:
            for i, s in enumerate(drips):
                if i in closed:
                    continue
                try:
                    s.sendall(b"A")
                except OSError:
                    closed[i] = time.monotonic() - start
            with urllib.request.urlopen(base + "?query=" + urllib.parse.quote("ASK {}"), timeout=30) as resp:
                assert resp.status == 200  # everyone else is answered while they drip
            time.sleep(1.0)
        assert len(closed) == len(drips)  # every dripping connection was closed …
        assert max(closed.values()) < BODY_SECONDS + 6  # … about BODY_SECONDS after its head
    finally:
        for s in drips:
            s.close()
        servers.stop(proc)
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")  # clients that left are not logged
