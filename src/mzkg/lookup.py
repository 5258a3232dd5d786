"""Finding entities by label in any script or language, and describing them with their sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store path below never imports rdflib
    from .graph import KnowledgeGraph


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


# The description is read with SPARQL so that it runs on the fast Oxigraph path as well.
_LABELS = "rdfs:label|skos:prefLabel|skos:altLabel"
_FIND = f"""SELECT ?e ?exact (MIN(STRLEN(STR(?l))) AS ?length) WHERE {{
  ?e {_LABELS} ?l . FILTER (isIRI(?e))
  BIND (LCASE(STR(?l)) = LCASE(?want) AS ?exact)
  FILTER (?exact || CONTAINS(LCASE(STR(?l)), LCASE(?want)))
}} GROUP BY ?e ?exact"""
_OUT = """SELECT ?p ?o ?o_label WHERE {
  ?e ?p ?o .
  FILTER (?p NOT IN (rdf:type, prov:wasDerivedFrom, rdfs:label, skos:prefLabel, skos:altLabel))
  OPTIONAL { ?o rdfs:label ?o_label . FILTER (langMatches(lang(?o_label), "zh-Hant")) }
} ORDER BY STR(?p) STR(?o)"""
_IN = """SELECT ?s ?p ?s_label ?quote WHERE {
  ?s ?p ?e . FILTER (?p != prov:wasDerivedFrom)
  OPTIONAL { ?s rdfs:label ?s_label . FILTER (langMatches(lang(?s_label), "zh-Hant")) }
  OPTIONAL { ?s prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote }
} ORDER BY STR(?p) STR(?s) ?quote"""
_SELF = """SELECT ?kind ?value ?l WHERE {
  { ?e rdfs:label|skos:prefLabel|skos:altLabel ?l . BIND ("label" AS ?kind) BIND (STR(?l) AS ?value) }
  UNION { ?e a ?t . BIND ("type" AS ?kind) BIND (STR(?t) AS ?value) }
  UNION { ?e prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q . BIND ("quote" AS ?kind) BIND (STR(?q) AS ?value) }
}"""


def _curie(iri: str) -> str:
    from .prefixes import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix not in ("id",):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _bound(text: str, **values: str) -> str:
    from .results import Term

    rows = " ".join(f"VALUES ?{k} {{ {Term('uri', v).n3() if k == 'e' else Term('literal', v).n3()} }}" for k, v in values.items())
    return text.replace("WHERE {", "WHERE {\n  " + rows, 1)


def find_in_store(store, text: str) -> list[str]:
    """Entities whose label equals the text (any script or language, case-folded); failing that, those whose
    labels contain it, closest (shortest label) first."""
    from .queries import run_oxigraph
    from .results import Term

    rows = run_oxigraph(store, _bound(_FIND, want=text.strip())).records()
    exact = sorted({r["e"] for r in rows if r["exact"]})
    if exact:
        return exact
    best: dict[str, int] = {}
    for r in rows:  # the closest label first: the shortest one that contains the text
        best[r["e"]] = min(best.get(r["e"], 10**9), r["length"])
    if not best:
        return []
    # among equally close labels, the entity more of the graph points to
    values = " ".join(Term("uri", e).n3() for e in best)
    linked = {r["e"]: r["n"] for r in run_oxigraph(
        store, f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ VALUES ?e {{ {values} }} ?s ?p ?e }} GROUP BY ?e").records()}
    return sorted(best, key=lambda e: (best[e], -linked.get(e, 0), e))


def describe_store(store, text: str) -> list[Description]:
    """Every fact about the entities with this label, each with the quote it comes from."""
    from .queries import run_oxigraph

    result = []
    for iri in find_in_store(store, text):
        found = run_oxigraph(store, _bound(_SELF, e=iri))
        labels = sorted(f"{lit.value}@{lit.lang}" for kind, _, lit in found.rows if kind.value == "label")
        own = found.records()
        types = sorted(_curie(r["value"]) for r in own if r["kind"] == "type")
        quotes = sorted({r["value"] for r in own if r["kind"] == "quote"})
        facts = []
        for r in run_oxigraph(store, _bound(_OUT, e=iri)).rows:
            p, o, o_label = r
            shown = f"{o_label.value} ({_curie(o.value)})" if o.kind == "uri" and o_label else (_curie(o.value) if o.kind == "uri" else o.value)
            facts.append((_curie(p.value), shown))
        incoming: dict[tuple[str, str], list[str]] = {}
        for r in run_oxigraph(store, _bound(_IN, e=iri)).records():
            key = (_curie(r["p"]), r["s_label"] or _curie(r["s"]))
            incoming.setdefault(key, [])
            if r["quote"] and r["quote"] not in incoming[key]:
                incoming[key].append(r["quote"])
        result.append(Description(iri, labels, types, facts, [(p, s, q) for (p, s), q in incoming.items()], quotes))
    return result


def describe(kg: KnowledgeGraph, text: str) -> list[Description]:
    """Describe entities of a loaded knowledge graph (see describe_store)."""
    from .queries import oxigraph_store

    return describe_store(oxigraph_store(kg), text)
