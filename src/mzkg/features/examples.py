"""The competency questions as published SPARQL examples: each named query as a SHACL `sh:SPARQLExecutable`
(`sh:select`, `sh:ask`, `sh:construct` or `sh:describe` with the query text), its question as `rdfs:comment` in
English, Traditional and Simplified Chinese, and `schema:target` the dataset — the form public endpoints use
for their example queries. Shipped in the release and served at `/.well-known/sparql-examples`."""

from __future__ import annotations

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ..core.dataset import bind_prefixes
from ..core.namespaces import SCHEMA
from ..core.prefixes import PREFIXES
from ..core.sparql.catalogue import named_queries

DATASET = URIRef("https://w3id.org/mzkg/dataset")
EXAMPLES = "https://w3id.org/mzkg/dataset/sparql-examples/"
_SH = str(SH)
FORMS = {
    form: (URIRef(_SH + form.lower()), URIRef(f"{_SH}SPARQL{form.capitalize()}Executable"))
    for form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
}  # sh:describe and its class are the sparql-examples convention (SHACL itself names select, ask and construct)


def _form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE. Oxigraph answers a query on an empty store at once, and the kind of its
    answer is the form; only a graph answer needs rdflib's parser (some 50 ms a query) to tell the two graph forms
    apart."""
    answer = pyoxigraph.Store().query(text, prefixes=PREFIXES)
    if isinstance(answer, pyoxigraph.QuerySolutions):
        return "SELECT"
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return "ASK"
    from rdflib.plugins.sparql import prepareQuery  # noqa: PLC0415 - rdflib's parser tells the graph forms apart

    name = prepareQuery(text).algebra.name  # ConstructQuery or DescribeQuery
    return name.removesuffix("Query").upper()


def sparql_examples() -> Graph:
    """Every named query as a SPARQL example."""
    import opencc  # noqa: PLC0415 - a dependency only of the commands that publish

    t2s = opencc.OpenCC("t2s")
    g = Graph()
    bind_prefixes(g)
    g.bind("sh", SH)
    g.bind("schema", SCHEMA)
    for name, q in sorted(named_queries().items()):
        node = URIRef(EXAMPLES + name)
        prop, cls = FORMS[_form(q.text)]
        g.add((node, RDF.type, URIRef(_SH + "SPARQLExecutable")))
        g.add((node, RDF.type, cls))
        g.add((node, prop, Literal(q.text)))
        g.add((node, RDFS.label, Literal(q.title or name)))
        if q.question_en:
            g.add((node, RDFS.comment, Literal(q.question_en, lang="en")))
        if q.question_zh:
            g.add((node, RDFS.comment, Literal(q.question_zh, lang="zh-Hant")))
            g.add((node, RDFS.comment, Literal(t2s.convert(q.question_zh), lang="zh-Hans")))
        g.add((node, SCHEMA.target, DATASET))
        g.add((node, SCHEMA.identifier, Literal(name)))
    return g
