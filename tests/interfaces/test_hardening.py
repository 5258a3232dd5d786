"""Bad input: every way in ends in mzkg's own one-line error, never a traceback, and nothing leaves the machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mzkg.core.engines import remote
from mzkg.core.errors import LoadError, QueryError, StoreError, UsageError
from mzkg.core.graph import KnowledgeGraph, load
from mzkg.core.results import GraphResult, QueryResult
from mzkg.core.service import run
from mzkg.features.gsp import count_graph
from mzkg.interfaces.cli import main
from support import servers
from support.paths import ROOT

VALID_TTL = (ROOT / "data" / "report.ttl").read_text(encoding="utf-8")[:4000]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ service <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/graph> WHERE {{ ?s ?p ?o }} LIMIT 1",
        "LOAD <http://127.0.0.1:{port}/graph>",
    ],
)
def test_no_connection_is_attempted(runner, listener, engine, template):
    port, sock = listener
    res = runner.invoke(main, ["query", "--engine", engine, "--sparql", template.format(port=port)])
    if "FROM" in template and engine == "oxigraph":
        assert res.exit_code == 0, res.output  # Oxigraph reads FROM as the name of a local graph: nothing to fetch
    else:
        assert res.exit_code == 2, res.output
        assert "not allowed" in res.output and "Traceback" not in res.output
    assert servers.nothing_arrived(sock), "mzkg opened a connection"


def test_allow_service_opts_in(runner, listener):
    port, sock = listener
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    # With the opt-in, the query really goes out: the listener sees the connection (and never answers).
    proc = subprocess.Popen(
        [sys.executable, "-m", "mzkg", "query", "--allow-service", "--sparql", query],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        sock.settimeout(60)
        conn, (peer, _) = sock.accept()
        conn.close()
        assert peer == "127.0.0.1"
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
    (tmp_path / "store").write_text("this is not RDF {{{ <<<", encoding="utf-8")
    (tmp_path / "sparql").write_text("<html>not json</html>", encoding="utf-8")
    port = servers.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        servers.wait_for(f"http://127.0.0.1:{port}/store", proc)
        with pytest.raises(StoreError, match="unreadable RDF"):
            count_graph(f"http://127.0.0.1:{port}/store", "urn:g")
        with pytest.raises(StoreError):  # http.server refuses the POST
            remote.run(f"http://127.0.0.1:{port}/sparql", "ASK {}", "ASK")
    finally:
        servers.stop(proc)


def test_an_endpoint_must_be_http():
    with pytest.raises(UsageError, match="http"):
        run("ASK {}", endpoint="file:///etc/passwd")


# --- property-based: random and mutated input gives mzkg's own errors only


def _fuzz(max_examples: int = 60):  # hypothesis is imported when a fuzz test runs: collection stays fast
    from hypothesis import settings
    from hypothesis import strategies as st

    def mutations(text: str):
        return st.tuples(st.integers(0, len(text)), st.integers(0, 40), st.text(max_size=12)).map(
            lambda t: text[: t[0]] + t[2] + text[t[0] + t[1] :]
        )

    return settings(max_examples=max_examples, deadline=None), st, mutations


def test_loader_raises_only_load_errors(tmp_path):
    from hypothesis import given

    fuzz, st, mutations = _fuzz()

    @fuzz
    @given(st.one_of(mutations(VALID_TTL), st.text(max_size=200), st.binary(max_size=200)))
    def only_load_errors(content: str | bytes) -> None:
        f = tmp_path / "fuzz.ttl"
        f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        for parse in (lambda kg: kg.store, lambda kg: kg.union()):
            try:
                parse(load([f]))
            except LoadError as e:  # any other exception fails the test
                assert str(e).startswith(str(f)) and "\n" not in str(e)

    only_load_errors()


QUERY = 'SELECT ?s ?l WHERE { ?s a mzkg:Programme ; rdfs:label ?l . FILTER (langMatches(lang(?l), "en")) } ORDER BY ?s LIMIT 5'


def test_queries_raise_only_query_errors(kg: KnowledgeGraph):
    from hypothesis import given

    fuzz, st, mutations = _fuzz()

    @fuzz
    @given(st.one_of(mutations(QUERY), st.text(max_size=120)))
    def only_query_errors(text: str) -> None:
        for engine in ("oxigraph", "rdflib"):
            try:
                result = run(text, kg=kg, engine=engine)
            except (QueryError, UsageError) as e:  # any other exception fails the test
                assert str(e) and "\n" not in str(e)
            else:  # an answer: a table whose rows fit its head, or a graph, and it can be written out
                if isinstance(result, QueryResult):
                    assert all(len(row) == len(result.vars) for row in result.rows)
                    written = json.loads(result.to_json())
                    if result.boolean is None:
                        assert written["head"]["vars"] == result.vars
                        assert len(written["results"]["bindings"]) == len(result.rows)
                    else:
                        assert written["boolean"] is result.boolean and not result.rows
                else:
                    assert isinstance(result, GraphResult)
                    assert bool(result.serialize("nt")) == bool(result.triples)

    only_query_errors()


def test_a_closed_or_full_standard_output_is_an_error_not_lost_output():
    """`mzkg stats >&-` and `mzkg query … > /dev/full` lose their output: exit 2 with one line, never 0."""
    exe = str(Path(sys.executable).parent / "mzkg")
    closed = subprocess.run(["sh", "-c", f'"{exe}" stats >&-'], capture_output=True, text=True, check=False)
    assert closed.returncode == 2 and closed.stderr.strip() == "mzkg: error: the standard output is closed"
    full = subprocess.run(["sh", "-c", f'"{exe}" query figures-2021 > /dev/full'], capture_output=True, text=True, check=False)
    assert full.returncode == 2 and "No space left on device" in full.stderr and "Traceback" not in full.stderr
    fine = subprocess.run([exe, "describe", "no-such-label-anywhere"], capture_output=True, text=True, check=False)
    assert fine.returncode == 1  # the command's own exit code survives the flush
