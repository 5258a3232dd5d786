"""Real stores: load with the Graph Store Protocol into Oxigraph and Virtuoso, query them, serve locally."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mzkg.core.engines import remote
from mzkg.core.results import QueryResult
from mzkg.core.service import run
from mzkg.core.sparql.catalogue import named_queries
from mzkg.interfaces.cli import main
from support import golden, servers

GRAPH = "https://w3id.org/mzkg/graph/guangdong-2022"
QUERIES = named_queries()
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("stores")]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    proc, base = servers.start_oxigraph(tmp_path_factory.mktemp("ox"))
    yield base
    servers.stop(proc)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    proc, base, sql_port = servers.start_virtuoso(tmp_path_factory.mktemp("virt"))
    yield base
    servers.stop_virtuoso(proc, sql_port)


@pytest.fixture
def dba(monkeypatch):
    monkeypatch.setenv("MZKG_STORE_USER", "dba")
    monkeypatch.setenv("MZKG_STORE_PASSWORD", "dba")


def _ask(endpoint: str, text: str, graph: str | None = None) -> QueryResult:
    result = run(text, endpoint=endpoint, graph=graph)
    assert isinstance(result, QueryResult)
    return result


def _count(endpoint: str) -> int:
    return _ask(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}").records()[0]["n"]


def _load_twice(runner, gsp: str, endpoint: str, kg) -> None:
    for _ in range(2):  # a re-load replaces the graph: the count stays the same
        res = runner.invoke(main, ["load", gsp, "--graph", GRAPH])
        assert res.exit_code == 0, res.output
        assert f"ok: {len(kg)} triples" in res.output
        assert _count(endpoint) == len(kg)


def _all_queries_match_golden(endpoint: str) -> None:
    for name in QUERIES:
        got = _ask(endpoint, name, GRAPH)  # parameters' defaults written into their slots
        expected = golden.load(name)
        assert got.vars == expected.vars, name
        assert got.canonical() == expected.canonical(), name


def test_oxigraph_load_count_reload_and_queries(runner, oxigraph, kg, caplog):
    _load_twice(runner, f"{oxigraph}/store", f"{oxigraph}/query", kg)
    _all_queries_match_golden(f"{oxigraph}/query")
    res = runner.invoke(main, ["query", "network-tiers", "--endpoint", f"{oxigraph}/query", "--graph", GRAPH, "--format", "csv"])
    assert res.exit_code == 0 and res.output.count("\n") == 14
    with caplog.at_level(logging.WARNING, logger="mzkg"):
        res = runner.invoke(main, ["query", "network-tiers", "--endpoint", f"{oxigraph}/query"])
    assert res.exit_code == 0 and "(0 rows)" in res.output
    assert "--graph" in caplog.text  # the data is in a named graph: the hint says how to reach it


def test_virtuoso_load_with_digest_auth_count_reload_and_queries(runner, virtuoso, kg, dba):
    _load_twice(runner, f"{virtuoso}/sparql-graph-crud-auth", f"{virtuoso}/sparql", kg)
    _all_queries_match_golden(f"{virtuoso}/sparql")


def test_virtuoso_without_credentials_is_refused_in_one_line(runner, virtuoso, monkeypatch):
    monkeypatch.delenv("MZKG_STORE_USER", raising=False)
    res = runner.invoke(main, ["load", f"{virtuoso}/sparql-graph-crud-auth", "--graph", GRAPH])
    assert res.exit_code == 2
    assert "401" in res.output and "MZKG_STORE_USER" in res.output and "Traceback" not in res.output


def test_a_stopped_store_gives_exit_2_and_one_line(runner):
    port = servers.free_port()  # nothing listens here
    res = runner.invoke(main, ["load", f"http://127.0.0.1:{port}/store", "--graph", GRAPH])
    assert res.exit_code == 2
    lines = [x for x in res.output.splitlines() if x.startswith("mzkg: error")]
    assert len(lines) == 1 and "cannot connect" in lines[0]
    res = runner.invoke(main, ["query", "headlines", "--endpoint", f"http://127.0.0.1:{port}/sparql"])
    assert res.exit_code == 2 and "cannot connect" in res.output


@pytest.fixture(scope="module")
def served():
    port = servers.free_port()
    exe = Path(sys.executable).parent / "mzkg"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/sparql"
    try:
        servers.wait_for(base + "?query=" + urllib.parse.quote("ASK {}"), proc)
        yield base
    finally:
        servers.stop(proc)


def test_serve_answers_get_and_post(served):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/mzkg/ontology#Task> }"
    with urllib.request.urlopen(served + "?query=" + urllib.parse.quote(q)) as resp:
        assert resp.headers["Content-Type"].startswith("application/sparql-results+json")
        n = int(json.load(resp)["results"]["bindings"][0]["n"]["value"])
    assert n > 50
    req = urllib.request.Request(
        served, data=q.encode(), headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    )
    with urllib.request.urlopen(req) as resp:
        assert resp.read().decode().splitlines() == ["n", str(n)]
    assert remote.run(served, q, "SELECT").records() == [{"n": n}]
    for name in ("kuasheng-services", "network-tiers"):
        assert _ask(served, name).canonical() == golden.load(name).canonical()


@pytest.mark.parametrize("how", ["form", "body", "get"])
def test_serve_refuses_updates(served, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "form":
        req = urllib.request.Request(served, data=urllib.parse.urlencode({"update": update}).encode())
    elif how == "body":
        req = urllib.request.Request(served, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    else:
        req = urllib.request.Request(served + "?update=" + urllib.parse.quote(update))
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    err.value.close()
    assert 400 <= err.value.code < 500
    # the graph is unchanged
    assert _ask(served, "ASK { <urn:a> <urn:b> <urn:c> }").boolean is False


def test_serve_refuses_service_and_bad_queries(served):
    for q, code in (("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403), ("SELECT WHERE", 400)):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(served + "?query=" + urllib.parse.quote(q))
        err.value.close()
        assert err.value.code == code


def test_every_query_file_runs_unchanged_on_an_oxigraph_server_loaded_from_the_release_turtle(tmp_path, kg):
    """What a data engineer does: load the release's Turtle into a store's default graph, send each
    queries/*.rq file as it is (no prologue added, no parameter written in), get the golden answer."""
    import httpx
    import pyoxigraph

    from mzkg.core.engines.oxigraph import is_ordered
    from mzkg.core.terms import from_oxigraph

    proc, base = servers.start_oxigraph(tmp_path)
    try:
        turtle = kg.export("turtle").encode("utf-8")
        put = httpx.post(f"{base}/store?default", content=turtle, headers={"Content-Type": "text/turtle"}, timeout=60)
        assert put.status_code in (200, 201, 204), put.text
        for name, query in sorted(QUERIES.items()):
            assert query.path is not None
            text = query.path.read_text(encoding="utf-8")
            res = httpx.post(
                f"{base}/query",
                content=text.encode("utf-8"),
                headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
                timeout=60,
            )
            assert res.status_code == 200, f"{name}: {res.text[:200]}"
            parsed = pyoxigraph.parse_query_results(res.content, format=pyoxigraph.QueryResultsFormat.JSON)
            names = [v.value for v in parsed.variables]
            rows = [tuple(from_oxigraph(s[i]) for i in range(len(names))) for s in parsed]
            got = QueryResult(names, rows, ordered=is_ordered(text))
            expected = golden.load(name)
            assert got.vars == expected.vars, name
            # a parameter left unbound (VALUES ?p { UNDEF }) answers with its default, but its own column is empty
            keep = [i for i, v in enumerate(got.vars) if v not in query.params]
            assert all(row[i] is None for row in got.rows for i, v in enumerate(got.vars) if v in query.params), name

            def columns(rows, keep=keep):
                return [tuple(row[i] for i in keep) for row in rows]

            assert columns(got.canonical()) == columns(expected.canonical()), name
    finally:
        servers.stop(proc)
