"""Terms: their SPARQL spelling, Python values, the engine-neutral form, and the Oxigraph conversion."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pyoxigraph
import pytest

from mzkg.core.errors import UsageError
from mzkg.core.terms import Term, bcp47_case, from_oxigraph, to_oxigraph

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_language_tags_get_their_usual_case():
    assert [bcp47_case(t) for t in ("zh-hant", "en", "zh-hant-tw", "sgn-be-fr", "az-latn-x-latn")] == [
        "zh-Hant",
        "en",
        "zh-Hant-TW",
        "sgn-BE-FR",
        "az-Latn-x-latn",
    ]


def test_n3_spelling():
    assert Term.literal('a "b"\n').n3() == '"a \\"b\\"\\n"'
    assert Term.literal("x", lang="zh-Hant").n3() == '"x"@zh-Hant'
    assert Term.literal("1", XSD + "integer").n3() == f'"1"^^<{XSD}integer>'
    assert Term.literal("x", XSD + "string").n3() == '"x"'
    assert Term.iri("urn:x").n3() == "<urn:x>"
    with pytest.raises(UsageError):
        Term("uri", "urn:x> <urn:y").n3()


@pytest.mark.parametrize(
    ("term", "value"),
    [
        (Term.literal("42", XSD + "integer"), 42),
        (Term.literal("1.5", XSD + "decimal"), Decimal("1.5")),
        (Term.literal("2.5", XSD + "double"), 2.5),
        (Term.literal("2022-01-10", XSD + "date"), datetime.date(2022, 1, 10)),
        (Term.literal("true", XSD + "boolean"), True),
        (Term.literal("x"), "x"),
        (Term.literal("zz", XSD + "integer"), "zz"),
    ],
)
def test_python_values(term, value):
    assert term.to_python() == value


def test_normalised_hides_engine_differences():
    a = Term.literal("300000000.0", XSD + "decimal").normalised()
    b = Term.literal("300000000", XSD + "decimal").normalised()
    assert a == b
    assert Term.literal("5", XSD + "positiveInteger").normalised() == Term.literal("5", XSD + "integer").normalised()
    assert Term.literal("x", lang="zh-Hant").normalised() == Term.literal("x", lang="zh-hant").normalised()
    assert Term.literal("0", XSD + "boolean").normalised() == Term.literal("false", XSD + "boolean").normalised()


@pytest.mark.parametrize(
    "term",
    [
        Term.iri("urn:x"),
        Term("bnode", "b0"),
        Term.literal("x"),
        Term.literal("x", lang="zh-Hant"),
        Term.literal("1", XSD + "integer"),
    ],
)
def test_oxigraph_round_trip(term):
    assert from_oxigraph(to_oxigraph(term)) == term
    assert from_oxigraph(None) is None
    assert from_oxigraph(pyoxigraph.Literal("x", language="zh-hant")) == Term.literal("x", lang="zh-Hant")
