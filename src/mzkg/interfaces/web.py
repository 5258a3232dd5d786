"""What the linked-data pages of `mzkg serve` show: home and search, one page per entity (HTML or RDF by content
negotiation), the source text with its encoded spans, and a query form.

Everything is read through the query service in a few queries a page. One IRI is bound as a term; the IRIs a page
shows fill a `VALUES` slot, each written by the escaping serializer `Term.n3`, so no value can change a query.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import pyoxigraph
from markupsafe import Markup, escape

from ..core import ids
from ..core.errors import MzkgError
from ..core.graph import KnowledgeGraph
from ..core.prefixes import ID, PREFIXES, curie
from ..core.results import Result
from ..core.service import NO_LIMITS, Limits, run, select
from ..core.sparql.catalogue import NamedQuery, named_queries
from ..core.sparql.params import slot
from ..core.terms import Term
from ..features.corpus import reports
from ..features.lookup import find
from ..features.texts import report_body

RDF_FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json", "xml": "application/rdf+xml"}
ACCEPT_RDF = {
    "application/rdf+xml": "xml",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
_RDF_SYNTAX = {
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}


def _q(name: str, text: str) -> NamedQuery:
    return NamedQuery.parse(name, text, trusted=True)


def _over(query: NamedQuery, var: str, terms: Iterable[Term]) -> NamedQuery:
    """The query with its `VALUES ?var { UNDEF }` slot holding these terms. Substitutions bind one term to a
    variable, never a list; the terms are written by the escaping serializer `Term.n3`, so they cannot change the
    query's structure."""
    written = " ".join(sorted({t.n3() for t in terms}))
    text, n = slot(var).subn(lambda _m: f"VALUES ?{var} {{ {written} }}", query.text, count=1)
    assert n == 1, f"{query.name} has no VALUES ?{var} slot"
    return NamedQuery(query.name, text, trusted=True)


# What a page shows of the terms it names: their labels, their types and their types' labels, for every term at
# once. Of two labels in one language the first in this order is shown.
TERMS = _q(
    "terms",
    """SELECT ?iri ?type ?label WHERE { VALUES ?iri { UNDEF }
  { ?iri rdfs:label|skos:prefLabel ?label } UNION { ?iri a ?type OPTIONAL { ?type rdfs:label|skos:prefLabel ?label } } }
  ORDER BY ?iri ?type ?label""",
)
LOCATE = _q(
    "locate",
    """SELECT ?e ?new ?known WHERE { OPTIONAL { ?e dcterms:isReplacedBy ?new }
  BIND (EXISTS { { ?e ?p ?o } UNION { ?s ?p ?e } } AS ?known) } ORDER BY ?new LIMIT 1""",
)
M = PREFIXES["mzkg"]
# The home page's lists of things the reports talk about, each of one or more classes.
THINGS = (
    ("項目 Programmes", ("Programme",)),
    ("公共服務 Public services", ("PublicService",)),
    ("分級網絡 Tiered networks", ("TieredNetwork",)),
    ("服務對象 Target groups", ("TargetGroup",)),
    ("機構類型 Institution types", ("InstitutionType",)),
    ("機關 Agencies", ("Agency", "CoordinationBody")),
)
LISTING = _over(
    _q("listing", "SELECT DISTINCT ?cls ?e WHERE { VALUES ?cls { UNDEF } ?e a ?cls } ORDER BY ?e"),
    "cls",
    (Term.iri(M + c) for _title, classes in THINGS for c in classes),
)
FIGURES = _q(
    "figures",
    """SELECT DISTINCT ?e ?label ?written ?year WHERE { ?e a mzkg:Measurement ; mzkg:period/mzkg:year ?year ;
  mzkg:asWritten ?written ; rdfs:label ?label FILTER (langMatches(lang(?label), "zh-Hant")) } ORDER BY ?year ?e""",
)
BY_AREA = _q(
    "by-area",
    """SELECT DISTINCT ?kind ?area ?e ?label WHERE {
  ?e a ?kind ; mzkg:policyArea/rdfs:label ?area ; rdfs:label ?label .
  FILTER (?kind IN (mzkg:Achievement, mzkg:Task))
  FILTER NOT EXISTS { ?e mzkg:restates ?body }
  FILTER (langMatches(lang(?area), "zh-Hant") && langMatches(lang(?label), "zh-Hant")) } ORDER BY ?kind ?area ?e""",
)
QUOTES = _q(
    "quotes",
    """SELECT ?e ?span ?start ?end ?exact WHERE { VALUES ?e { UNDEF }
  ?e prov:wasDerivedFrom ?span . ?span oa:hasSelector ?pos, ?q . ?pos oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }
  ORDER BY ?start""",
)
OUT = _q(
    "out",
    """SELECT ?e ?p ?o WHERE { ?e ?p ?o
  FILTER (?p NOT IN (rdf:type, rdfs:label, skos:prefLabel, prov:wasDerivedFrom)) } ORDER BY ?p ?o""",
)
INCOMING = _q(
    "incoming",
    """SELECT DISTINCT ?e ?s ?p WHERE { ?s ?p ?e FILTER (?p != prov:wasDerivedFrom) }
  ORDER BY ?p ?s""",
)
SPANS = _q(
    "spans",
    """SELECT ?r ?start ?end ?exact ?n ?src WHERE {
  ?n prov:wasDerivedFrom ?r . ?r a oa:SpecificResource ; oa:hasSource ?src ; oa:hasSelector ?pos, ?q .
  ?pos oa:start ?start ; oa:end ?end . ?q oa:exact ?exact
  FILTER NOT EXISTS { ?n a mzkg:ReportSection } } ORDER BY ?start ?end ?n""",
)
SOURCE_TEXT = _q("source-text", "SELECT ?s ?text WHERE { ?s a mzkg:SourceText ; nif:isString ?text } ORDER BY ?s LIMIT 1")
TEXTS_OF = _q(
    "texts-of",
    "SELECT ?r ?text WHERE { ?d foaf:primaryTopic ?r ; prov:wasDerivedFrom ?text . ?text a mzkg:SourceText } ORDER BY ?text",
)


