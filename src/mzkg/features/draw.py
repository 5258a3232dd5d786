"""Graphviz diagrams: the ordered tiered networks, and programmes ↔ target groups ↔ tiers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import graphviz

from ..core.errors import MzkgError, UsageError
from ..core.files import write_bytes_atomically
from ..core.graph import KnowledgeGraph
from ..core.service import select
from ..core.sparql.catalogue import NamedQuery

NO_DOT = "Graphviz's dot was not found: apt-get install graphviz fonts-noto-cjk"
FONT = "Noto Sans CJK TC"  # Debian fonts-noto-cjk; Graphviz falls back to another font if it is missing

TIERS = NamedQuery.parse(
    "tiers",
    """
SELECT ?network ?network_zh ?network_en ?pos ?rank ?tier_zh ?tier_en ?next WHERE {
  ?network a mzkg:TieredNetwork ; rdfs:label ?network_zh, ?network_en ; mzkg:hasTierPosition ?pos .
  ?pos mzkg:rank ?rank ; mzkg:tier/skos:prefLabel ?tier_zh, ?tier_en .
  OPTIONAL { ?pos mzkg:nextPosition ?next }
  FILTER (langMatches(lang(?network_zh), "zh-Hant") && langMatches(lang(?network_en), "en"))
  FILTER (langMatches(lang(?tier_zh), "zh-Hant") && langMatches(lang(?tier_en), "en"))
}
ORDER BY ?network ?rank
""",
    trusted=True,
)

PROGRAMMES = NamedQuery.parse(
    "programmes",
    """
SELECT ?x ?x_zh ?kind ?p ?y ?y_zh ?y_kind WHERE {
  ?x a ?kind ; rdfs:label ?x_zh ; ?p ?y .
  FILTER (?kind IN (mzkg:Programme, mzkg:PublicService))
  FILTER (?p IN (mzkg:targetGroup, mzkg:atTier))
  ?y a ?y_kind ; skos:prefLabel ?y_zh .
  FILTER (?y_kind IN (mzkg:TargetGroup, mzkg:Tier))
  FILTER (langMatches(lang(?x_zh), "zh-Hant") && langMatches(lang(?y_zh), "zh-Hant"))
}
ORDER BY ?x ?y
""",
    trusted=True,
)


def _nid(iri: str) -> str:
    # Graphviz reads "a:b" in an edge as node a, port b; IRIs are named by their path instead.
    return iri.split("://", 1)[-1].replace(":", "_")


def _text(s: str) -> str:
    """A label as plain text: never read as an HTML-like label (which could carry links), escapes kept literal."""
    marked: str = graphviz.nohtml(graphviz.escape(s))  # keeps its NoHtml type: str() would drop the mark
    return marked


def _digraph(name: str) -> graphviz.Digraph:
    dot = graphviz.Digraph(name)
    dot.attr(fontname=FONT, rankdir="LR")
    dot.attr("node", fontname=FONT, fontsize="11")
    dot.attr("edge", fontname=FONT, fontsize="9")
    return dot


def tier_networks(kg: KnowledgeGraph) -> list[dict[str, Any]]:
    """The ordered tiered networks as data (for pages that draw them without Graphviz): each network's labels and
    its tiers in rank order."""
    rows = select(TIERS, kg=kg).records()
    out = []
    for network in dict.fromkeys(r["network"] for r in rows):
        mine = sorted((r for r in rows if r["network"] == network), key=lambda r: int(r["rank"]))
        tiers = list({r["pos"]: {"rank": r["rank"], "zh": r["tier_zh"], "en": r["tier_en"]} for r in mine}.values())
        out.append({"iri": network, "zh": mine[0]["network_zh"], "en": mine[0]["network_en"], "tiers": tiers})
    return out


def tiers_diagram(kg: KnowledgeGraph) -> graphviz.Digraph:
    """One row per tiered network, its tiers left to right in rank order."""
    rows = select(TIERS, kg=kg).records()
    dot = _digraph("tiers")
    for network in dict.fromkeys(r["network"] for r in rows):
        mine = [r for r in rows if r["network"] == network]
        with dot.subgraph(name=f"cluster_{network.rsplit('/', 1)[-1]}") as sub:
            sub.attr(label=_text(f"{mine[0]['network_zh']}\n{mine[0]['network_en']}"), style="rounded", color="grey50")
            for r in mine:
                sub.node(_nid(r["pos"]), _text(f"{r['rank']}. {r['tier_zh']}\n{r['tier_en']}"), shape="box", style="rounded")
                if r["next"]:
                    sub.edge(_nid(r["pos"]), _nid(r["next"]))
    return dot


def programmes_diagram(kg: KnowledgeGraph) -> graphviz.Digraph:
    """Programmes and public services, the target groups they serve and the tiers they work at."""
    rows = select(PROGRAMMES, kg=kg).records()
    dot = _digraph("programmes")
    shapes = {"Programme": "box", "PublicService": "box", "TargetGroup": "ellipse", "Tier": "hexagon"}
    colours = {"Programme": "#dbe9f6", "PublicService": "#e4f3e0", "TargetGroup": "#fdebd3", "Tier": "#eeeeee"}
    for r in rows:
        kind, y_kind = r["kind"].rsplit("#", 1)[-1], r["y_kind"].rsplit("#", 1)[-1]
        dot.node(_nid(r["x"]), _text(r["x_zh"]), shape=shapes[kind], style="filled", fillcolor=colours[kind])
        dot.node(_nid(r["y"]), _text(r["y_zh"]), shape=shapes[y_kind], style="filled", fillcolor=colours[y_kind])
        dot.edge(_nid(r["x"]), _nid(r["y"]), style="solid" if r["p"].endswith("targetGroup") else "dashed")
    return dot


DIAGRAMS = {"tiers": tiers_diagram, "programmes": programmes_diagram}


def draw(kg: KnowledgeGraph, which: str, output: Path) -> Path:
    """Render a diagram to .svg or .png (by the output's suffix)."""
    if which not in DIAGRAMS:
        raise UsageError(f"unknown diagram {which!r}; choose {', '.join(DIAGRAMS)}")
    fmt = output.suffix.lstrip(".").lower()
    if fmt not in {"svg", "png", "pdf"}:
        raise UsageError(f"{output}: the file name must end in .svg, .png or .pdf")
    try:
        data = DIAGRAMS[which](kg).pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise MzkgError(NO_DOT) from None
    write_bytes_atomically(output, data)
    return output


def tiers_svg(kg: KnowledgeGraph) -> str:
    """The tiers diagram as inline SVG (for `mzkg serve`'s /tiers page)."""
    try:
        svg: str = tiers_diagram(kg).pipe(format="svg").decode("utf-8")
    except graphviz.ExecutableNotFound:
        raise MzkgError(NO_DOT) from None
    return svg[svg.find("<svg") :]
