"""Finding entities by label in any script or language, and describing them with their sources."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from .graph import KnowledgeGraph
from .namespaces import OA

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
    return str(labels[0]) if labels else kg.dataset.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)


def quotes(kg: KnowledgeGraph, node) -> list[str]:
    """The exact source quotes a node is derived from."""
    g = kg.dataset
    out = []
    for r in g.objects(node, PROV.wasDerivedFrom):
        for sel in g.objects(r, OA.hasSelector):
            exact = g.value(sel, OA.exact)
            if exact is not None:
                out.append(str(exact))
    return sorted(set(out))


@dataclass
class Description:
    iri: str
    labels: list[str]
    types: list[str]
    facts: list[tuple[str, str]] = field(default_factory=list)
    incoming: list[tuple[str, str, list[str]]] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = [self.iri, "  labels: " + " | ".join(self.labels), "  types: " + ", ".join(self.types)]
        out += [f"  {p}: {o}" for p, o in self.facts]
        out += [f"  source: 「{q}」" for q in self.quotes]
        if self.incoming:
            out.append("  mentioned by:")
            for p, s, qs in self.incoming:
                out.append(f"    {p} ← {s}")
                out += [f"      「{q}」" for q in qs]
        return "\n".join(out) + "\n"


def describe(kg: KnowledgeGraph, text: str) -> list[Description]:
    """Every fact about the entities with this label, each with the quote it comes from."""
    g = kg.dataset
    nm = g.namespace_manager
    result = []
    for node in find(kg, text):
        labels = sorted(f"{o}@{o.language}" for p in LABELS for o in g.objects(node, p) if isinstance(o, Literal))
        types = sorted(nm.normalizeUri(t) for t in g.objects(node, RDF.type))
        facts = []
        for p, o in sorted(set(g.predicate_objects(node))):
            if p in LABELS or p in (RDF.type, PROV.wasDerivedFrom):
                continue
            shown = f"{label(kg, o)} ({nm.normalizeUri(o)})" if isinstance(o, URIRef) else str(o)
            facts.append((nm.normalizeUri(p), shown))
        incoming = []
        for s, p in sorted(set(g.subject_predicates(node))):
            if p == PROV.wasDerivedFrom:
                continue
            incoming.append((nm.normalizeUri(p), label(kg, s), quotes(kg, s)))
        result.append(Description(str(node), labels, types, facts, incoming, quotes(kg, node)))
    return result


def stats(kg: KnowledgeGraph) -> dict:
    """Triples, entities per class and the triples of each source file."""
    g = kg.dataset
    per_class = Counter(g.namespace_manager.normalizeUri(c) for s, c in set(g.subject_objects(RDF.type)) if isinstance(c, URIRef))
    return {
        "triples": len(kg),
        "classes": dict(sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sources": {str(path): len(g.graph(iri)) for iri, path in kg.sources.items()},
    }