def href(iri: str) -> str | None:
    return "/id/" + iri[len(ID) :] if iri.startswith(ID) else None


def link(iri: str) -> str | None:
    """Where a page may link for an IRI: its page here, or the IRI itself when it is http(s); never a
    `javascript:` or other scheme that data could carry."""
    return href(iri) or (iri if iri.startswith(("http://", "https://")) else None)


def _within(start: object, end: object, length: int) -> bool:
    """Whether a span's offsets are whole numbers that lie inside a text of this length, start before end."""
    try:
        a, b = int(str(start)), int(str(end))
    except ValueError:
        return False
    return 0 <= a <= b <= length


def source_link(span: str, start: object, end: object) -> str:
    """Where a span is shown: its report's source page (`/reports/{slug}/source`), at the span."""
    slug = ids.report_of(span)
    page = f"/reports/{slug}/source" if slug is not None and "/span/" in span else "/source"
    return f"{page}#span-{start}-{end}"


def quoted(text: str) -> str:
    """A quote in corner brackets, unless the text is already quoted (“跨省通辦”, 「…」)."""
    if (text.startswith("“") and text.endswith("”")) or (text.startswith("「") and text.endswith("」")):
        return text
    return f"「{text}」"


def _is_iri(value: str) -> bool:
    """Whether a term's value is an IRI (a blank node's label is not), so it can be written into a query."""
    try:
        pyoxigraph.NamedNode(value)
    except ValueError:
        return False
    return True


def _shown(iri: str) -> str:
    short = curie(iri)
    return iri if short.startswith("<") else short


class Terms:
    """The labels and types of the terms one page shows, read in one query (`TERMS`)."""

    def __init__(self, rows: Iterable[tuple[Term | None, ...]] = ()) -> None:
        self._labels: dict[str, dict[str, str]] = {}
        self._types: dict[str, list[str]] = {}
        for iri, kind, label in rows:
            assert iri is not None
            named = iri.value if kind is None else kind.value
            if kind is not None and kind.value not in (found := self._types.setdefault(iri.value, [])):
                found.append(kind.value)
            if label is not None:
                self._labels.setdefault(named, {}).setdefault((label.lang or "").lower(), label.value)

    def labels(self, iri: str) -> dict[str, str]:
        """zh (zh-Hant, else the term as shown), hans and en."""
        out = self._labels.get(iri, {})
        return {"zh": out.get("zh-hant", _shown(iri)), "hans": out.get("zh-hans", ""), "en": out.get("en", "")}

    def types(self, iri: str) -> list[str]:
        """The term's types, in the order of their IRIs."""
        return self._types.get(iri, [])

    def name(self, iri: str, lang: str = "zh") -> str:
        """What a page shows for a term: its label in the page's language (zh: zh-Hant; en), else its label in the
        other, else its local name in words (altLabel → alt label), never a raw CURIE."""
        labels = self.labels(iri)
        other = "en" if lang == "zh" else "zh"
        for key in (lang, other):
            if labels[key] and labels[key] != _shown(iri):
                return labels[key]
        local = re.split(r"[#/]", iri.rstrip("/#"))[-1]
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("-", " ").lower()


