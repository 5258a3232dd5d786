"""The catalogue of named queries: headers, parameters, standalone SPARQL, and the proof that every packaged
query is read-only and local (which is why the service need not parse them)."""

from __future__ import annotations

import pyoxigraph
import pytest

from mzkg.core import resources
from mzkg.core.errors import UsageError
from mzkg.core.sparql import safety
from mzkg.core.sparql.catalogue import NamedQuery, named_queries, resolve
from mzkg.core.sparql.params import slot

QUERIES = named_queries()
CHECKS = [NamedQuery.from_file(p, trusted=True) for p in sorted((resources.queries_dir() / "checks").glob("*.rq"))]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header(name):
    q = QUERIES[name]
    assert q.title and q.question_zh and q.question_en, name
    assert q.trusted


@pytest.mark.parametrize("query", list(QUERIES.values()) + CHECKS, ids=lambda q: q.name)
def test_packaged_queries_are_read_only_local_and_name_no_dataset(query):
    shape = safety.check(query.text)
    assert not shape.service and not shape.has_dataset
    assert shape.form in ("SELECT", "ASK")


@pytest.mark.parametrize("query", list(QUERIES.values()) + CHECKS, ids=lambda q: q.name)
def test_every_query_file_is_standalone_sparql(query):
    """No prefixes given: the file declares what it uses, so it runs on any store as shipped."""
    assert isinstance(pyoxigraph.Store().query(query.text), pyoxigraph.QuerySolutions)


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.params))
def test_parameters_are_projected_with_a_slot_and_a_default(name):
    q = QUERIES[name]
    select_clause = q.text[q.text.index("SELECT") : q.text.index("WHERE")]
    for param in q.params.values():
        assert f"?{param.name}" in select_clause, f"{name}: {param.name} is not projected"
        assert slot(param.name).search(q.text), f"{name}: no VALUES ?{param.name} {{ UNDEF }} slot"
        assert f"COALESCE(?{param.name}, {param.default.n3()})" in q.text, f"{name}: default differs from the header"


def test_header_is_parsed():
    q = NamedQuery.parse(
        "x",
        "# title: T\n# question (zh): 問\n# question (en): Q\n# param: label = 雙百 — a label\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?label WHERE {}\n",
    )
    assert (q.title, q.question_zh, q.question_en) == ("T", "問", "Q")
    assert q.params["label"].default.value == "雙百" and q.params["label"].description == "a label"


def test_resolve_names_files_and_text(tmp_path):
    assert resolve("agencies").trusted
    rq = tmp_path / "mine.rq"
    rq.write_text("ASK {}", encoding="utf-8")
    mine = resolve(str(rq))
    assert mine.text == "ASK {}" and not mine.trusted
    assert not resolve("ASK { ?s ?p ?o }").trusted
    with pytest.raises(UsageError, match="no such query file"):
        resolve(str(tmp_path / "missing.rq"))
