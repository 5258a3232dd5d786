"""The read-only and local rules, decided on the parsed query: updates, SERVICE in any position, datasets."""

from __future__ import annotations

import pytest

from mzkg.core.errors import QueryError, QueryRefused
from mzkg.core.sparql.safety import check, inspect

SERVICE = "SERVICE <http://127.0.0.1:9/s> { ?a ?b ?c }"


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * WHERE {{ {SERVICE} }}",
        "SELECT * WHERE { service <http://127.0.0.1:9/s> { ?a ?b ?c } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/s> { ?a ?b ?c } }",
        f"SELECT * WHERE {{ ?s ?p ?o . {SERVICE} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ {SERVICE} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {SERVICE} }} }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ {SERVICE} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ {SERVICE} }} }}",
        f"ASK {{ GRAPH ?g {{ {SERVICE} }} }}",
        "CONSTRUCT { ?a ?b ?c } WHERE { SERVICE SILENT <http://127.0.0.1:9/s> { ?a ?b ?c } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?a ?b ?c } VALUES ?endpoint { <http://127.0.0.1:9/s> } }",
    ],
)
def test_service_is_found_wherever_it_stands(text):
    assert inspect(text).service
    with pytest.raises(QueryRefused, match="SERVICE"):
        check(text)
    assert check(text, allow_service=True).service


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/g>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "ADD <urn:a> TO <urn:b>",
        "PREFIX ex: <urn:x:> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(text):
    with pytest.raises(QueryRefused, match="Update"):
        inspect(text)


def test_a_digit_before_service_is_no_way_round():
    """`1SERVICE` is not a token any parser accepts: the query is refused as malformed, never run."""
    with pytest.raises(QueryError):
        check(f"SELECT * {{ ?s ?p 1{SERVICE} }} LIMIT 1")


def test_shape_reports_form_and_dataset():
    assert inspect("ASK {}").form == "ASK"
    assert inspect("DESCRIBE <urn:x>").form == "DESCRIBE"
    shape = inspect("SELECT * FROM <urn:a> FROM NAMED <urn:b> WHERE { ?s ?p ?o }")
    assert shape.form == "SELECT" and shape.has_dataset and shape.from_graphs == ("urn:a",) and shape.from_named == ("urn:b",)
    assert not inspect("SELECT * WHERE { ?service ?from ?o . ?x <urn:service> 'SERVICE FROM' }").service


def test_syntax_errors_name_line_and_column():
    with pytest.raises(QueryError, match="line 2, column"):
        inspect("SELECT ?x WHERE {\n  ?x ?y }")
    with pytest.raises(QueryError, match="empty query"):
        inspect("  ")


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("ASK {}", False),
        ("SELECT (1 + 1 AS ?x) WHERE {}", False),
        ("SELECT * WHERE { VALUES ?x { 1 2 3 } BIND (?x * 2 AS ?y) }", False),
        ("ASK { ?s ?p ?o }", True),
        ("SELECT * WHERE { FILTER EXISTS { ?s ?p ?o } }", True),
        ("SELECT * WHERE { GRAPH ?g {} }", True),
        ("SELECT * FROM <urn:g> WHERE {}", True),
        ("SELECT * WHERE { VALUES ?a { 1 2 } VALUES ?b { 3 4 } }", True),  # two tables join into a product
        ("SELECT * WHERE { VALUES ?a { 1 2 } } VALUES ?b { 3 4 }", True),
        ("CONSTRUCT { <urn:a> <urn:b> <urn:c> } WHERE {}", True),
    ],
)
def test_a_query_that_reads_no_data_is_known_from_its_parse(text, reads):
    from mzkg.core.sparql.safety import inspect

    assert inspect(text).reads_data is reads
