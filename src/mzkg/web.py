"""Linked-data pages for `mzkg serve`: home and search, one page per entity (HTML or RDF by content
negotiation), the source text with its encoded spans, the tiered networks, and a query form."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import paths
from .prefixes import ID, PREFIXES
from .queries import run_oxigraph
from .results import Term

RDF_FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
ACCEPT_RDF = {"text/turtle": "ttl", "application/x-turtle": "ttl", "application/n-triples": "nt",
              "application/ld+json": "jsonld", "application/json": "jsonld"}


def href(iri: str) -> str | None:
    return "/id/" + iri[len(ID):] if iri.startswith(ID) else None


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix != "id":
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _values(**kw: str) -> str:
    return " ".join(f"VALUES ?{k} {{ {Term('uri', v).n3()} }}" for k, v in kw.items())


class Site:
    """Reads what the pages show from the store, with SPARQL only."""

    def __init__(self, store):
        self.store = store

    def _rows(self, text: str):
        return run_oxigraph(self.store, text).records()

    def labels(self, iri: str) -> dict[str, str]:
        out: dict[str, str] = {}
        res = run_oxigraph(self.store, f"SELECT ?l WHERE {{ {_values(e=iri)} ?e rdfs:label|skos:prefLabel ?l }}")
        for (t,) in res.rows:
            out.setdefault((t.lang or "").lower(), t.value)
        return {"zh": out.get("zh-hant", curie(iri)), "hans": out.get("zh-hans", ""), "en": out.get("en", "")}

    def exists(self, iri: str) -> bool:
        return run_oxigraph(self.store, f"ASK {{ {_values(e=iri)} {{ ?e ?p ?o }} UNION {{ ?s ?p ?e }} }}").boolean

    def search(self, text: str) -> list[dict]:
        from .lookup import find_in_store

        return [self._item(iri) for iri in find_in_store(self.store, text)[:50]]

    def _item(self, iri: str, kind: str | None = None) -> dict:
        lab = self.labels(iri)
        if kind is None:
            types = [r["t"] for r in self._rows(f"SELECT ?t WHERE {{ {_values(e=iri)} ?e a ?t }}")]
            kind = ", ".join(curie(t) for t in sorted(types))
        return {"href": href(iri) or iri, "zh": lab["zh"], "en": lab["en"], "kind": kind}

    def _fact(self, iri: str) -> dict:
        item = self._item(iri)
        return {**item, "label": item["zh"]}

    def listing(self, cls: str, extra: str = "") -> list[dict]:
        rows = self._rows(f"SELECT DISTINCT ?e WHERE {{ ?e a {cls} . {extra} }} ORDER BY ?e")
        return [self._item(r["e"], cls) for r in rows]

    def home_lists(self) -> list[tuple[str, list[dict]]]:
        return [
            ("項目 Programmes", self.listing("mzkg:Programme")),
            ("公共服務 Public services", self.listing("mzkg:PublicService")),
            ("分級網絡 Tiered networks", self.listing("mzkg:TieredNetwork")),
            ("服務對象 Target groups", self.listing("mzkg:TargetGroup")),
            ("機關 Agencies", self.listing("mzkg:Agency") + self.listing("mzkg:CoordinationBody")),
            ("2021年數據 The 2021 figures", self.listing("mzkg:Measurement", "?e mzkg:period/mzkg:year ?y FILTER (STR(?y) = '2021')")),
            ("2022年任務 The 2022 tasks", self.listing("mzkg:Task")),
        ]

    def quotes(self, iri: str) -> list[dict]:
        rows = self._rows(f"""SELECT ?start ?end ?exact WHERE {{ {_values(e=iri)}
          ?e prov:wasDerivedFrom/oa:hasSelector ?pos, ?q . ?pos oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }}
          ORDER BY ?start""")
        return [{"start": r["start"], "end": r["end"], "text": r["exact"]} for r in rows]

    def entity(self, iri: str) -> dict:
        lab = self.labels(iri)
        types = [curie(r["t"]) for r in self._rows(f"SELECT ?t WHERE {{ {_values(e=iri)} ?e a ?t }} ORDER BY ?t")]
        out = []
        for r in run_oxigraph(self.store, f"""SELECT ?p ?o WHERE {{ {_values(e=iri)} ?e ?p ?o
                FILTER (?p NOT IN (rdf:type, rdfs:label, skos:prefLabel, prov:wasDerivedFrom)) }} ORDER BY ?p ?o""").rows:
            p, o = r
            if o.kind == "uri":
                out.append({"p": curie(p.value), "href": href(o.value), "label": self.labels(o.value)["zh"] if href(o.value) else curie(o.value)})
            else:
                shown = o.value + (f" @{o.lang}" if o.lang else f"  ({curie(o.datatype)})" if o.datatype else "")
                out.append({"p": curie(p.value), "href": None, "label": shown})
        inc = []
        for r in self._rows(f"SELECT DISTINCT ?s ?p WHERE {{ {_values(e=iri)} ?s ?p ?e FILTER (?p != prov:wasDerivedFrom) }} ORDER BY ?p ?s"):
            inc.append({"p": curie(r["p"]), "href": href(r["s"]) or r["s"], "label": self.labels(r["s"])["zh"], "quotes": self.quotes(r["s"])})
        return {"iri": iri, **lab, "types": types, "out": out, "inc": inc, "quotes": self.quotes(iri)}

    def rdf(self, iri: str, fmt: str) -> bytes:
        import pyoxigraph

        triples = self.store.query(f"CONSTRUCT {{ ?e ?p ?o . ?s ?q ?e }} WHERE {{ {_values(e=iri)} {{ ?e ?p ?o }} UNION {{ ?s ?q ?e }} }}",
                                   use_default_graph_as_union=True)
        rdf_format = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES, "jsonld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
        if fmt == "ttl":
            return pyoxigraph.serialize(triples, format=rdf_format, prefixes={k: v for k, v in PREFIXES.items() if k != "id"})
        return pyoxigraph.serialize(triples, format=rdf_format)

    def source(self) -> dict:
        from .grounding import report_body

        text = _source_text(paths.source_text_path())
        body_end = len(report_body(text))
        facts = {}
        for r in self._rows("SELECT ?r ?n WHERE { ?n prov:wasDerivedFrom ?r . ?r a oa:SpecificResource } ORDER BY ?n"):
            facts.setdefault(r["r"], []).append(r["n"])
        spans = [s for s in self._rows("""SELECT ?r ?start ?end ?exact WHERE { ?r oa:hasSelector ?pos, ?q .
            ?pos oa:start ?start ; oa:end ?end . ?q oa:exact ?exact } ORDER BY ?start ?end""")
                 if s["r"] in facts]  # a span no fact cites covers nothing
        owner: list[tuple[int, int] | None] = [None] * len(text)
        for s in sorted(spans, key=lambda s: -(int(s["end"]) - int(s["start"]))):  # smallest span wins
            for i in range(int(s["start"]), int(s["end"])):
                owner[i] = (int(s["start"]), int(s["end"]))
        segments, i = [], 0
        while i < len(text):
            j = i
            while j < len(text) and owner[j] == owner[i] and (i >= body_end) == (j >= body_end):
                j += 1
            seg = text[i:j]
            if owner[i]:
                segments.append({"text": seg, "span": f"{owner[i][0]}-{owner[i][1]}"})
            elif i >= body_end:
                segments.append({"text": seg, "kind": "disclaimer"})
            else:
                segments.append({"text": seg, "kind": "uncovered" if any(c.isalnum() for c in seg) else "plain"})
            i = j
        listed = [{"start": s["start"], "end": s["end"], "text": s["exact"],
                   "facts": [{**self._item(n), "label": self._item(n)["zh"]} for n in facts.get(s["r"], [])]} for s in spans]
        covered = sum(1 for k in range(body_end) if owner[k] and text[k].isalnum())
        total = sum(1 for k in range(body_end) if text[k].isalnum())
        return {"segments": segments, "spans": listed, "covered": covered, "total": total}


@lru_cache(maxsize=4)
def _source_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")
