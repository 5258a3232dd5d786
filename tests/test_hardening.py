"""Bad input: every way in ends in mzkg's own one-line error, never a traceback, and nothing leaves the machine."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mzkg import fast
from mzkg.cli import main
from mzkg.errors import LoadError, MzkgError, QueryError, StoreError
from mzkg.graph import load

from . import servers

DATA = Path(__file__).parent / "data"
VALID_TTL = (Path(__file__).resolve().parent.parent / "data" / "report.ttl").read_text(encoding="utf-8")[:4000]


@pytest.fixture
def listener():
    """A socket listening on loopback that must receive no connection."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.5)
    yield sock.getsockname()[1], sock
    sock.close()


def _nothing_arrived(sock) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return True
    conn.close()
    return False


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ service <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/graph> WHERE {{ ?s ?p ?o }} LIMIT 1",
    "LOAD <http://127.0.0.1:{port}/graph>",
])
def test_no_connection_is_attempted(runner, listener, engine, template):
    port, sock = listener
    res = runner.invoke(main, ["query", "--engine", engine, "--sparql", template.format(port=port)])
    if "FROM" in template and engine == "oxigraph":
        assert res.exit_code == 0  # Oxigraph reads FROM as the name of a local graph: nothing to fetch
    else:
        assert res.exit_code == 2, res.output
        assert "not allowed" in res.output and "Traceback" not in res.output
    assert _nothing_arrived(sock), "mzkg opened a connection"


def test_allow_service_opts_in(runner, listener):
    port, sock = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    # With the opt-in, the query really goes out: the listener sees the connection (and never answers).
    proc = subprocess.Popen([sys.executable, "-m", "mzkg", "query", "--allow-service", "--sparql", query],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sock.settimeout(60)
        conn, _ = sock.accept()
        conn.close()
    finally:
        proc.kill()
        proc.wait()


def test_undeclared_prefix_names_file_and_line(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a nope:b ex:c .\n", encoding="utf-8")
    for args in (["stats"], ["query", "headlines"]):
        res = runner.invoke(main, ["--data", str(bad), *args])
        assert res.exit_code == 2 and "bad.ttl:3" in res.output and "Traceback" not in res.output, res.output


def test_a_store_that_answers_garbage(tmp_path):
    from mzkg.remote import remote_query
    from mzkg.stores import count_graph

    (tmp_path / "store").write_text("this is not RDF {{{ <<<", encoding="utf-8")
    (tmp_path / "sparql").write_text("<html>not json</html>", encoding="utf-8")
    port = servers.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        servers.wait_for(f"http://127.0.0.1:{port}/store", proc)
        with pytest.raises(StoreError, match="unreadable RDF"):
            count_graph(f"http://127.0.0.1:{port}/store", "urn:g")
        with pytest.raises(StoreError):  # http.server refuses the POST
            remote_query(f"http://127.0.0.1:{port}/sparql", "ASK {}")
    finally:
        servers.stop(proc)
    from mzkg.remote import parse_results_json

    with pytest.raises(StoreError, match="SPARQL JSON"):
        parse_results_json(b"<html>not json</html>")
    with pytest.raises(StoreError, match="malformed"):
        parse_results_json(b'{"head": {"vars": ["x"]}, "results": {}}')


# --- property-based: random and mutated input gives mzkg's own errors only

def _mutations(text: str):
    return st.tuples(st.integers(0, len(text)), st.integers(0, 40), st.text(max_size=12)).map(
        lambda t: text[:t[0]] + t[2] + text[t[0] + t[1]:])


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.one_of(_mutations(VALID_TTL), st.text(max_size=200), st.binary(max_size=200)))
def test_loader_raises_only_load_errors(tmp_path, content):
    f = tmp_path / "fuzz.ttl"
    f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    for loader in (lambda: load([f]), lambda: fast.load_store([f])):
        try:
            loader()
        except LoadError:
            pass


QUERY = "SELECT ?s ?l WHERE { ?s a mzkg:Programme ; rdfs:label ?l . FILTER (langMatches(lang(?l), \"en\")) } ORDER BY ?s LIMIT 5"


@pytest.fixture(scope="module")
def store():
    return fast.load_store()


@SETTINGS
@given(st.one_of(_mutations(QUERY), st.text(max_size=120)))
def test_queries_raise_only_query_errors(store, kg, text):
    from mzkg.queries import query

    for run in (lambda: fast.run(store, text), lambda: query(kg, text)):
        try:
            run()
        except MzkgError as e:
            assert isinstance(e, (QueryError, LoadError)), e
