"""The one label finder, and descriptions of what it finds.

`find` ranks every entity whose label (rdfs:label, skos:prefLabel or skos:altLabel, in any script or language)
equals or contains the text: exact labels first; things the report talks about before the records of the
report itself (statements, figures, spans); then the more connected entity; then the shorter label. `describe`,
`graph path`, the web search and the Jupyter helpers all use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph

from ..core.errors import NotFound
from ..core.graph import KnowledgeGraph
from ..core.prefixes import MZKG, PREFIXES, curie
from ..core.service import select
from ..core.sparql.catalogue import NamedQuery
from ..core.terms import RDF_TYPE_NODE, Term, value_of

RDFS_LABEL = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")
SKOS_PREFLABEL = pyoxigraph.NamedNode(PREFIXES["skos"] + "prefLabel")
# The report's own records: found only when no entity of the same standing matches.
RECORD_CLASSES = {MZKG + c for c in ("Statement", "Achievement", "Task", "Measurement", "TierPosition")} | {
    PREFIXES["oa"] + "SpecificResource"
}

_FIND = NamedQuery.parse(
    "find",
    """
SELECT ?want ?e (MAX(?is_exact) AS ?exact) (MIN(STRLEN(STR(?l))) AS ?length) WHERE {
  ?e rdfs:label|skos:prefLabel|skos:altLabel ?l . FILTER (isIRI(?e))
  BIND (LCASE(STR(?l)) = LCASE(?want) AS ?is_exact)
  FILTER (?is_exact || CONTAINS(LCASE(STR(?l)), LCASE(?want)))
} GROUP BY ?want ?e""",
    trusted=True,
)
_SELF = NamedQuery.parse(
    "describe-self",
    """
SELECT ?e ?kind ?value ?l WHERE {
  { ?e rdfs:label|skos:prefLabel|skos:altLabel ?l . BIND ("label" AS ?kind) BIND (STR(?l) AS ?value) }
  UNION { ?e a ?t . BIND ("type" AS ?kind) BIND (STR(?t) AS ?value) }
  UNION { ?e prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q . BIND ("quote" AS ?kind) BIND (STR(?q) AS ?value) }
}""",
    trusted=True,
)
_OUT = NamedQuery.parse(
    "describe-out",
    """
SELECT ?e ?p ?o ?o_label WHERE {
  ?e ?p ?o .
  FILTER (?p NOT IN (rdf:type, prov:wasDerivedFrom, rdfs:label, skos:prefLabel, skos:altLabel))
  OPTIONAL { ?o rdfs:label ?o_label . FILTER (langMatches(lang(?o_label), "zh-Hant")) }
} ORDER BY STR(?p) STR(?o)""",
    trusted=True,
)
_IN = NamedQuery.parse(
    "describe-in",
    """
SELECT ?e ?s ?p ?s_label ?quote WHERE {
  ?s ?p ?e . FILTER (?p != prov:wasDerivedFrom)
  OPTIONAL { ?s rdfs:label ?s_label . FILTER (langMatches(lang(?s_label), "zh-Hant")) }
  OPTIONAL { ?s prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote }
} ORDER BY STR(?p) STR(?s) ?quote""",
    trusted=True,
)


@dataclass(frozen=True)
class Match:
    """An entity a label finds, with what ranked it."""

    iri: str
    label: str
    exact: bool
    record: bool
    degree: int
    length: int

    @property
    def rank(self) -> tuple[bool, bool, int, int, str]:
        return (not self.exact, self.record, -self.degree, self.length, self.iri)


def label(store: pyoxigraph.Store, iri: str, lang: str = "zh-Hant") -> str:
    """An entity's label in a language (zh-Hant by default), else any label, else its CURIE."""
    node = pyoxigraph.NamedNode(iri)
    found = [q.object for p in (RDFS_LABEL, SKOS_PREFLABEL) for q in store.quads_for_pattern(node, p, None)]
    for lit in found:
        if isinstance(lit, pyoxigraph.Literal) and (lit.language or "").lower() == lang.lower():
            return lit.value
    return value_of(found[0]) if found else curie(iri)


def _degree(store: pyoxigraph.Store, node: pyoxigraph.NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, node)) + sum(
        1 for q in store.quads_for_pattern(node, None, None) if isinstance(q.object, pyoxigraph.NamedNode)
    )


def find(kg: KnowledgeGraph, text: str, *, among: set[str] | None = None) -> list[Match]:
    """Every entity whose label equals or contains the text, best first (see the module's docstring).

    ``among`` keeps only the IRIs in that set (for example the nodes of a network).
    """
    want = text.strip()
    if not want:
        return []
    store = kg.store
    matches = []
    for r in select(_FIND, {"want": Term.literal(want)}, kg=kg).records():
        if among is not None and r["e"] not in among:
            continue
        node = pyoxigraph.NamedNode(r["e"])
        types = {value_of(q.object) for q in store.quads_for_pattern(node, RDF_TYPE_NODE, None)}
        matches.append(
            Match(
                r["e"],
                label(store, r["e"]),
                bool(r["exact"]),
                bool(types & RECORD_CLASSES),
                _degree(store, node),
                int(r["length"]),
            )
        )
    return sorted(matches, key=lambda m: m.rank)


def find_one(kg: KnowledgeGraph, text: str, *, among: set[str] | None = None) -> tuple[Match, list[Match]]:
    """The best match and the others; NotFound when nothing matches."""
    found = find(kg, text, among=among)
    if not found:
        raise NotFound(f"no entity has a label equal to or containing {text!r}")
    return found[0], found[1:]


@dataclass
class Description:
    """Every fact about one entity, with the quotes they come from."""

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


def describe_one(kg: KnowledgeGraph, iri: str) -> Description:
    """Every fact about one entity, with the quotes they come from."""
    bound = {"e": Term.iri(iri)}
    own = select(_SELF, bound, kg=kg)
    labels = sorted(f"{row[3].value}@{row[3].lang}" for row in own.rows if row[1] and row[1].value == "label" and row[3])
    records = own.records()
    types = sorted(curie(r["value"]) for r in records if r["kind"] == "type")
    quotes = sorted({r["value"] for r in records if r["kind"] == "quote"})
    facts = []
    for _e, p, o, o_label in select(_OUT, bound, kg=kg).rows:
        assert p is not None and o is not None
        shown = (f"{o_label.value} ({curie(o.value)})" if o_label else curie(o.value)) if o.kind == "uri" else o.value
        facts.append((curie(p.value), shown))
    incoming: dict[tuple[str, str], list[str]] = {}
    for r in select(_IN, bound, kg=kg).records():
        quotes_of = incoming.setdefault((curie(r["p"]), r["s_label"] or curie(r["s"])), [])
        if r["quote"] and r["quote"] not in quotes_of:
            quotes_of.append(r["quote"])
    return Description(iri, labels, types, facts, [(p, s, q) for (p, s), q in incoming.items()], quotes)


def describe(kg: KnowledgeGraph, text: str) -> list[Description]:
    """The entities a label finds, best first, each described (NotFound when none)."""
    best, others = find_one(kg, text)
    return [describe_one(kg, m.iri) for m in [best, *others]]
