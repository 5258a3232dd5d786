"""Every named query: its header, its golden answer, and the same answer from rdflib and Oxigraph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mzkg import paths
from mzkg.queries import _values_block, named_queries, oxigraph_store, run_oxigraph, run_rdflib
from mzkg.results import QueryResult, Term

GOLDEN = Path(__file__).parent / "golden"
QUERIES = named_queries()


def test_at_least_thirty_named_queries():
    assert len(QUERIES) >= 30


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header(name):
    q = QUERIES[name]
    assert q.title and q.question_zh and q.question_en, name
    for param in q.params:
        assert _values_block(param).search(q.text), f"{name}: parameter {param} has no default VALUES row"


@pytest.fixture(scope="module")
def store(kg):
    return oxigraph_store(kg)


@pytest.fixture(scope="module")
def rdflib_answers(kg):
    """rdflib is slow on some queries; run each once for both the golden and the engine test."""
    cache: dict[str, QueryResult] = {}

    def answer(name: str) -> QueryResult:
        if name not in cache:
            cache[name] = run_rdflib(kg, QUERIES[name].text)
        return cache[name]

    return answer


def _load_golden(path: Path) -> QueryResult:
    doc = json.loads(path.read_text(encoding="utf-8"))
    names = doc["head"]["vars"]
    rows = []
    for b in doc["results"]["bindings"]:
        row = []
        for v in names:
            t = b.get(v)
            row.append(None if t is None else Term(t["type"], t["value"], t.get("datatype"), t.get("xml:lang")))
        rows.append(tuple(row))
    return QueryResult(names, rows, ordered=doc.get("ordered", False))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_golden_answer(rdflib_answers, name, request):
    result = rdflib_answers(name)
    assert len(result) > 0, f"{name} returns no rows"
    path = GOLDEN / f"{name}.json"
    if request.config.getoption("--update-golden"):
        doc = json.loads(result.to_json())
        doc["ordered"] = result.ordered
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = _load_golden(path)
    assert result.vars == expected.vars
    assert result.canonical() == expected.canonical()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_rdflib_and_oxigraph_agree(rdflib_answers, store, name):
    a = rdflib_answers(name)
    b = run_oxigraph(store, QUERIES[name].text)
    assert a.vars == b.vars
    assert a.canonical() == b.canonical()


def test_every_golden_file_has_a_query():
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(QUERIES)


def test_queries_folder_is_the_packaged_one():
    assert {p.stem for p in paths.queries_dir().glob("*.rq")} == set(QUERIES)
