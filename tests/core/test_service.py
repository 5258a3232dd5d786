"""The query service: every named query's golden answer, the same answer from Oxigraph and rdflib, and the steps
(resolve, bind, read-only rules, engine) that every interface shares."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph
import pytest

from mzkg.core.errors import QueryError, QueryRefused, UsageError
from mzkg.core.prefixes import PREFIXES
from mzkg.core.results import GraphResult, QueryResult
from mzkg.core.service import Limits, run, select
from mzkg.core.sparql.catalogue import named_queries
from support import golden
from support.slices import query_slice

QUERIES = named_queries()
# rdflib takes minutes on these on the whole graph (it joins every label before it filters): they are compared on
# a slice of it that still holds their whole answer (checked below), every label of every node they can reach,
# labels in the other languages they must refuse, and, for indicator-series, the indicators of the answer and one
# in ten of the others (with their figures), which its FILTER EXISTS must refuse.
SLICED: dict[str, tuple[str, int] | None] = {"money-by-area": None, "indicator-series": (PREFIXES["mzkg"] + "Indicator", 10)}


@pytest.fixture(scope="module")
def rdflib_answers(kg):
    """rdflib is slow on some queries; run each once for the golden and the parity test."""
    cache: dict[str, QueryResult] = {}

    def answer(name: str) -> QueryResult:
        if name not in cache:
            result = run(name, kg=kg, engine="rdflib")
            assert isinstance(result, QueryResult)
            cache[name] = result
        return cache[name]

    return answer


def test_at_least_thirty_named_queries():
    assert len(QUERIES) >= 30


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_golden_answer(kg, name, update_golden):
    result = select(name, kg=kg)
    if True:
        assert len(result) > 0, f"{name} returns no rows"
    if update_golden:
        golden.save(name, result)
    expected = golden.load(name)
    assert result.vars == expected.vars
    assert result.canonical() == expected.canonical()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rdflib_and_oxigraph_agree(kg, rdflib_answers, name):
    if name in SLICED:
        whole = select(name, kg=kg)
        kg = query_slice(kg, QUERIES[name].text, answer=whole, sample=SLICED[name])
        b = select(name, kg=kg)
        assert b.canonical() == whole.canonical(), "the slice lost part of the answer"
        a = run(name, kg=kg, engine="rdflib")
        assert isinstance(a, QueryResult)
    else:
        a, b = rdflib_answers(name), select(name, kg=kg)
    assert a.vars == b.vars
    assert a.canonical() == b.canonical()


def test_every_golden_file_has_a_query():
    assert {p.stem for p in golden.path("x").parent.glob("*.json")} == set(QUERIES)


def test_parameters_are_bound_as_terms_on_both_engines(kg):
    for engine in ("oxigraph", "rdflib"):
        res = run("tasks-by-tier", {"tier": "街道"}, kg=kg, engine=engine)
        assert isinstance(res, QueryResult)
        assert {r["tier"] for r in res.records()} == {"街道"}
        assert len(res) == len({r["quote"] for r in res.records()}) == 3  # 街道 is one label in both scripts
    hostile = 'x" } ?s ?p ?o . FILTER(true) VALUES ?label { "y'
    assert len(select("provenance", {"label": hostile}, kg=kg)) == 0


def test_an_unknown_parameter_or_query_is_a_usage_error(kg):
    with pytest.raises(UsageError, match="unknown parameter 'nope'; this query takes: label"):
        run("provenance", {"nope": "x"}, kg=kg)
    with pytest.raises(UsageError, match="did you mean 'provenance'"):
        run("provenanc", kg=kg)


def test_inline_text_may_bind_any_projected_variable(kg):
    res = select("SELECT ?x WHERE { VALUES ?x { UNDEF } }", {"x": "五社聯動"}, kg=kg)
    assert [r["x"] for r in res.records()] == ["五社聯動"]
    with pytest.raises(UsageError, match="cannot bind"):
        run("SELECT ?x WHERE { ?x ?p ?o } LIMIT 1", {"y": "z"}, kg=kg)


def test_updates_service_and_from_follow_the_rules(kg):
    with pytest.raises(QueryRefused, match="Update"):
        run("INSERT DATA { <urn:a> <urn:b> <urn:c> }", kg=kg)
    with pytest.raises(QueryRefused, match="SERVICE"):
        run("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", kg=kg)
    # FROM names a local graph on Oxigraph; rdflib would fetch it, so it is refused there
    count = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/mzkg/graph/ontology/mzkg> WHERE { ?s ?p ?o }"
    ontology = next(s for s in kg.sources if s.graph.endswith("/graph/ontology/mzkg"))
    expected = sum(1 for _ in pyoxigraph.parse(ontology.data, format=pyoxigraph.RdfFormat.TURTLE))
    assert select(count, kg=kg).records() == [{"n": expected}]
    with pytest.raises(QueryRefused, match="FROM"):
        run(count, kg=kg, engine="rdflib")


def test_construct_and_describe_answer_graphs(kg):
    res = run("CONSTRUCT WHERE { ?n a mzkg:TieredNetwork }", kg=kg)
    assert isinstance(res, GraphResult) and len(res) == 4
    assert "mzkg:TieredNetwork" in res.serialize("turtle")
    described = run("DESCRIBE <https://w3id.org/mzkg/id/programme/shuangbai>", kg=kg)
    assert isinstance(described, GraphResult) and len(described) > 5
    with pytest.raises(QueryError, match="graph"):
        select("CONSTRUCT WHERE { ?s ?p ?o }", kg=kg)


def test_row_limit(kg):
    with pytest.raises(QueryError, match="more than 5 rows"):
        run("SELECT * WHERE { ?s ?p ?o }", kg=kg, limits=Limits(max_rows=5))


def test_graph_needs_an_endpoint(kg):
    with pytest.raises(UsageError, match="--graph goes with --endpoint"):
        run("agencies", kg=kg, graph="urn:g")


def test_the_library_query_answers_on_oxigraph_without_rdflib():
    code = "import sys, mzkg; r = mzkg.query('agencies'); assert len(r) > 0; assert 'rdflib' not in sys.modules; print('ok')"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"
