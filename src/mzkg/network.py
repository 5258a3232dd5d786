"""The entity graph as networkx: relationship paths, centrality, GraphML/GEXF export."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from .errors import MzkgError
from .graph import KnowledgeGraph
from .namespaces import MZKG, OA

LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def _fold(s: str) -> str:
    return s.casefold().strip()


def find(kg: KnowledgeGraph, label: str) -> list[URIRef]:
    """Entities whose label equals the text (any script or language); failing that, contains it."""
    g = kg.dataset
    want = _fold(label)
    exact, partial = set(), set()
    for pred in LABELS:
        for s, o in g.subject_objects(pred):
            if not isinstance(s, URIRef) or not isinstance(o, Literal):
                continue
            text = _fold(str(o))
            if text == want:
                exact.add(s)
            elif want and want in text:
                partial.add(s)
    return sorted(exact) if exact else sorted(partial)


def label(kg: KnowledgeGraph, node, lang: str = "zh-Hant") -> str:
    """The node's label in a language (zh-Hant by default), else any label, else its IRI."""
    g = kg.dataset
    if isinstance(node, Literal):
        return str(node)
    labels = [o for p in (RDFS.label, SKOS.prefLabel) for o in g.objects(node, p) if isinstance(o, Literal)]
    for lit in labels:
        if (lit.language or "").lower() == lang.lower():
            return str(lit)
    if labels:
        return str(labels[0])
    return g.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)


# Plumbing, not relationships: typing, scheme membership, provenance, the year hub and ontology bookkeeping.
_SKIP_PREDICATES = {RDF.type, PROV.wasDerivedFrom, SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept,
                    RDFS.isDefinedBy, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                    OA.hasSource, OA.hasSelector, MZKG.reportedIn, MZKG.period}
_SKIP_TYPES = {OA.SpecificResource, OA.TextPositionSelector, OA.TextQuoteSelector, OWL.Class, OWL.ObjectProperty,
               OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology, SKOS.ConceptScheme}


def to_networkx(kg: KnowledgeGraph):
    """A networkx MultiDiGraph of the entities: IRIs as nodes (with zh-Hant/en labels and class), predicates as edges."""
    import networkx as nx

    g = kg.dataset
    nm = g.namespace_manager
    skip_nodes = {s for t in _SKIP_TYPES for s in g.subjects(RDF.type, t)}
    out = nx.MultiDiGraph()

    def add_node(n: URIRef) -> None:
        if n not in out:
            types = sorted(nm.normalizeUri(t) for t in g.objects(n, RDF.type))
            out.add_node(str(n), label=label(kg, n), label_en=label(kg, n, "en"), type=", ".join(types))

    for s, p, o in g.triples((None, None, None)):
        if (p in _SKIP_PREDICATES or isinstance(o, Literal) or not isinstance(s, URIRef) or not isinstance(o, URIRef)
                or s in skip_nodes or o in skip_nodes or str(p).startswith(str(OWL))):
            continue
        add_node(s)
        add_node(o)
        pred = nm.normalizeUri(p)
        if not out.has_edge(str(s), str(o), key=pred):
            out.add_edge(str(s), str(o), key=pred, predicate=pred, label=label(kg, p))
    return out


def _one(kg: KnowledgeGraph, graph, text: str) -> str:
    candidates = [str(n) for n in find(kg, text) if str(n) in graph]
    if not candidates:
        raise MzkgError(f"no entity in the graph has a label equal to or containing {text!r}")
    return candidates[0]


@dataclass
class PathStep:
    node: str
    label: str
    predicate: str | None = None  # the edge into this node
    forward: bool = True


def shortest_path(kg: KnowledgeGraph, a: str, b: str, graph=None) -> list[PathStep]:
    """The shortest relationship path between two entities named by label (edges in either direction)."""
    import networkx as nx

    graph = graph if graph is not None else to_networkx(kg)
    src, dst = _one(kg, graph, a), _one(kg, graph, b)
    try:
        nodes = nx.shortest_path(graph.to_undirected(as_view=True), src, dst)
    except nx.NetworkXNoPath:
        raise MzkgError(f"no path between {a!r} and {b!r}") from None
    steps = [PathStep(src, graph.nodes[src]["label"])]
    for u, v in zip(nodes, nodes[1:]):
        if graph.has_edge(u, v):
            pred, forward = next(iter(graph[u][v])), True
        else:
            pred, forward = next(iter(graph[v][u])), False
        steps.append(PathStep(v, graph.nodes[v]["label"], pred, forward))
    return steps


def centrality(kg: KnowledgeGraph, top: int = 10, graph=None) -> list[tuple[str, str, int, float]]:
    """Entities ranked by degree, with betweenness centrality: (iri, label, degree, betweenness)."""
    import networkx as nx

    graph = graph if graph is not None else to_networkx(kg)
    simple = nx.Graph(graph.to_undirected(as_view=True))
    between = nx.betweenness_centrality(simple)
    ranked = sorted(simple.nodes, key=lambda n: (-simple.degree(n), -between[n], n))
    return [(n, graph.nodes[n]["label"], simple.degree(n), between[n]) for n in ranked[:top]]


def write(graph, fmt: str, path) -> None:
    """Write GraphML or GEXF."""
    import networkx as nx

    writers = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
    if fmt not in writers:
        raise MzkgError(f"unknown graph format {fmt!r}; choose graphml or gexf")
    # Both formats want plain graphs keyed simply; keep every edge with its predicate.
    flat = nx.MultiDiGraph()
    flat.add_nodes_from(graph.nodes(data=True))
    for u, v, k, d in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **d)
    writers[fmt](flat, path)
