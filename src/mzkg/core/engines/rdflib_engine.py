"""Running a query with rdflib over the dataset: parameters bound as terms (`initBindings=`), the union of the
named graphs as the default graph. A dataset clause (FROM) is refused: rdflib would fetch it from the web."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Dataset, Literal, URIRef, Variable
from rdflib.plugins.sparql.processor import prepareQuery

from ..dataset import from_rdflib
from ..errors import QueryError, QueryRefused
from ..prefixes import PREFIXES
from ..results import QueryResult, Result
from ..sparql.safety import QueryShape
from ..terms import Term
from .oxigraph import is_ordered


def _rdflib_term(term: Term) -> URIRef | BNode | Literal:
    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    return Literal(term.value, lang=term.lang, datatype=URIRef(term.datatype) if term.datatype else None)


def run(dataset: Dataset, text: str, shape: QueryShape, terms: Mapping[str, Term] | None = None) -> Result:
    if shape.has_dataset:
        raise QueryRefused(
            "FROM / FROM NAMED is not allowed with rdflib, which would fetch the graph from the web: "
            "use the oxigraph engine, GRAPH, or --endpoint with --graph"
        )
    if shape.form not in ("SELECT", "ASK"):
        raise QueryError(f"the rdflib engine answers SELECT and ASK; run this {shape.form} on the oxigraph engine")
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
        res = dataset.query(prepared, initBindings={Variable(k): _rdflib_term(t) for k, t in (terms or {}).items()})
    except Exception as e:  # rdflib reports evaluation errors (bad cast, unbound prefix) as many types
        raise QueryError(f"query failed: {e}") from None
    if res.type == "ASK":
        return QueryResult([], [], boolean=bool(res.askAnswer))
    names = [str(v) for v in res.vars or []]
    rows = [tuple(from_rdflib(row[i]) for i in range(len(names))) for row in res]  # type: ignore[index]
    return QueryResult(names, rows, ordered=is_ordered(text))
