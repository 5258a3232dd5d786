"""Hardening, round two: each defect an adversarial round found, reproduced as it was reported, with the behaviour
mzkg now has (one line and the right exit code, nothing replaced that should be written through, nothing lost)."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mzkg.core import store as stores
from mzkg.core.errors import StoreError
from mzkg.core.graph import load
from mzkg.core.service import run
from mzkg.interfaces.cli import main
from mzkg.interfaces.server import HEADER_SECONDS, create_app
from support import servers
from support.paths import ROOT

EXE = str(Path(sys.executable).parent / "mzkg")
SMALL = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"


def _mzkg(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], capture_output=True, text=True, check=False, env=env, timeout=120, **kw)


def _one_line_error(res) -> bool:
    err = res.stderr if isinstance(res, subprocess.CompletedProcess) else res.output
    return "Traceback" not in err and len([x for x in err.strip().splitlines() if x.startswith("mzkg: error")]) == 1


# --- server


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(load())) as c:
        yield c


def test_head_on_sparql_is_answered_like_get(client):
    res = client.head("/sparql", params={"query": "ASK {}"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/sparql-results+json")


def test_ask_asked_for_as_csv_still_gets_an_answer(client):
    res = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert res.status_code == 200 and res.json()["boolean"] is True


def test_q_zero_in_accept_means_not_this(client):
    query = {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"}
    res = client.get("/sparql", params=query, headers={"Accept": "text/csv;q=0, application/sparql-results+json"})
    assert res.headers["content-type"].startswith("application/sparql-results+json")
    res = client.get("/sparql", params=query, headers={"Accept": "application/sparql-results+json;q=0, text/csv"})
    assert res.headers["content-type"].startswith("text/csv")


def test_span_offsets_outside_the_text_give_a_page_not_a_500(tmp_path):
    text = (ROOT / "data" / "provenance.ttl").read_text(encoding="utf-8")
    start, end = 'oa:start "0"^^xsd:nonNegativeInteger', 'oa:end "4"^^xsd:nonNegativeInteger'
    assert start in text and end in text
    bad = text.replace(start, 'oa:start "-40"^^xsd:integer', 1).replace(end, 'oa:end "999999"^^xsd:nonNegativeInteger', 1)
    data = tmp_path / "data"
    data.mkdir()
    for f in (ROOT / "data").glob("*.ttl"):
        (data / f.name).write_text(bad if f.name == "provenance.ttl" else f.read_text(encoding="utf-8"), encoding="utf-8")
    with TestClient(create_app(load([data]))) as c:
        res = c.get("/source")
    assert res.status_code == 200
    assert 'id="span--40-' not in res.text and "-999999" not in res.text.split("<table")[0]


def test_a_port_in_use_is_one_line_and_exit_2_before_serving():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        res = _mzkg("serve", "--port", str(busy.getsockname()[1]))
    finally:
        busy.close()
    assert res.returncode == 2 and "cannot listen" in res.stderr and "serving" not in res.stderr and _one_line_error(res)


def test_port_0_announces_the_port_it_got():
    proc = subprocess.Popen([EXE, "serve", "--port", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        url = line.split(" at ", 1)[1].split()[0]
        port = urllib.parse.urlsplit(url).port
        assert port and port != 0
        servers.wait_for(f"http://127.0.0.1:{port}/sparql?query=ASK%20%7B%7D", proc)
    finally:
        servers.stop(proc)
        assert proc.stderr is not None
        proc.stderr.close()


def test_a_thousand_slow_clients_do_not_stop_the_server():
    port = servers.free_port()
    proc = subprocess.Popen([EXE, "serve", "--port", str(port)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/sparql?query=ASK%20%7B%7D"
    slow = []
    try:
        servers.wait_for(base, proc)
        for _ in range(1100):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the headers never end
            slow.append(s)
        start = time.monotonic()
        servers.wait_for(base, proc)  # a normal request is still answered
        assert time.monotonic() - start < 30
        slow[0].settimeout(HEADER_SECONDS + 10)
        assert slow[0].recv(100) == b""  # and a head that never ends is closed by the server
    finally:
        for s in slow:
            s.close()
        servers.stop(proc)
    assert proc.stderr is not None
    with proc.stderr:
        assert len(proc.stderr.read()) < 10_000  # no flood of tracebacks


# --- files and streams


def test_a_named_pipe_is_read_as_data(tmp_path):
    fifo = tmp_path / "in.ttl"
    os.mkfifo(fifo)

    def feed():
        with fifo.open("w", encoding="utf-8") as f:
            f.write(SMALL)

    threading.Thread(target=feed, daemon=True).start()
    res = _mzkg("--data", str(fifo), "stats")
    assert res.returncode == 0 and "no such file" not in res.stderr, res.stderr


def test_a_literal_over_16_mb_is_loaded_or_refused_in_one_line(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "' + "字" * (17 << 20 // 3) + '" .\n', encoding="utf-8")
    res = _mzkg("--data", str(big), "stats")
    assert res.returncode in (0, 2) and "Traceback" not in res.stderr
    res = _mzkg("--data", str(big), "query", "--sparql", "SELECT (STRLEN(?o) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert res.returncode in (0, 2) and "Traceback" not in res.stderr


def test_export_of_long_lists_and_deep_nesting_is_linear_and_never_recursion(tmp_path):
    items = " ".join(f'"{i}"' for i in range(3000))
    (tmp_path / "list.ttl").write_text(f"@prefix ex: <http://example.org/> .\nex:a ex:items ( {items} ) .\n", encoding="utf-8")
    deep = "[ ex:next " * 1000 + "ex:end" + " ]" * 1000
    (tmp_path / "deep.ttl").write_text(f"@prefix ex: <http://example.org/> .\nex:a ex:next {deep} .\n", encoding="utf-8")
    for name in ("list.ttl", "deep.ttl"):
        for fmt in ("turtle", "nt"):
            start = time.monotonic()
            res = _mzkg("--data", str(tmp_path / name), "export", "--format", fmt, "-o", str(tmp_path / f"{name}.{fmt}"))
            assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr[-500:]
            assert time.monotonic() - start < 30
    out = tmp_path / "release"
    res = _mzkg("--data", str(tmp_path / "deep.ttl"), "release", "-o", str(out))
    assert "RecursionError" not in res.stderr and "Traceback" not in res.stderr


def test_export_writes_through_a_fifo_keeps_a_files_mode_and_follows_a_symlink(tmp_path):
    private = tmp_path / "private.ttl"
    private.write_text("", encoding="utf-8")
    private.chmod(0o600)
    assert _mzkg("export", "-o", str(private)).returncode == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.stat().st_size > 0
    link = tmp_path / "link.ttl"
    link.symlink_to(private)
    assert _mzkg("export", "--format", "nt", "-o", str(link)).returncode == 0
    assert link.is_symlink() and private.read_text(encoding="utf-8").startswith("<")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert _mzkg("export", "--format", "nt", "-o", str(fifo)).returncode == 0
    reader.join(30)
    assert got and got[0].startswith(b"<") and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("command", [["release", "-o", "/proc/mzkg-x"], ["docs", "-o", "/proc/mzkg-x"]])
def test_output_folders_that_cannot_be_made_are_one_line(command):
    res = _mzkg(*command)
    assert res.returncode == 2 and _one_line_error(res), res.stderr


def test_export_to_a_full_device_is_one_line_and_exit_2():
    res = subprocess.run(["sh", "-c", f'"{EXE}" export > /dev/full'], capture_output=True, text=True, check=False)
    assert res.returncode == 2 and "Traceback" not in res.stderr


@pytest.mark.parametrize("command", [["query", "headlines", "--format", "csv"], ["describe", "雙百"], ["stats"]])
def test_a_non_utf8_standard_output_is_no_crash(command):
    env = {**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    res = subprocess.run([EXE, *command], capture_output=True, env=env, check=False)
    assert res.returncode == 0 and b"Traceback" not in res.stderr, res.stderr[-300:]
    assert res.stdout.decode("utf-8")  # Chinese written as UTF-8 or as backslash escapes: never lost, never a crash


def test_an_unusable_cache_folder_means_no_cache(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("MZKG_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(stores, "PREPARE_ABOVE_BYTES", 0)
    kg = load()
    assert run("ASK { ?s ?p ?o }", kg=kg).boolean is True
    assert "cannot be used" in caplog.text
    res = _mzkg("validate", env={**os.environ, "MZKG_CACHE_DIR": str(blocker / "cache")})
    assert res.returncode == 0 and "Traceback" not in res.stderr


def test_unwritable_home_means_no_cache_not_a_traceback(tmp_path):
    blocker = tmp_path / "home"
    blocker.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MZKG_CACHE_DIR", "XDG_CACHE_HOME")}
    res = _mzkg("validate", env={**env, "HOME": str(blocker)})
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr


# --- remote endpoints


class _Endpoint(BaseHTTPRequestHandler):
    body = b""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    "body",
    [
        b'{"head":{"vars":["value"]},"results":{"bindings":[{"value":{"type":"literal","value":5}}]}}',
        b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":{"a":1}}}]}}',
        b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":null}}]}}',
    ],
)
def test_odd_json_from_an_endpoint_is_a_store_error(body):
    handler = type("H", (_Endpoint,), {"body": body})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        with pytest.raises(StoreError):
            run("SELECT * WHERE { ?s ?p ?o }", endpoint=url)
        res = _mzkg("query", "--endpoint", url, "--sparql", "SELECT * WHERE { ?s ?p ?o }")
        assert res.returncode == 2 and _one_line_error(res), res.stderr
    finally:
        server.shutdown()
        server.server_close()


def test_load_says_the_graph_may_have_changed_when_the_put_was_cut(runner):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)

    def cut():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            request = conn.recv(65536)
            if request.startswith(b"HEAD"):  # the probe for a credentials challenge: none
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            conn.close()  # the PUT: cut while its body is being sent

    threading.Thread(target=cut, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/store"
        res = runner.invoke(main, ["load", url, "--graph", "urn:mzkg:test", "--timeout", "10"])
    finally:
        sock.close()
    assert res.exit_code == 2 and "may have changed" in res.output and "Traceback" not in res.output


# --- gaps: the severe cases through every way in


DIGIT_SERVICE = "SELECT * {{ ?s ?p 1SERVICE <http://127.0.0.1:{port}/b> {{ ?s ?p ?o }} }} LIMIT 1"


def test_a_digit_before_service_reaches_nothing_from_cli_sparql_or_query_page(runner, listener, client):
    port, sock = listener
    text = DIGIT_SERVICE.format(port=port)
    res = runner.invoke(main, ["query", "--sparql", text])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert client.get("/sparql", params={"query": text}).status_code == 400
    assert client.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"}).status_code == 400
    assert client.get("/query", params={"query": text}).status_code in (200, 400)
    assert servers.nothing_arrived(sock, wait=1.0)


@pytest.mark.parametrize(
    "path",
    [
        "/id/programme/shuangbai%3E%20%7D%20OPTIONAL%20%7B%20SERVICE%20%3Chttp://127.0.0.1:{port}/x%3E%20%7B%20?s%20?p%20?o%20%7D%20%7D%20%23",
        "/id/a%3Cb",
        "/id/a%3Eb",
        "/id/a%7Bb%7D",
        "/id/a%5Cb",
        "/id/a%00b",
        '/id/a"b',
    ],
)
def test_crafted_entity_paths_are_404_and_reach_nothing(client, listener, path):
    port, sock = listener
    assert client.get(path.format(port=port)).status_code == 404
    assert servers.nothing_arrived(sock, wait=1.0)


def test_a_blank_node_parameter_cannot_break_out_into_remote_query_text():
    from mzkg.core.errors import UsageError
    from mzkg.core.sparql.params import write_into_text
    from mzkg.core.terms import Term

    text = "SELECT * WHERE { VALUES ?o { UNDEF } ?s ?p ?o }"
    assert write_into_text(text, {"o": Term("bnode", "b1")}).count("_:b1") == 1
    with pytest.raises(UsageError, match="blank node"):
        write_into_text(text, {"o": Term("bnode", "x } SERVICE <http://127.0.0.1:9/x> {")})


def test_query_timeout_stops_a_runaway_query_from_the_cli():
    start = time.monotonic()
    res = _mzkg("query", "--timeout", "1", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert res.returncode == 2 and "time limit" in res.stderr and _one_line_error(res)
    assert time.monotonic() - start < 15


def test_load_sends_no_credentials_across_a_redirect(listener):
    port, sock = listener

    class Redirect(BaseHTTPRequestHandler):
        def do_PUT(self):
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(307)
            self.send_header("Location", f"http://127.0.0.1:{port}/store?graph=urn:g")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "MZKG_STORE_USER": "alice", "MZKG_STORE_PASSWORD": "s3cret"}
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/store"
        res = _mzkg("load", url, "--graph", "urn:g", "--timeout", "10", env=env)
    finally:
        server.shutdown()
        server.server_close()
    assert res.returncode == 2 and "redirect" in res.stderr and _one_line_error(res)
    assert servers.nothing_arrived(sock, wait=1.0)  # the other port never saw the request, let alone the credentials


def test_load_timeout_bounds_a_store_that_never_answers(listener):
    port, _sock = listener  # accepts (the backlog) and never answers
    start = time.monotonic()
    res = _mzkg("load", f"http://127.0.0.1:{port}/store", "--graph", "urn:g", "--timeout", "1")
    assert res.returncode == 2 and _one_line_error(res)
    assert time.monotonic() - start < 30


def test_an_endpoint_given_as_a_file_url_is_refused_by_the_cli():
    res = _mzkg("query", "--endpoint", "file:///etc/passwd", "--sparql", "ASK {}")
    assert res.returncode == 2 and "http" in res.stderr and _one_line_error(res)


def test_export_writes_through_a_character_device():
    assert _mzkg("export", "--format", "nt", "-o", "/dev/null").returncode == 0
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_release_of_deep_nesting_writes_every_file(tmp_path):
    deep = "[ ex:next " * 1000 + "ex:end" + " ]" * 1000
    (tmp_path / "deep.ttl").write_text(f"@prefix ex: <http://example.org/> .\nex:a ex:next {deep} .\n", encoding="utf-8")
    out = tmp_path / "release"
    res = _mzkg("--data", str(tmp_path / "deep.ttl"), "release", "-o", str(out))
    assert res.returncode == 0, res.stderr[-500:]
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True, check=False)
    assert check.returncode == 0 and len(list(out.iterdir())) > 3


def test_overview_page_and_tiers_drawing_make_no_script_links(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix mzkg: <https://w3id.org/mzkg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<javascript:alert(1)> a mzkg:Programme ; rdfs:label "腳本項目"@zh-Hant, "script"@en .\n'
        '<https://w3id.org/mzkg/id/tier/cun> rdfs:label "<<a href=\\"javascript:alert(2)\\">村</a>>"@zh-Hant .\n',
        encoding="utf-8",
    )
    with TestClient(create_app(load([ROOT / "data", bad]))) as c:
        for page in (c.get("/").text, c.get("/tiers").text):
            assert 'href="javascript:' not in page and 'xlink:href="javascript:' not in page


def test_the_store_is_built_from_the_bytes_that_were_hashed(tmp_path, monkeypatch):
    """A file edited after it was read (and hashed) cannot leak into the store built under the old key."""
    monkeypatch.setattr(stores, "PREPARE_ABOVE_BYTES", 0)  # the prepared, cached store
    data = tmp_path / "data.ttl"
    data.write_text(SMALL, encoding="utf-8")
    kg = load([data])
    data.write_text(SMALL.replace("ex:c", "ex:edited"), encoding="utf-8")  # edited before the store is built
    assert run("ASK { ?s ?p <http://example.org/c> }", kg=kg).boolean is True
    assert run("ASK { ?s ?p <http://example.org/edited> }", kg=kg).boolean is False
    assert run("ASK { ?s ?p <http://example.org/edited> }", kg=load([data])).boolean is True  # a new key, a new store


def test_a_kept_alive_connection_that_never_finishes_its_next_head_is_closed():
    port = servers.free_port()
    proc = subprocess.Popen([EXE, "serve", "--port", str(port)], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        servers.wait_for(f"http://127.0.0.1:{port}/sparql?query=ASK%20%7B%7D", proc)
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            s.settimeout(10)
            assert s.recv(65536).startswith(b"HTTP/1.1 200")
            s.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the second head never ends
            s.settimeout(HEADER_SECONDS + 10)
            start = time.monotonic()
            while s.recv(65536):
                pass
            assert time.monotonic() - start < HEADER_SECONDS + 8
    finally:
        servers.stop(proc)


def test_json_ld_of_many_blank_nodes_is_valid_json_ld_with_every_triple(tmp_path):
    import pyoxigraph

    items = " ".join(f'"{i}"' for i in range(500))
    (tmp_path / "list.ttl").write_text(f"@prefix ex: <http://example.org/> .\nex:a ex:items ( {items} ) .\n", encoding="utf-8")
    for fmt in ("json-ld", "nt"):
        assert (
            _mzkg("--data", str(tmp_path / "list.ttl"), "export", "--format", fmt, "-o", str(tmp_path / f"out.{fmt}")).returncode
            == 0
        )
    ld = list(pyoxigraph.parse(path=str(tmp_path / "out.json-ld"), format=pyoxigraph.RdfFormat.JSON_LD))
    nt = list(pyoxigraph.parse(path=str(tmp_path / "out.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(ld) == len(nt) and not any(str(t.subject).startswith("<id:") for t in ld)
