"""The entity graph as networkx: relationship paths, centrality, GraphML/GEXF export.

Built from the Oxigraph store: IRIs as nodes, predicates as edges; literals, typing, provenance and ontology
bookkeeping left out. Classification concepts (policy areas, periods, units, kinds of action, figure and money)
are left out too unless asked for: they join everything filed under them, and a path through "social assistance"
says nothing about how two things are related. So is a responsible actor the text does not name (such a
statement points to the reporting agency by default).
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass

import networkx as nx
import pyoxigraph

from ..core.errors import NotFound, UsageError
from ..core.graph import KnowledgeGraph
from ..core.prefixes import MZKG, PREFIXES, RDF_TYPE, curie
from ..core.terms import RDF_TYPE_NODE, value_of
from .lookup import Match, find_one, label

_RDFS, _SKOS, _OWL, _OA, _PROV = (PREFIXES[p] for p in ("rdfs", "skos", "owl", "oa", "prov"))
# Plumbing, not relationships: typing, scheme membership, provenance, the year hub and ontology bookkeeping.
SKIP_PREDICATES = {
    RDF_TYPE,
    _PROV + "wasDerivedFrom",
    _SKOS + "inScheme",
    _SKOS + "topConceptOf",
    _SKOS + "hasTopConcept",
    _RDFS + "isDefinedBy",
    _RDFS + "subClassOf",
    _RDFS + "subPropertyOf",
    _RDFS + "domain",
    _RDFS + "range",
    _OA + "hasSource",
    _OA + "hasSelector",
    MZKG + "reportedIn",
    MZKG + "period",
}
SKIP_TYPES = {
    _OA + "SpecificResource",
    _OA + "TextPositionSelector",
    _OA + "TextQuoteSelector",
    _OWL + "Class",
    _OWL + "ObjectProperty",
    _OWL + "DatatypeProperty",
    _OWL + "AnnotationProperty",
    _OWL + "Ontology",
    _SKOS + "ConceptScheme",
}
CONCEPT_TYPES = {
    MZKG + c for c in ("PolicyArea", "Period", "Unit", "Scale", "Hedge", "ActionType", "FigureKind", "MoneyKind", "DocumentType")
} | {PREFIXES["time"] + "Instant"}
CONCEPT_PREDICATES = {
    MZKG + p for p in ("policyArea", "actionType", "figureKind", "moneyKind", "unit", "scale", "hedge", "documentType")
}
FORMATS = ("graphml", "gexf")


def _subjects(store: pyoxigraph.Store, predicate: str, obj: pyoxigraph.NamedNode | pyoxigraph.Literal) -> set[str]:
    return {value_of(q.subject) for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), obj)}


def to_networkx(kg: KnowledgeGraph, *, with_concepts: bool = False) -> nx.MultiDiGraph[str]:
    """A networkx MultiDiGraph of the entities: IRIs as nodes (zh-Hant/en labels, class), predicates as edges.

    ``with_concepts`` keeps the classification concepts (policy areas, periods, units …) and their edges.
    """
    store = kg.store
    skip_predicates = SKIP_PREDICATES if with_concepts else SKIP_PREDICATES | CONCEPT_PREDICATES
    skip_nodes = set().union(
        *(
            _subjects(store, RDF_TYPE, pyoxigraph.NamedNode(t))
            for t in (SKIP_TYPES if with_concepts else SKIP_TYPES | CONCEPT_TYPES)
        )
    )
    implied = _subjects(store, MZKG + "responsibilityStated", pyoxigraph.Literal(False))
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()

    def add_node(iri: str) -> None:
        if iri not in out:
            types = sorted(
                curie(value_of(q.object)) for q in store.quads_for_pattern(pyoxigraph.NamedNode(iri), RDF_TYPE_NODE, None)
            )
            out.add_node(iri, label=label(store, iri), label_en=label(store, iri, "en"), type=", ".join(types))

    for q in store.quads_for_pattern(None, None, None):
        s, p, o = q.subject, q.predicate.value, q.object
        if (
            p in skip_predicates
            or p.startswith(_OWL)
            or not isinstance(s, pyoxigraph.NamedNode)
            or not isinstance(o, pyoxigraph.NamedNode)
            or s.value in skip_nodes
            or o.value in skip_nodes
            or (p == MZKG + "responsibleActor" and s.value in implied)
        ):
            continue
        add_node(s.value)
        add_node(o.value)
        pred = curie(p)
        if not out.has_edge(s.value, o.value, key=pred):
            out.add_edge(s.value, o.value, key=pred, predicate=pred, label=label(store, p))
    return out


@dataclass
class PathStep:
    node: str
    label: str
    predicate: str | None = None  # the edge into this node
    forward: bool = True


@dataclass
class PathResult:
    steps: list[PathStep]
    chosen: tuple[str, str]  # the entities the two labels were taken to mean
    others: tuple[list[Match], list[Match]]  # the other entities each label also matched


def shortest_path(kg: KnowledgeGraph, a: str, b: str, graph: nx.MultiDiGraph[str] | None = None) -> PathResult:
    """The shortest relationship path between two entities named by label (edges in either direction)."""
    graph = graph if graph is not None else to_networkx(kg)
    nodes = set(graph.nodes)
    (src, src_others), (dst, dst_others) = find_one(kg, a, among=nodes), find_one(kg, b, among=nodes)
    try:
        path = nx.shortest_path(graph.to_undirected(as_view=True), src.iri, dst.iri)
    except nx.NetworkXNoPath:
        raise NotFound(f"no path between {a!r} and {b!r}") from None
    steps = [PathStep(src.iri, graph.nodes[src.iri]["label"])]
    for u, v in itertools.pairwise(path):
        if graph.has_edge(u, v):
            pred, forward = next(iter(graph[u][v])), True
        else:
            pred, forward = next(iter(graph[v][u])), False
        steps.append(PathStep(v, graph.nodes[v]["label"], pred, forward))
    return PathResult(steps, (src.iri, dst.iri), (src_others, dst_others))


def centrality(kg: KnowledgeGraph, top: int = 10, graph: nx.MultiDiGraph[str] | None = None) -> list[tuple[str, str, int, float]]:
    """Entities ranked by degree, with betweenness centrality: (iri, label, degree, betweenness)."""
    graph = graph if graph is not None else to_networkx(kg)
    simple: nx.Graph[str] = nx.Graph(graph.to_undirected(as_view=True))
    between = nx.betweenness_centrality(simple)
    ranked = sorted(simple.nodes, key=lambda n: (-simple.degree(n), -between[n], n))
    return [(n, graph.nodes[n]["label"], simple.degree(n), between[n]) for n in ranked[:top]]


def serialize(graph: nx.MultiDiGraph[str], fmt: str) -> bytes:
    """The graph as GraphML or GEXF."""
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buf)
    elif fmt == "gexf":
        nx.write_gexf(graph, buf)
    else:
        raise UsageError(f"unknown graph format {fmt!r}; choose {' or '.join(FORMATS)}")
    return buf.getvalue()
