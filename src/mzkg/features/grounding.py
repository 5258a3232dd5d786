"""Coverage and grounding: is every figure and clause of the source encoded, and is every value in its quote?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from ..core import resources
from ..core.graph import KnowledgeGraph
from ..core.namespaces import MZKG, OA

NUMBER = re.compile(r"\d+(?:\.\d+)?")
CLAUSE = re.compile(r"[^。;;\n]+")
DISCLAIMER = "免責聲明"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class CoverageReport:
    figures: list[tuple[Span, bool]] = field(default_factory=list)
    clauses: list[tuple[Span, bool]] = field(default_factory=list)
    ungrounded: list[str] = field(default_factory=list)
    bad_selectors: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(items: list[tuple[Span, bool]]) -> float:
        return sum(ok for _, ok in items) / len(items) if items else 1.0

    @property
    def complete(self) -> bool:
        return (
            all(ok for _, ok in self.figures)
            and all(ok for _, ok in self.clauses)
            and not self.ungrounded
            and not self.bad_selectors
        )

    def text(self) -> str:
        lines = [
            f"figures: {sum(ok for _, ok in self.figures)}/{len(self.figures)} encoded ({self._ratio(self.figures):.1%})",
            f"clauses: {sum(ok for _, ok in self.clauses)}/{len(self.clauses)} encoded ({self._ratio(self.clauses):.1%})",
            f"ungrounded measurements: {len(self.ungrounded)}",
            f"selectors that do not match the source: {len(self.bad_selectors)}",
        ]
        lines += [f"  figure not encoded: {s.start}-{s.end} {s.text!r}" for s, ok in self.figures if not ok]
        lines += [f"  clause not encoded: {s.start}-{s.end} {s.text!r}" for s, ok in self.clauses if not ok]
        lines += [f"  ungrounded: {u}" for u in self.ungrounded]
        lines += [f"  bad selector: {b}" for b in self.bad_selectors]
        return "\n".join(lines) + "\n"


def report_body(text: str) -> str:
    """The text up to the republishing site's disclaimer, which is not part of the report."""
    i = text.find(DISCLAIMER)
    return text if i < 0 else text[:i]


def _numbers(s: str) -> set[Decimal]:
    return {Decimal(m) for m in NUMBER.findall(s)}


def selectors(kg: KnowledgeGraph) -> Iterator[tuple[Node, Node | None, Node | None, Node | None]]:
    """Each span resource with its start, end and exact quote."""
    g = kg.dataset
    for r in set(g.subjects(RDF.type, OA.SpecificResource)):
        start = end = exact = None
        for sel in g.objects(r, OA.hasSelector):
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                start, end = g.value(sel, OA.start), g.value(sel, OA.end)
            elif (sel, RDF.type, OA.TextQuoteSelector) in g:
                exact = g.value(sel, OA.exact)
        yield r, start, end, exact


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


def coverage(kg: KnowledgeGraph, source: Path | None = None) -> CoverageReport:
    """Figures and clauses of the source encoded by some span; measurements grounded in their quotes."""
    source = source or resources.source_text_path()
    full = source.read_text(encoding="utf-8")
    body = report_body(full)
    g = kg.dataset
    rep = CoverageReport()
    spans: dict[Node, tuple[int, int]] = {}
    for r, start, end, exact in selectors(kg):
        if start is None or end is None or exact is None:
            rep.bad_selectors.append(f"{r}: missing position or quote selector")
            continue
        s, e = int(str(start)), int(str(end))
        if full[s:e] != str(exact):
            rep.bad_selectors.append(f"{r}: text[{s}:{e}] is {full[s:e]!r}, oa:exact is {str(exact)!r}")
            continue
        spans[r] = (s, e)
    covered = [False] * len(full)
    citing: list[tuple[int, int, set[Decimal]]] = []
    for node, _p, r in g.triples((None, PROV.wasDerivedFrom, None)):
        if r in spans:
            s, e = spans[r]
            for i in range(s, e):
                covered[i] = True
            citing.append((s, e, _literal_numbers(kg, node)))
    for m in NUMBER.finditer(body):
        value = Decimal(m.group())
        ok = any(s <= m.start() and m.end() <= e and value in nums for s, e, nums in citing)
        rep.figures.append((Span(m.start(), m.end(), m.group()), ok))
    for m in CLAUSE.finditer(body):
        meaningful = [i for i in range(m.start(), m.end()) if full[i].isalnum()]
        if meaningful:
            rep.clauses.append((Span(m.start(), m.end(), m.group()), all(covered[i] for i in meaningful)))
    for meas in sorted(set(g.subjects(RDF.type, MZKG.Measurement)), key=str):
        rep.ungrounded += _grounding_problems(kg, meas, spans, full)
    return rep


def _grounding_problems(kg: KnowledgeGraph, meas: Node, spans: dict[Node, tuple[int, int]], full: str) -> list[str]:
    g = kg.dataset
    written, as_written, value = g.value(meas, MZKG.writtenValue), g.value(meas, MZKG.asWritten), g.value(meas, MZKG.value)
    scale = g.value(meas, MZKG.scale)
    problems = []
    try:
        wv = Decimal(str(written))
        mult = Decimal(str(g.value(scale, MZKG.multiplier))) if scale is not None else Decimal(1)
        if Decimal(str(value)) != wv * mult:
            problems.append(f"{meas}: value {value} is not written value {written} × scale {mult}")
    except (InvalidOperation, TypeError):
        return [f"{meas}: value or written value is not a decimal"]
    quotes = [full[spans[r][0] : spans[r][1]] for r in g.objects(meas, PROV.wasDerivedFrom) if r in spans]
    if not quotes:
        problems.append(f"{meas}: no quote to ground it in")
    for q in quotes:
        if wv not in _numbers(q):
            problems.append(f"{meas}: {written} does not occur in its quote {q!r}")
        if as_written is None or str(as_written) not in q:
            problems.append(f"{meas}: as-written {as_written!r} does not occur in its quote {q!r}")
    return problems
