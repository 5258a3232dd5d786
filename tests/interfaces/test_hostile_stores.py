"""Stores that answer slowly, hugely or rudely: one deadline for the whole exchange, a bound on the answer once
decompressed, an error body read no further than its first line and shown escaped."""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mzkg.core.errors import ResultTooLarge, StoreError
from mzkg.core.service import Limits, run

MZKG = str(Path(sys.executable).parent / "mzkg")
HEAD = b'{"head":{"vars":["x"]},"results":{"bindings":['


class _Store(BaseHTTPRequestHandler):
    mode = "drip"

    def _answer(self):
        n = int(self.headers.get("content-length", 0))
        self.rfile.read(n)
        if self.mode == "drip":  # a byte every half second, for ever
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            try:
                for _ in range(400):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                return
        elif self.mode == "bomb":  # 1.5 GB of results as 1.5 MB of gzip
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Encoding", "gzip")
            body = gzip.compress(HEAD + b" " * (64 * 1024 * 1024), compresslevel=9)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                return
        elif self.mode == "rude":  # an error whose body would act on the terminal, and goes on and on
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                self.wfile.write(b"\x1b[2J\x1b]0;owned\x07boom\n" + b"x" * (8 * 1024 * 1024))
            except OSError:
                return

    do_POST = _answer  # noqa: N815
    do_GET = _answer  # noqa: N815
    do_PUT = _answer  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def store(request):
    handler = type("H", (_Store,), {"mode": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("store", ["drip"], indirect=True)
def test_a_dripping_store_is_cut_off_at_the_deadline(store):
    start = time.monotonic()
    with pytest.raises(StoreError, match="no whole answer within 2 s"):
        run("SELECT * WHERE { ?s ?p ?o }", endpoint=store, limits=Limits(timeout=2))
    assert time.monotonic() - start < 6  # the deadline, give or take one read
    start = time.monotonic()
    res = subprocess.run(
        [MZKG, "load", store, "--graph", "urn:g", "--timeout", "2"], check=False, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 2 and res.stderr.count("\n") <= 2 and "Traceback" not in res.stderr
    assert time.monotonic() - start < 15


@pytest.mark.parametrize("store", ["bomb"], indirect=True)
def test_an_answer_is_bounded_once_decompressed(store):
    with pytest.raises(ResultTooLarge, match="over 16 MB"):
        run("SELECT * WHERE { ?s ?p ?o }", endpoint=store, limits=Limits(max_bytes=16 * 1024 * 1024))
    res = subprocess.run(
        [MZKG, "query", "--endpoint", store, "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--max-bytes", "1000000"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2 and res.stderr.startswith("mzkg: error: ") and "--max-bytes" in res.stderr


@pytest.mark.parametrize("store", ["rude"], indirect=True)
def test_an_error_body_is_one_escaped_line(store):
    res = subprocess.run(
        [MZKG, "query", "--endpoint", store, "--sparql", "ASK {}"], check=False, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 2 and res.stderr.count("\n") == 1
    assert "\x1b" not in res.stderr and "\x07" not in res.stderr and "\\x1b[2J" in res.stderr and "boom" in res.stderr
