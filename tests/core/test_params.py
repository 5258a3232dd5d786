"""Parameters: values become RDF terms; a value can never change a query's structure, natively or as text."""

from __future__ import annotations

import pyoxigraph
import pytest

from mzkg.core.errors import UsageError
from mzkg.core.sparql.params import Param, bind, parse_pairs, parse_value, write_into_text
from mzkg.core.terms import Term

SLOT_QUERY = "SELECT ?v WHERE { VALUES ?v { UNDEF } }"


def _bound_value(term: Term) -> pyoxigraph.Literal | pyoxigraph.NamedNode:
    (solution,) = list(pyoxigraph.Store().query(write_into_text(SLOT_QUERY, {"v": term})))
    return solution["v"]


def test_value_kinds():
    assert parse_value("<urn:x>") == Term("uri", "urn:x")
    assert parse_value("https://w3id.org/mzkg/id/tier/jiedao") == Term("uri", "https://w3id.org/mzkg/id/tier/jiedao")
    assert parse_value("雙百工程") == Term("literal", "雙百工程")
    assert parse_value("<>") == Term("literal", "<>")
    with pytest.raises(UsageError, match="not a valid IRI"):
        parse_value("<urn:x> } SERVICE <http://x/>")


def test_pairs_and_binding():
    assert parse_pairs(("a=1", "b=x=y")) == {"a": "1", "b": "x=y"}
    with pytest.raises(UsageError, match="expected KEY=VALUE"):
        parse_pairs(("nope",))
    declared = {"label": Param("label", Term.literal("雙百工程"))}
    assert bind(declared, {}, named=True) == {"label": Term.literal("雙百工程")}
    assert bind(declared, {"label": "社區"}, named=True) == {"label": Term.literal("社區")}
    with pytest.raises(UsageError, match="unknown parameter"):
        bind(declared, {"x": "1"}, named=True)


@pytest.mark.parametrize(
    "term",
    [
        Term.literal("plain"),
        Term.literal('quote " and \\ backslash'),
        Term.literal("line\nbreak\r\ttab"),
        Term.literal("\\u0022 } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #"),
        Term.literal("zh", lang="zh-Hant"),
        Term.literal("42", datatype="http://www.w3.org/2001/XMLSchema#integer"),
        Term.iri("https://w3id.org/mzkg/id/tier/jiedao"),
    ],
)
def test_every_term_kind_is_written_as_itself(term):
    got = _bound_value(term)
    assert got.value == term.value
    if term.kind == "literal":
        assert (got.language or None) == (term.lang.lower() if term.lang else None)


def test_no_literal_value_breaks_out_of_its_slot():
    from hypothesis import given, settings  # imported when the test runs: collection stays fast
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.text())
    def stays_a_literal(value: str) -> None:
        got = _bound_value(Term.literal(value))
        assert isinstance(got, pyoxigraph.Literal) and got.value == value

    stays_a_literal()


def test_a_query_without_the_slot_cannot_take_the_parameter_as_text():
    with pytest.raises(UsageError, match="slot"):
        write_into_text("SELECT ?v WHERE { BIND (1 AS ?v) }", {"v": Term.literal("x")})
