"""What the linked-data pages of `mzkg serve` show: home and search, one page per entity (HTML or RDF by content
negotiation), the source text with its encoded spans, and a query form.

Everything is read through the query service with IRIs bound as terms, never spliced into query text.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

import pyoxigraph
from markupsafe import escape

from ..core import ids
from ..core.graph import KnowledgeGraph
from ..core.prefixes import ID, PREFIXES, curie
from ..core.service import select
from ..core.sparql.catalogue import NamedQuery, named_queries
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


LABELS = _q("labels", "SELECT ?e ?l WHERE { ?e rdfs:label|skos:prefLabel ?l }")
TYPES = _q("types", "SELECT ?e ?t WHERE { ?e a ?t } ORDER BY ?t")
EXISTS = _q("exists", "SELECT ?e WHERE { { ?e ?p ?o } UNION { ?s ?p ?e } } LIMIT 1")
LISTING = _q("listing", "SELECT DISTINCT ?cls ?e WHERE { ?e a ?cls } ORDER BY ?e")
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
    """SELECT ?e ?span ?start ?end ?exact WHERE {
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
REPLACED = _q("replaced", "SELECT ?e ?new WHERE { ?e dcterms:isReplacedBy ?new } ORDER BY ?new LIMIT 1")
ZH_LABELS = _q(
    "zh-labels",
    """SELECT ?e ?l WHERE { ?e rdfs:label|skos:prefLabel ?l
  FILTER (langMatches(lang(?l), "zh-Hant")) }""",
)
ALL_TYPES = _q("all-types", "SELECT ?e ?t WHERE { ?e a ?t }")


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


def _shown(iri: str) -> str:
    short = curie(iri)
    return iri if short.startswith("<") else short


class Site:
    """Reads what the pages show from the graph."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def _select(self, query: NamedQuery, **params: Term) -> list[dict[str, Any]]:
        return select(query, params, kg=self.kg).records()

    def labels(self, iri: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in select(LABELS, {"e": Term.iri(iri)}, kg=self.kg).rows:
            label = row[1]
            if label is not None:
                out.setdefault((label.lang or "").lower(), label.value)
        return {"zh": out.get("zh-hant", _shown(iri)), "hans": out.get("zh-hans", ""), "en": out.get("en", "")}

    def replacement(self, iri: str) -> str | None:
        """The IRI that replaced a published one (`dcterms:isReplacedBy`), if it moved."""
        return next((r["new"] for r in self._select(REPLACED, e=Term.iri(iri))), None)

    def reports(self) -> list[dict[str, Any]]:
        """The catalogue, each report with the href of its page, its report node and its source text."""
        return [{**asdict(r), "page": f"/reports/{r.slug}", "href": href(r.iri)} for r in reports(self.kg)]

    def texts_of(self, report: str) -> list[str]:
        return [r["text"] for r in self._select(TEXTS_OF, r=Term.iri(report))]

    def series(self, label: str) -> list[dict[str, Any]]:
        return select(named_queries()["indicator-series"], {"label": Term.literal(label)}, kg=self.kg).records()

    def exists(self, iri: str) -> bool:
        return bool(self._select(EXISTS, e=Term.iri(iri)))

    def search(self, text: str) -> list[dict[str, str | None]]:
        return [self._item(m.iri) for m in find(self.kg, text)[:50]]

    def _item(self, iri: str, kind: str | None = None) -> dict[str, str | None]:
        lab = self.labels(iri)
        if kind is None:
            kind = ", ".join(self.name(r["t"], "en") for r in self._select(TYPES, e=Term.iri(iri)))
        return {"href": link(iri), "zh": lab["zh"], "en": lab["en"], "kind": kind}

    def listing(self, cls: str) -> list[dict[str, str | None]]:
        rows = self._select(LISTING, cls=Term.iri(cls))
        return [self._item(r["e"], self.name(cls, "en")) for r in rows]

    def overview(self) -> dict[str, Any]:
        """The home page: the reports, every figure with its value, achievements and tasks by policy area, and the
        things the reports talk about."""
        m = PREFIXES["mzkg"]
        figures = [
            {"href": href(r["e"]), "label": r["label"], "written": r["written"], "year": r["year"]} for r in self._select(FIGURES)
        ]
        areas: dict[str, dict[str, list[dict[str, Any]]]] = {"Achievement": {}, "Task": {}}
        for r in self._select(BY_AREA):
            kind = r["kind"].removeprefix(m)
            areas[kind].setdefault(r["area"], []).append({"href": href(r["e"]), "label": r["label"]})
        things = [
            ("項目 Programmes", self.listing(m + "Programme")),
            ("公共服務 Public services", self.listing(m + "PublicService")),
            ("分級網絡 Tiered networks", self.listing(m + "TieredNetwork")),
            ("服務對象 Target groups", self.listing(m + "TargetGroup")),
            ("機構類型 Institution types", self.listing(m + "InstitutionType")),
            ("機關 Agencies", self.listing(m + "Agency") + self.listing(m + "CoordinationBody")),
        ]
        return {
            "reports": self.reports(),
            "figures": figures,
            "achievements": areas["Achievement"],
            "tasks": areas["Task"],
            "lists": things,
        }

    def quotes(self, iri: str) -> list[dict[str, Any]]:
        """Each quote of an entity, with a link to its place in its own report's text."""
        return [
            {"start": r["start"], "end": r["end"], "text": r["exact"], "href": source_link(r["span"], r["start"], r["end"])}
            for r in self._select(QUOTES, e=Term.iri(iri))
        ]

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

    def entity(self, iri: str, lang: str = "zh") -> dict[str, Any]:
        """Every fact about an entity, in the page's language (zh or en)."""
        node = Term.iri(iri)
        suffix = "?lang=en" if lang == "en" else ""

        def page_link(target: str) -> str | None:
            here = href(target)
            return here + suffix if here else link(target)

        out = []
        for r in select(OUT, {"e": node}, kg=self.kg).rows:
            p, o = r[1], r[2]
            assert p is not None and o is not None
            if o.kind == "uri":
                out.append({"p": self.name(p.value, lang), "href": page_link(o.value), "label": self.name(o.value, lang)})
            else:
                kind = f" @{o.lang}" if o.lang else f"  ({self.name(o.datatype, lang)})" if o.datatype else ""
                out.append({"p": self.name(p.value, lang), "href": None, "label": o.value + kind})
        inc = [
            {
                "p": self.name(r["p"], lang),
                "href": page_link(r["s"]),
                "label": self.name(r["s"], lang),
                "quotes": self.quotes(r["s"]),
            }
            for r in self._select(INCOMING, e=node)
        ]
        types = [self.name(r["t"], lang) for r in self._select(TYPES, e=node)]
        labels = self.labels(iri)
        title = (labels["en"] or labels["zh"]) if lang == "en" else labels["zh"]
        return {
            "iri": iri,
            **labels,
            "title": title,
            "types": types,
            "out": out,
            "inc": inc,
            "quotes": self.quotes(iri),
            "lang": lang,
        }

    def rdf(self, iri: str, fmt: str) -> bytes:
        node = pyoxigraph.NamedNode(Term.iri(iri).value)
        store = self.kg.store
        triples = {q.triple for q in store.quads_for_pattern(node, None, None)}
        triples |= {q.triple for q in store.quads_for_pattern(None, None, node)}
        prefixes = {k: v for k, v in PREFIXES.items() if k != "id"} if fmt == "ttl" else None
        data = pyoxigraph.serialize(sorted(triples, key=str), format=_RDF_SYNTAX[fmt], prefixes=prefixes)
        return data or b""

    def source(self, text_iri: str | None = None) -> dict[str, Any]:
        """A source text (the first in the graph unless named) in segments (each cited span, uncovered text, the
        disclaimer) and every span with its facts, read with three queries whatever the number of spans."""
        found = self._select(SOURCE_TEXT, **({"s": Term.iri(text_iri)} if text_iri else {}))
        if not found:
            return {"segments": [], "spans": [], "covered": 0, "total": 0, "iri": text_iri}
        text, text_iri = found[0]["text"], found[0]["s"]
        body_end = len(report_body(text))
        zh = {r["e"]: r["l"] for r in self._select(ZH_LABELS)}
        kinds: dict[str, list[str]] = {}
        for r in self._select(ALL_TYPES):
            kinds.setdefault(r["e"], []).append(_shown(r["t"]))
        spans: dict[str, dict[str, Any]] = {}
        for r in self._select(SPANS, src=Term.iri(text_iri)):
            if not _within(r["start"], r["end"], len(text)):  # offsets outside the text: `validate` names them
                continue
            span = spans.setdefault(r["r"], {"start": r["start"], "end": r["end"], "text": r["exact"], "facts": []})
            span["facts"].append(
                {
                    "href": link(r["n"]),
                    "label": zh.get(r["n"], _shown(r["n"])),
                    "kind": ", ".join(sorted(kinds.get(r["n"], []))),
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
        lines.setdefault(key, []).append((int(str(r["year"])), float(r["value"])))
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
