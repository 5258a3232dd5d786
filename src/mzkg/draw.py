"""Graphviz diagrams: the ordered tiered networks, and programmes ↔ target groups ↔ tiers."""

from __future__ import annotations

from pathlib import Path

from .errors import MzkgError
from .graph import KnowledgeGraph
from .queries import oxigraph_store, run_oxigraph

FONT = "Noto Sans CJK TC"  # Debian fonts-noto-cjk; Graphviz falls back to another font if it is missing

TIERS = """
SELECT ?network ?network_zh ?network_en ?pos ?rank ?tier_zh ?tier_en ?next WHERE {
  ?network a mzkg:TieredNetwork ; rdfs:label ?network_zh, ?network_en ; mzkg:hasTierPosition ?pos .
  ?pos mzkg:rank ?rank ; mzkg:tier/skos:prefLabel ?tier_zh, ?tier_en .
  OPTIONAL { ?pos mzkg:nextPosition ?next }
  FILTER (langMatches(lang(?network_zh), "zh-Hant") && langMatches(lang(?network_en), "en"))
  FILTER (langMatches(lang(?tier_zh), "zh-Hant") && langMatches(lang(?tier_en), "en"))
}
ORDER BY ?network ?rank
"""

PROGRAMMES = """
SELECT ?x ?x_zh ?kind ?p ?y ?y_zh ?y_kind WHERE {
  ?x a ?kind ; rdfs:label ?x_zh ; ?p ?y .
  FILTER (?kind IN (mzkg:Programme, mzkg:PublicService))
  FILTER (?p IN (mzkg:targetGroup, mzkg:atTier))
  ?y a ?y_kind ; skos:prefLabel ?y_zh .
  FILTER (?y_kind IN (mzkg:TargetGroup, mzkg:Tier))
  FILTER (langMatches(lang(?x_zh), "zh-Hant") && langMatches(lang(?y_zh), "zh-Hant"))
}
ORDER BY ?x ?y
"""


def _nid(iri: str) -> str:
    # Graphviz reads "a:b" in an edge as node a, port b; IRIs are named by their path instead.
    return iri.split("://", 1)[-1].replace(":", "_")


def _digraph(name: str):
    try:
        import graphviz
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise MzkgError("drawing needs the graphviz package: pip install 'mzkg[owl]'") from None
    dot = graphviz.Digraph(name)
    dot.attr(fontname=FONT, rankdir="LR")
    dot.attr("node", fontname=FONT, fontsize="11")
    dot.attr("edge", fontname=FONT, fontsize="9")
    return dot


def tiers_diagram(store):
    """One row per tiered network, its tiers left to right in rank order (from an Oxigraph store)."""
    rows = run_oxigraph(store, TIERS).records()
    dot = _digraph("tiers")
    for network in dict.fromkeys(r["network"] for r in rows):
        mine = [r for r in rows if r["network"] == network]
        with dot.subgraph(name=f"cluster_{network.rsplit('/', 1)[-1]}") as sub:
            sub.attr(label=f"{mine[0]['network_zh']}\n{mine[0]['network_en']}", style="rounded", color="grey50")
            for r in mine:
                sub.node(_nid(r["pos"]), f"{r['rank']}. {r['tier_zh']}\n{r['tier_en']}", shape="box", style="rounded")
                if r["next"]:
                    sub.edge(_nid(r["pos"]), _nid(r["next"]))
    return dot


def programmes_diagram(store):
    """Programmes and public services, the target groups they serve and the tiers they work at."""
    rows = run_oxigraph(store, PROGRAMMES).records()
    dot = _digraph("programmes")
    shapes = {"Programme": "box", "PublicService": "box", "TargetGroup": "ellipse", "Tier": "hexagon"}
    colours = {"Programme": "#dbe9f6", "PublicService": "#e4f3e0", "TargetGroup": "#fdebd3", "Tier": "#eeeeee"}
    for r in rows:
        kind, y_kind = r["kind"].rsplit("#", 1)[-1], r["y_kind"].rsplit("#", 1)[-1]
        dot.node(_nid(r["x"]), r["x_zh"], shape=shapes[kind], style="filled", fillcolor=colours[kind])
        dot.node(_nid(r["y"]), r["y_zh"], shape=shapes[y_kind], style="filled", fillcolor=colours[y_kind])
        dot.edge(_nid(r["x"]), _nid(r["y"]), style="solid" if r["p"].endswith("targetGroup") else "dashed")
    return dot


DIAGRAMS = {"tiers": tiers_diagram, "programmes": programmes_diagram}


def draw(kg: KnowledgeGraph, which: str, output: Path) -> Path:
    """Render a diagram to .svg or .png (by the output's suffix)."""
    import graphviz

    if which not in DIAGRAMS:
        raise MzkgError(f"unknown diagram {which!r}; choose {', '.join(DIAGRAMS)}")
    fmt = output.suffix.lstrip(".").lower()
    if fmt not in {"svg", "png", "pdf"}:
        raise MzkgError(f"{output}: the file name must end in .svg, .png or .pdf")
    try:
        data = DIAGRAMS[which](oxigraph_store(kg)).pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise MzkgError("Graphviz's dot was not found: apt-get install graphviz fonts-noto-cjk") from None
    from .graph import write_bytes_atomically
    write_bytes_atomically(output, data)
    return output


def tiers_svg(store) -> str:
    """The tiers diagram as inline SVG (for `mzkg serve`'s /tiers page)."""
    import graphviz

    try:
        svg = tiers_diagram(store).pipe(format="svg").decode("utf-8")
    except graphviz.ExecutableNotFound:
        raise MzkgError("Graphviz's dot was not found: apt-get install graphviz fonts-noto-cjk") from None
    return svg[svg.find("<svg"):]