class Site:
    """Reads what the pages show from the graph, in a few queries a page whatever the number of terms it shows:
    each page's facts in a query or two, then the labels and types of every term it names in one (`terms`)."""

    def __init__(self, kg: KnowledgeGraph, limits: Limits = NO_LIMITS) -> None:
        self.kg = kg
        self.limits = limits
        self._examples: dict[str, bytes] = {}
        self._examples_graph: Any = None
        self._examples_lock = threading.Lock()

    def _select(self, query: NamedQuery, **params: Term) -> list[dict[str, Any]]:
        return select(query, params, kg=self.kg).records()

    def answer(self, text: str) -> Result:
        """A visitor's query, under the server's limits."""
        return run(text, kg=self.kg, limits=self.limits)

    def terms(self, iris: Iterable[str]) -> Terms:
        """The labels and types of these IRIs (others, such as blank nodes, are left out), in one query."""
        wanted = [Term("uri", i) for i in set(iris) if _is_iri(i)]
        return Terms(select(_over(TERMS, "iri", wanted), kg=self.kg).rows) if wanted else Terms()

    def locate(self, iri: str) -> tuple[str | None, bool]:
        """Where a published IRI is: the IRI that replaced it (`dcterms:isReplacedBy`) if it moved, and whether the
        graph holds it at all."""
        found = self._select(LOCATE, e=Term.iri(iri))
        return (found[0]["new"], bool(found[0]["known"])) if found else (None, False)

    def reports(self) -> list[dict[str, Any]]:
        """The catalogue, each report with the href of its page, its report node and its source text."""
        return [{**asdict(r), "page": f"/reports/{r.slug}", "href": href(r.iri)} for r in reports(self.kg)]

    def report(self, slug: str) -> dict[str, Any] | None:
        return next((r for r in self.reports() if r["slug"] == slug), None)

    def texts_of(self, report: str) -> list[str]:
        return [r["text"] for r in self._select(TEXTS_OF, r=Term.iri(report))]

    def series(self, label: str) -> list[dict[str, Any]]:
        return select(named_queries()["indicator-series"], {"label": Term.literal(label)}, kg=self.kg).records()

    def home(self, q: str = "") -> dict[str, Any]:
        """The home page: search results for `q`, the reports, every figure with its value, achievements and tasks
        by policy area, and the things the reports talk about."""
        found = [m.iri for m in find(self.kg, q)[:50]] if q else []
        figures = [
            {"href": href(r["e"]), "label": r["label"], "written": r["written"], "year": r["year"]} for r in self._select(FIGURES)
        ]
        areas: dict[str, dict[str, list[dict[str, Any]]]] = {"Achievement": {}, "Task": {}}
        for r in self._select(BY_AREA):
            kind = r["kind"].removeprefix(M)
            areas[kind].setdefault(r["area"], []).append({"href": href(r["e"]), "label": r["label"]})
        listed: dict[str, list[str]] = {}
        for r in self._select(LISTING):
            listed.setdefault(r["cls"], []).append(r["e"])
        classes = [M + c for _title, cs in THINGS for c in cs]
        terms = self.terms([*found, *classes, *(e for es in listed.values() for e in es)])

        def item(iri: str, kind: str) -> dict[str, str | None]:
            lab = terms.labels(iri)
            return {"href": link(iri), "zh": lab["zh"], "en": lab["en"], "kind": kind}

        results = [item(i, ", ".join(terms.name(t, "en") for t in terms.types(i))) for i in found]
        things = [(title, [item(e, terms.name(M + c, "en")) for c in cs for e in listed.get(M + c, [])]) for title, cs in THINGS]
        return {
            "q": q,
            "results": results,
            "reports": self.reports(),
            "figures": figures,
            "achievements": areas["Achievement"],
            "tasks": areas["Task"],
            "lists": things,
        }

    def entity(self, iri: str, lang: str = "zh") -> dict[str, Any]:
        """Every fact about an entity, in the page's language (zh or en): its facts, what mentions it, its quotes
        and theirs, then every term's name, in four queries."""
        node = Term.iri(iri)
        suffix = "?lang=en" if lang == "en" else ""

        def page_link(target: str) -> str | None:
            here = href(target)
            return here + suffix if here else link(target)

        out_rows = [(p, o) for _e, p, o in select(OUT, {"e": node}, kg=self.kg).rows if p is not None and o is not None]
        # a drafted entity not yet reviewed: a banner with why it was marked, not rows of the page
        review = {PREFIXES["mzkg"] + "needsReview", PREFIXES["skos"] + "editorialNote"}
        marked = any(p.value == PREFIXES["mzkg"] + "needsReview" and o.value == "true" for p, o in out_rows)
        notes = sorted(o.value for p, o in out_rows if p.value == PREFIXES["skos"] + "editorialNote") if marked else []
        if marked:
            out_rows = [(p, o) for p, o in out_rows if p.value not in review]
        inc_rows = [(s, p) for _e, s, p in select(INCOMING, {"e": node}, kg=self.kg).rows if s is not None and p is not None]
        quoted_by = self._quotes([iri, *(s.value for s, _p in inc_rows)])
        named = {iri} | {p.value for p, _o in out_rows} | {p.value for _s, p in inc_rows} | {s.value for s, _p in inc_rows}
        named |= {o.value if o.kind == "uri" else o.datatype or "" for _p, o in out_rows}
        terms = self.terms(named)
        out = []
        for p, o in out_rows:
            if o.kind == "uri":
                out.append({"p": terms.name(p.value, lang), "href": page_link(o.value), "label": terms.name(o.value, lang)})
            else:
                kind = f" @{o.lang}" if o.lang else f"  ({terms.name(o.datatype, lang)})" if o.datatype else ""
                out.append({"p": terms.name(p.value, lang), "href": None, "label": o.value + kind})
        inc = [
            {
                "p": terms.name(p.value, lang),
                "href": page_link(s.value),
                "label": terms.name(s.value, lang),
                "quotes": quoted_by.get(s.value, []),
            }
            for s, p in inc_rows
        ]
        labels = terms.labels(iri)
        title = (labels["en"] or labels["zh"]) if lang == "en" else labels["zh"]
        return {
            "iri": iri,
            **labels,
            "title": title,
            "types": [terms.name(t, lang) for t in terms.types(iri)],
            "out": out,
            "inc": inc,
            "quotes": quoted_by.get(iri, []),
            "lang": lang,
            "drafted": marked,
            "notes": notes,
        }

    def _quotes(self, iris: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """Each quote of these entities, with a link to its place in its own report's text, in one query."""
        out: dict[str, list[dict[str, Any]]] = {}
        wanted = [Term("uri", i) for i in set(iris) if _is_iri(i)]
        if not wanted:
            return out
        for r in select(_over(QUOTES, "e", wanted), kg=self.kg).records():
            out.setdefault(r["e"], []).append(
                {"start": r["start"], "end": r["end"], "text": r["exact"], "href": source_link(r["span"], r["start"], r["end"])}
            )
        return out

    def examples(self, fmt: str) -> bytes:
        """The named queries as SPARQL examples in an RDF syntax (rdflib's name for it): built on first use, once,
        and each syntax written once."""
        with self._examples_lock:
            if fmt not in self._examples:
                if self._examples_graph is None:
                    from ..features.examples import sparql_examples  # noqa: PLC0415 - rdflib only for this page

                    self._examples_graph = sparql_examples()
                self._examples[fmt] = self._examples_graph.serialize(format=fmt).encode("utf-8")
            return self._examples[fmt]

    def tiers(self) -> dict[str, Any]:
        """The tiered networks: Graphviz's drawing when dot is installed, and always the tiers in rank order."""
        from ..features.draw import tier_networks, tiers_svg  # noqa: PLC0415 - Graphviz only for this page

        networks = tier_networks(self.kg)
        try:
            svg, missing = Markup(tiers_svg(self.kg)), None  # noqa: S704 - Graphviz's SVG, labels escaped
        except MzkgError as e:
            svg, missing = None, str(e)
        return {"networks": networks, "svg": svg, "missing": missing}

    def rdf(self, iri: str, fmt: str) -> bytes:
        node = pyoxigraph.NamedNode(Term.iri(iri).value)
        store = self.kg.store
        triples = {q.triple for q in store.quads_for_pattern(node, None, None)}
        triples |= {q.triple for q in store.quads_for_pattern(None, None, node)}
        prefixes = {k: v for k, v in PREFIXES.items() if k != "id"} if fmt == "ttl" else None
        data = pyoxigraph.serialize(sorted(triples, key=str), format=_RDF_SYNTAX[fmt], prefixes=prefixes)
        return data or b""

    def report_source(self, report: dict[str, Any] | None) -> dict[str, Any]:
        """A report's source page: its first text (for no report, the first text in the graph)."""
        texts = self.texts_of(report["iri"]) if report else []
        return {"report": report, **self.source(texts[0] if texts else report["iri"] if report else None)}

    def source(self, text_iri: str | None = None) -> dict[str, Any]:
        """A source text (the first in the graph unless named) in segments (each cited span, uncovered text, the
        disclaimer) and every span with its facts, read with three queries whatever the number of spans."""
        found = self._select(SOURCE_TEXT, **({"s": Term.iri(text_iri)} if text_iri else {}))
        if not found:
            return {"segments": [], "spans": [], "covered": 0, "total": 0, "iri": text_iri}
        text, text_iri = found[0]["text"], found[0]["s"]
        body_end = len(report_body(text))
        rows = [r for r in self._select(SPANS, src=Term.iri(text_iri)) if _within(r["start"], r["end"], len(text))]
        terms = self.terms(r["n"] for r in rows)  # offsets outside the text are left out: `validate` names them
        spans: dict[str, dict[str, Any]] = {}
        for r in rows:
            span = spans.setdefault(r["r"], {"start": r["start"], "end": r["end"], "text": r["exact"], "facts": []})
            span["facts"].append(
                {
                    "href": link(r["n"]),
                    "label": terms.labels(r["n"])["zh"],
                    "kind": ", ".join(sorted(_shown(t) for t in terms.types(r["n"]))),
                }
            )
        owner: list[tuple[int, int] | None] = [None] * len(text)
        for s in sorted(spans.values(), key=lambda s: -(int(s["end"]) - int(s["start"]))):  # smallest span wins
            for i in range(int(s["start"]), int(s["end"])):
                owner[i] = (int(s["start"]), int(s["end"]))
        segments, i = [], 0
        while i < len(text):
            j = i
            while j < len(text) and owner[j] == owner[i] and (i >= body_end) == (j >= body_end):
                j += 1
            seg = text[i:j]
            span_of = owner[i]
            if span_of:
                segments.append({"text": seg, "span": f"{span_of[0]}-{span_of[1]}"})
            elif i >= body_end:
                segments.append({"text": seg, "kind": "disclaimer"})
            else:
                segments.append({"text": seg, "kind": "uncovered" if any(c.isalnum() for c in seg) else "plain"})
            i = j
        listed = sorted(spans.values(), key=lambda s: (int(s["start"]), int(s["end"])))
        covered = sum(1 for k in range(body_end) if owner[k] and text[k].isalnum())
        total = sum(1 for k in range(body_end) if text[k].isalnum())
        return {"segments": segments, "spans": listed, "covered": covered, "total": total, "iri": text_iri}


def series_chart(rows: list[dict[str, Any]], width: int = 480, height: int = 160) -> str:
    """A small SVG line chart of an indicator's values by year, one line per figure, place and kind (targets
    dashed). Every label is escaped; the SVG is built from numbers and escaped text only."""
    lines: dict[tuple[str, str, str, str], list[tuple[int, float]]] = {}
    for r in rows:
        key = (str(r["figure"]), str(r["place"]), str(r["kind"]), str(r["target"]))
        try:
            point = (int(str(r["year"])), float(str(r["value"])))
        except ValueError:
            continue  # a figure whose value or year is no number: in the table, not on the chart
        if math.isfinite(point[1]):
            lines.setdefault(key, []).append(point)
    if not lines:
        return ""
    years = sorted({y for pts in lines.values() for y, _v in pts})
    top = max(v for pts in lines.values() for _y, v in pts) or 1.0
    pad, colours = 30, ["#0b5394", "#e69138", "#6aa84f", "#cc0000", "#674ea7", "#45818e"]

    def x(year: int) -> float:
        return pad + (width - 2 * pad) * (years.index(year) / max(len(years) - 1, 1))

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * value / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20 * len(lines)}" role="img">']
    parts += [f'<text x="{x(yr):.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{yr}</text>' for yr in years]
    for i, (key, pts) in enumerate(sorted(lines.items())):
        colour = colours[i % len(colours)]
        dash = ' stroke-dasharray="4 3"' if key[3] == "target" else ""
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in sorted(pts))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{path}"/>')
        parts += [f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>' for yr, v in pts]
        legend = escape(f"{key[0]} · {key[1]} · {key[2]} · {key[3]}")
        parts.append(f'<text x="{pad}" y="{height + 14 + 20 * i}" font-size="12" fill="{colour}">{legend}</text>')
    parts.append("</svg>")
    return "".join(parts)
