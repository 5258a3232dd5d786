"""A slice of the packaged graph for one named query: the triples the query can read, with fewer distractors.

rdflib joins a subquery or a FILTER EXISTS with every label in the graph before it filters; on the packaged
graph that makes a few named queries take minutes there and milliseconds on Oxigraph. A slice keeps every triple
of every predicate the query names, and the labels of the nodes it can reach through them (the objects of those
predicates, and the instances of the classes it names): a query that names every predicate it follows, as the
named queries do, has the same answer on the slice as on the whole graph. The tests check that on Oxigraph
before they compare the engines on it.
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from mzkg.core.graph import KnowledgeGraph
from mzkg.core.prefixes import PREFIXES
from mzkg.core.results import QueryResult

LABELS = {RDFS.label, SKOS.prefLabel, SKOS.altLabel}


def named_iris(text: str) -> set[URIRef]:
    """Every IRI the query text writes: full IRIs, prefixed names (its own prologue, then mzkg's table), and `a`."""
    prefixes = dict(PREFIXES) | dict(re.findall(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", text))
    body = re.sub(r"#[^\n]*", "", text)  # comments; no named query writes # inside a string or an IRI
    found = {URIRef(iri) for iri in re.findall(r"<([^>\s]+)>", body)}
    found |= {URIRef(prefixes[p] + local) for p, local in re.findall(r"\b([A-Za-z][\w-]*):([\w-]*)", body) if p in prefixes}
    if re.search(r"\sa\s", body):
        found.add(RDF.type)
    return found


def query_slice(
    kg: KnowledgeGraph, text: str, *, answer: QueryResult | None = None, sample: tuple[str, int] | None = None
) -> KnowledgeGraph:
    """The slice of `kg` that `text` reads. With `sample` (a class, n), of the instances of that class only those
    in `answer` and one in n of the others (in IRI order) are kept, and nothing that points to the others."""
    union = kg.union()
    read = named_iris(text)
    dropped: set[URIRef] = set()
    if sample is not None:
        cls, one_in = sample
        nodes = {t.value for row in (answer.rows if answer else []) for t in row if t is not None and t.kind == "uri"}
        others = [n for n in sorted(union.subjects(RDF.type, URIRef(cls))) if str(n) not in nodes]
        dropped = {n for i, n in enumerate(others) if i % one_in}
    out = Graph()
    reached: set[object] = set()
    for s, p, o in union:
        if p in read and p not in LABELS and s not in dropped and o not in dropped:
            out.add((s, p, o))
            reached.add(o)
            if p == RDF.type and o in read:
                reached.add(s)
    for p in LABELS & read:
        for s, o in union.subject_objects(p):
            if s in reached and s not in dropped:
                out.add((s, p, o))
    return KnowledgeGraph.from_graph(out)
