"""Coverage: is every figure and clause of a source text encoded by some span of the graph?

A figure is a run of Arabic digits, or a figure written in Chinese numerals that the one figure reader
(`mzkg.features.figures`) counts as a figure of the report (三千二百人次, 百分之八; not 兩項補貼 or 四級)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from ..core.errors import NotFound, UsageError
from ..core.graph import KnowledgeGraph
from ..core.namespaces import MZKG, NIF, OA
from .figures import figures_in
from .texts import report_body

NUMBER = re.compile(r"\d+(?:\.\d+)?")
CLAUSE = re.compile(r"[^。;;\n]+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class CoverageReport:
    """How much of a source text the graph encodes: its figures and its clauses.

    Whether what is encoded agrees with the text (quotes, written figures, periods, names) is `mzkg validate`'s
    question; coverage only counts spans whose quote is the text's slice.
    """

    source: str = ""
    figures: list[tuple[Span, bool]] = field(default_factory=list)
    clauses: list[tuple[Span, bool]] = field(default_factory=list)

    @staticmethod
    def _ratio(items: list[tuple[Span, bool]]) -> float:
        return sum(ok for _, ok in items) / len(items) if items else 1.0

    @property
    def complete(self) -> bool:
        return all(ok for _, ok in self.figures) and all(ok for _, ok in self.clauses)

    def text(self) -> str:
        lines = [
            f"source: {self.source}",
            f"figures: {sum(ok for _, ok in self.figures)}/{len(self.figures)} encoded ({self._ratio(self.figures):.1%})",
            f"clauses: {sum(ok for _, ok in self.clauses)}/{len(self.clauses)} encoded ({self._ratio(self.clauses):.1%})",
        ]
        lines += [f"  figure not encoded: {s.start}-{s.end} {s.text!r}" for s, ok in self.figures if not ok]
        lines += [f"  clause not encoded: {s.start}-{s.end} {s.text!r}" for s, ok in self.clauses if not ok]
        return "\n".join(lines) + "\n"


def _numbers(s: str) -> set[Decimal]:
    return {Decimal(m) for m in NUMBER.findall(s)}


def source_texts(kg: KnowledgeGraph) -> dict[Node, str]:
    """Each source text in the graph (nif:isString) by its IRI."""
    g = kg.dataset
    return {s: str(text) for s in set(g.subjects(RDF.type, MZKG.SourceText)) if (text := g.value(s, NIF.isString)) is not None}


def _spans(kg: KnowledgeGraph, source: Node, full: str) -> dict[Node, tuple[int, int]]:
    """The spans of one source whose quote is the text's slice at their offsets."""
    g = kg.dataset
    spans = {}
    for r in set(g.subjects(OA.hasSource, source)):
        found: dict[Node, Node] = {}
        for sel in g.objects(r, OA.hasSelector):
            found |= {p: o for p, o in g.predicate_objects(sel) if p in (OA.start, OA.end, OA.exact)}
        if len(found) == 3:
            s, e = int(str(found[OA.start])), int(str(found[OA.end]))
            if full[s:e] == str(found[OA.exact]):
                spans[r] = (s, e)
    return spans


def _literal_numbers(kg: KnowledgeGraph, node: Node) -> set[Decimal]:
    """Numbers in the literals of a node and of the nodes it links to (provenance aside)."""
    g = kg.dataset
    found: set[Decimal] = set()
    for p, o in g.predicate_objects(node):
        if p == PROV.wasDerivedFrom:
            continue
        targets = (
            [o]
            if isinstance(o, Literal)
            else [x for q, x in g.predicate_objects(o) if isinstance(x, Literal) and q != PROV.wasDerivedFrom]
        )
        for lit in targets:
            if isinstance(lit, Literal) and lit.datatype is not None:
                found |= _numbers(str(lit))
    return found


def coverage(kg: KnowledgeGraph, source: Node | None = None) -> CoverageReport:
    """Figures and clauses of a source text (the graph's only one, unless named) encoded by some span."""
    texts = source_texts(kg)
    if source is None:
        if len(texts) != 1:
            raise UsageError(f"the graph holds {len(texts)} source texts; name the one to measure")
        [source] = texts
    if source not in texts:
        raise NotFound(f"{source} is not a source text in the graph (with its text, nif:isString)")
    full = texts[source]
    body = report_body(full)
    g = kg.dataset
    rep = CoverageReport(source=str(source))
    spans = _spans(kg, source, full)
    covered = [False] * len(full)
    citing: list[tuple[int, int, set[Decimal]]] = []
    for node, _p, r in g.triples((None, PROV.wasDerivedFrom, None)):
        # a section spans its whole part of the text: it structures the text, it does not encode it
        if r in spans and (node, RDF.type, MZKG.ReportSection) not in g:
            s, e = spans[r]
            for i in range(s, e):
                covered[i] = True
            citing.append((s, e, _literal_numbers(kg, node)))
    for m in NUMBER.finditer(body):
        value = Decimal(m.group())
        ok = any(s <= m.start() and m.end() <= e and value in nums for s, e, nums in citing)
        rep.figures.append((Span(m.start(), m.end(), m.group()), ok))
    for f in figures_in(body):
        if f.arabic:
            continue  # counted above, digit by digit
        ok = any(s <= f.start and f.end <= e and (f.number in nums or f.value in nums) for s, e, nums in citing)
        rep.figures.append((Span(f.start, f.end, f.text), ok))
    for m in CLAUSE.finditer(body):
        meaningful = [i for i in range(m.start(), m.end()) if full[i].isalnum()]
        if meaningful:
            rep.clauses.append((Span(m.start(), m.end(), m.group()), all(covered[i] for i in meaningful)))
    return rep
