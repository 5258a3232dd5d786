"""Validation: the graph against its shapes, and against the text it was built from.

Three kinds of rule, each reported the same way (the node, the rule, what disagrees, in English and Chinese):

- SHACL core constraints (classes, counts, datatypes, languages) run in pySHACL;
- SHACL-SPARQL constraints — among them every check against the source text, which is in the graph as a NIF
  context (`shapes/source-checks.ttl`) — run on Oxigraph: the same standard constraints that pySHACL or Jena
  enforce on the published dump (a test proves pySHACL gives the same results), at a fraction of the time;
- the checks that need a parser run in Python: a figure's written form (3億多元) must say the value, scale, unit
  and hedge the data gives it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..core import resources
from ..core.dataset import parse_file
from ..core.graph import KnowledgeGraph
from ..core.ids import own_report, report_of
from ..core.namespaces import SH
from ..core.prefixes import PREFIXES, curie
from ..core.service import select
from ..core.sparql.catalogue import NamedQuery
from ..core.store import syntax_error
from ..core.terms import Term, from_oxigraph
from . import figures


@dataclass(frozen=True)
class Violation:
    """One result: the node, the rule (a shape, a constraint, or a Python check), how bad, and what it means."""

    focus: str
    path: str | None
    shape: str
    severity: str
    message_en: str
    message_zh: str
    value: str | None = None
    runs_in: str = "SHACL"  # SHACL (pySHACL), SHACL-SPARQL (on Oxigraph), or Python

    @property
    def node(self) -> str:
        """The node the result is about: the value of a source check (the item it found), else the focus. A check
        whose value is a literal (the recorded checksum) is about the text itself."""
        if self.value and self.shape.startswith("shape:SourceChecksShape") and self.value.startswith(("<", "http")):
            return self.value
        return self.focus

    def line(self) -> str:
        where = self.node + (f" {self.path}" if self.path else "")
        msg = self.message_en + (f" / {self.message_zh}" if self.message_zh else "")
        return f"{self.severity}: {where} [{self.shape}] {msg}"


@dataclass
class ValidationReport:
    conforms: bool
    results: list[Violation] = field(default_factory=list)

    @classmethod
    def of(cls, results: Iterable[Violation]) -> ValidationReport:
        """The report of these results: conforming unless one is a violation (warnings do not count)."""
        found = sorted(set(results), key=lambda v: (v.severity != "Violation", v.node, v.path or "", v.shape, v.message_en))
        return cls(not any(v.severity == "Violation" for v in found), found)

    def text(self) -> str:
        if self.conforms and not self.results:
            return "conforms: every node passes every shape and agrees with its source text\n"
        head = "conforms (warnings only)" if self.conforms else "does not conform"
        return "\n".join([f"{head}: {len(self.results)} result(s)"] + [v.line() for v in self.results]) + "\n"

    def to_json(self) -> str:
        doc = {"conforms": self.conforms, "results": [{**asdict(v), "node": v.node} for v in self.results]}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def load_shapes(folder: Path | None = None) -> Graph:
    g = Graph()
    for f in resources.turtle_files(folder or resources.shapes_dir()):
        parse_file(f, g)
    return g


def _shown(node: object) -> str:
    if isinstance(node, URIRef):
        short = curie(str(node))
        return f"<{node}>" if short.startswith("<") else short
    return str(node)


def _local(term: object) -> str:
    s = str(term)
    return s.rsplit("#", 1)[-1] if "#" in s else s


def _messages(graph: Graph, node: Node | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if node is None:
        return out
    for m in graph.objects(node, SH.message):
        if isinstance(m, Literal):
            out.setdefault("zh" if (m.language or "").startswith("zh") else "en", str(m))
    return out


# --- SHACL core, in pySHACL


def _core_shapes(shapes: Graph) -> Graph:
    """The shapes without their SPARQL-based constraints (those run on Oxigraph)."""
    core = Graph()
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns)
    sparql_nodes = set(shapes.objects(None, SH.sparql))
    for s, p, o in shapes:
        if p == SH.sparql or s in sparql_nodes:
            continue
        core.add((s, p, o))
    return core


def _pyshacl(data: Graph, shapes: Graph, messages_from: Graph, focus_nodes: list[str | URIRef] | None) -> list[Violation]:
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, focus_nodes=focus_nodes
    )
    assert isinstance(results, Graph)
    found = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        # pySHACL reports one message; the shapes carry both languages.
        msgs = _messages(messages_from, results.value(r, SH.sourceConstraint)) | _messages(
            messages_from, results.value(r, SH.sourceShape)
        )
        result_msgs = [str(m) for m in results.objects(r, SH.resultMessage)]
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        found.append(Violation(
            focus=_shown(results.value(r, SH.focusNode)),
            path=_shown(path) if path is not None and not isinstance(path, BNode) else None,
            shape=_shown(results.value(r, SH.sourceShape)),
            severity=_local(results.value(r, SH.resultSeverity)),
            message_en=msgs.get("en") or (result_msgs[0] if result_msgs else ""),
            message_zh=msgs.get("zh", ""),
            value=None if value is None else _shown(value),
        ))  # fmt: skip
    return found


# --- SHACL-SPARQL constraints, on Oxigraph

_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


def _sparql_constraints(kg: KnowledgeGraph, shapes: Graph, focus_nodes: Iterable[str] | None) -> list[Violation]:
    """Every SHACL-SPARQL constraint (SHACL §5: $this pre-bound to each focus node) evaluated on the store."""
    store = kg.store
    wanted = {str(f) for f in focus_nodes} if focus_nodes is not None else None
    found = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=lambda so: (str(so[0]), str(so[1]))):
        if shapes.value(constraint, SH.deactivated) == Literal(True) or shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        query = str(shapes.value(constraint, SH.select))
        messages = _messages(shapes, constraint) or _messages(shapes, shape)
        severity = _local(shapes.value(shape, SH.severity) or SH.Violation)
        for focus in _focus_nodes(kg, shapes, shape):
            try:
                solutions = store.query(
                    query, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions={pyoxigraph.Variable("this"): focus}
                )
            except (SyntaxError, RuntimeError) as e:
                raise ValueError(f"{_shown(constraint)}: not a SHACL-SPARQL constraint mzkg can run ({e})") from None
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                row = {n: from_oxigraph(solution[n]) for n in names}
                # a source text's checks report on the node that disagrees with it (?value): that node is the focus
                value = row.get("value")
                if wanted is None or focus.value in wanted or (value is not None and value.value in wanted):
                    found.append(_sparql_result(shape, constraint, focus, row, messages, severity))
    return found


_TARGET_QUERIES = {
    SH.targetClass: "SELECT DISTINCT ?target ?focus WHERE { ?focus rdf:type/rdfs:subClassOf* ?target }",
    SH.targetSubjectsOf: "SELECT DISTINCT ?target ?focus WHERE { ?focus ?target ?o }",
    SH.targetObjectsOf: "SELECT DISTINCT ?target ?focus WHERE { ?s ?target ?focus }",
}


def _focus_nodes(kg: KnowledgeGraph, shapes: Graph, shape: Node) -> list[pyoxigraph.NamedNode]:
    """The focus nodes of a shape's targets (a class target includes instances of its subclasses)."""
    nodes = {str(o) for o in shapes.objects(shape, SH.targetNode)}
    for p, text in _TARGET_QUERIES.items():
        for target in shapes.objects(shape, p):
            query = NamedQuery.parse("shape-target", text, trusted=True)
            rows = select(query, {"target": Term.iri(str(target))}, kg=kg).records()
            nodes |= {r["focus"] for r in rows if isinstance(r["focus"], str)}
    return [pyoxigraph.NamedNode(n) for n in sorted(nodes)]


def _sparql_result(
    shape: Node,
    constraint: Node,
    focus: pyoxigraph.NamedNode,
    row: dict[str, Term | None],
    messages: dict[str, str],
    severity: str,
) -> Violation:
    def fill(template: str) -> str:
        def one(m: re.Match[str]) -> str:
            t = row.get(m.group(1))
            return "" if t is None else t.value

        return _TEMPLATE.sub(one, template)

    value, path = row.get("value"), row.get("path")
    return Violation(
        focus=_shown(URIRef(focus.value)),
        path=_shown(URIRef(path.value)) if path is not None and path.kind == "uri" else None,
        shape=_shown(constraint if isinstance(constraint, URIRef) else shape),
        severity=severity,
        message_en=fill(messages.get("en", "")),
        message_zh=fill(messages.get("zh", "")),
        value=None if value is None else (_shown(URIRef(value.value)) if value.kind == "uri" else value.value),
        runs_in="SHACL-SPARQL",
    )  # fmt: skip


# --- checks that need a parser, in Python

_FIGURES = NamedQuery.parse("figures-to-check", """
SELECT ?m ?written ?number ?scale_words ?unit_words ?hedge_words ?implied ?unit ?hedge WHERE {
  ?m a mzkg:Measurement ; mzkg:asWritten ?written .
  OPTIONAL { ?m mzkg:writtenValue ?number }
  OPTIONAL { SELECT ?m (GROUP_CONCAT(?sw; separator="|") AS ?scale_words) WHERE {
    ?m a mzkg:Measurement ; mzkg:scale/(skos:prefLabel|skos:altLabel) ?sw .
    FILTER (langMatches(lang(?sw), "zh-Hant") || langMatches(lang(?sw), "zh-Hans")) } GROUP BY ?m }
  OPTIONAL { ?m mzkg:unitImplied ?implied }
  OPTIONAL { ?m mzkg:unit ?unit }
  OPTIONAL { ?m mzkg:hedge ?hedge }
  OPTIONAL { SELECT ?m (GROUP_CONCAT(?uw; separator="|") AS ?unit_words) WHERE {
    ?m a mzkg:Measurement ; mzkg:unit/(skos:prefLabel|skos:altLabel) ?uw .
    FILTER (langMatches(lang(?uw), "zh-Hant") || langMatches(lang(?uw), "zh-Hans")) } GROUP BY ?m }
  OPTIONAL { SELECT ?m (GROUP_CONCAT(?hw; separator="|") AS ?hedge_words) WHERE {
    ?m a mzkg:Measurement ; mzkg:hedge/(skos:prefLabel|skos:altLabel) ?hw .
    FILTER (langMatches(lang(?hw), "zh-Hant") || langMatches(lang(?hw), "zh-Hans")) } GROUP BY ?m }
}""", trusted=True)  # fmt: skip


def _figure_problem(m: str, en: str, zh: str) -> Violation:
    return Violation(_shown(URIRef(m)), None, "python:figure-written-form", "Violation", en, zh, runs_in="Python")


def _words(row: dict[str, object], key: str) -> set[str]:
    return set(str(row[key] or "").split("|")) - {""}


# Each check of a figure's written form: (the figure as read, the data's row) → what disagrees (en, zh), or None.
def _number_check(fig: figures.Figure, r: dict[str, object]) -> tuple[str, str] | None:
    try:
        number = Decimal(str(r["number"])) if r["number"] is not None else None
    except InvalidOperation:
        number = None
    if number == fig.number:
        return None
    return (
        f"writes the number {fig.number}, but its written value is {r['number']}.",
        f"寫的數字是 {fig.number},但其原文數值記為 {r['number']}。",
    )


def _scale_check(fig: figures.Figure, r: dict[str, object]) -> tuple[str, str] | None:
    scales = _words(r, "scale_words")
    if (fig.scale is None and not scales) or (fig.scale is not None and fig.scale in scales):
        return None
    given = "/".join(sorted(scales))
    return (
        f"is written with the scale {fig.scale or 'none'}, but the data gives {given or 'none'}.",
        f"的量級是「{fig.scale or '無'}」,但數據記為「{given or '無'}」。",
    )


def _unit_check(fig: figures.Figure, r: dict[str, object]) -> tuple[str, str] | None:
    units = _words(r, "unit_words")
    if fig.unit is None and not r["implied"]:
        return (
            "writes no unit; a unit the text implies is marked mzkg:unitImplied true.",
            "未寫單位;由上下文隱含的單位須標明 mzkg:unitImplied true。",
        )
    if fig.unit is None or fig.unit in units or (fig.unit_slug is not None and fig.unit_slug in _slugs(r, "unit")):
        return None
    shown = "/".join(sorted(units)) or "none"
    return (f"is counted in {fig.unit}, but the data's unit is {shown}.", f"的單位是「{fig.unit}」,但數據的單位是「{shown}」。")


def _hedge_check(fig: figures.Figure, r: dict[str, object]) -> tuple[str, str] | None:
    hedges = _words(r, "hedge_words")
    shown = "/".join(sorted(hedges)) or "none"
    if fig.hedge is None and hedges:
        return (f"has no hedge, but the data gives one ({shown}).", f"沒有限定詞,但數據記有({shown})。")
    if fig.hedge is not None and fig.hedge_slug not in _slugs(r, "hedge"):
        return (
            f"is hedged with {fig.hedge}, but the data's hedge is {shown}.",
            f"的限定詞是「{fig.hedge}」,但數據記為「{shown}」。",
        )
    return None


def _slugs(r: dict[str, object], key: str) -> set[str]:
    value = r.get(key)
    return {str(value).rsplit("/", 1)[-1]} if value is not None else set()


FIGURE_CHECKS = (_number_check, _scale_check, _unit_check, _hedge_check)


def figure_checks(kg: KnowledgeGraph, focus_nodes: Iterable[str] | None = None) -> list[Violation]:
    """Each figure's written form, read by the one figure reader (`figures.parse`), against the value, scale, unit
    and hedge the data gives: each of `FIGURE_CHECKS` in turn."""
    wanted = {str(f) for f in focus_nodes} if focus_nodes is not None else None
    found = []
    for r in select(_FIGURES, kg=kg).records():
        if wanted is not None and r["m"] not in wanted:
            continue
        m, written = r["m"], r["written"]
        fig = figures.parse(written)
        if fig is None:
            found.append(
                _figure_problem(
                    m,
                    f"{m}: 「{written}」 is not a figure mzkg can read (number, scale, unit, one hedge).",
                    f"{m}:「{written}」不是可讀的數字寫法(數字、量級、單位、至多一個限定詞)。",
                )
            )
            continue
        for check in FIGURE_CHECKS:
            problem = check(fig, r)
            if problem is not None:
                found.append(_figure_problem(m, f"{m}: 「{written}」 {problem[0]}", f"{m}:「{written}」{problem[1]}"))
    return found


# --- each file within its report's namespace


def namespace_checks(kg: KnowledgeGraph, focus_nodes: Iterable[str] | None = None) -> list[Violation]:
    """A file holds its own report's nodes and shared ones only: a subject under another report's path
    (`id/report/OTHER/…`) in it is a violation naming the file and the node. A file's report is the one its name
    gives, else the one most of its report nodes belong to (`ids.own_report`)."""
    wanted = {str(f) for f in focus_nodes} if focus_nodes is not None else None
    found: list[Violation] = []
    for source in kg.sources:
        by_report: dict[str, set[str]] = {}
        try:
            for t in pyoxigraph.parse(input=source.data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=source.base_iri):
                if isinstance(t.subject, pyoxigraph.NamedNode) and (slug := report_of(t.subject.value)) is not None:
                    by_report.setdefault(slug, set()).add(t.subject.value)
        except SyntaxError as e:
            raise syntax_error(source.path, e) from None
        own = own_report(Path(source.path).name.split(".", 1)[0], {slug: len(nodes) for slug, nodes in by_report.items()})
        for slug, nodes in sorted(by_report.items()):
            if slug == own:
                continue
            found.extend(_foreign(source.path, own, slug, node) for node in sorted(nodes) if wanted is None or node in wanted)
    return found


def _foreign(path: Path, own: str | None, slug: str, node: str) -> Violation:
    return Violation(
        focus=_shown(URIRef(node)),
        path=None,
        shape="python:report-namespace",
        severity="Violation",
        message_en=f"{path} is a file of report {own}, but describes {node}, a node of report {slug}; "
        "a report's file holds only its own report's nodes and shared ones.",
        message_zh=f"{path} 屬於報告 {own},卻描述了報告 {slug} 的節點 {node};報告的文件只能包含其本身的節點與共用的實體。",
        runs_in="Python",
    )


# --- typed literals of their datatype


def literal_checks(kg: KnowledgeGraph, focus_nodes: Iterable[str] | None = None) -> list[Violation]:
    """A typed literal is in its datatype's lexical space: an ill-typed one (`"x"^^xsd:integer`, which RDF allows
    but no reader can use) is a violation naming its node and property."""
    wanted = {str(f) for f in focus_nodes} if focus_nodes is not None else None
    found = []
    for s, p, o in kg.union():
        if isinstance(o, Literal) and o.ill_typed and (wanted is None or str(s) in wanted):
            found.append(
                Violation(
                    focus=_shown(s),
                    path=curie(str(p)),
                    shape="python:ill-typed-literal",
                    severity="Violation",
                    message_en=f"「{o}」 is not a value of {curie(str(o.datatype))}.",
                    message_zh=f"「{o}」不是 {curie(str(o.datatype))} 類型的值。",
                    runs_in="Python",
                )
            )
    return sorted(found, key=lambda v: (v.focus, v.path or ""))


# --- all of it


def validate(
    kg: KnowledgeGraph | Graph,
    shapes: Graph | None = None,
    *,
    extra: Graph | None = None,
    focus_nodes: list[str | URIRef] | None = None,
) -> ValidationReport:
    """Validate ontology + data against the shapes and the source text (see the module's docstring).

    ``kg`` is a loaded knowledge graph or a plain graph of ontology + data; ``extra`` adds triples (a test
    fixture); ``focus_nodes`` limits the nodes checked.
    """
    if isinstance(kg, Graph):
        kg = KnowledgeGraph.from_graph(kg)
    data = kg.union()
    if extra is not None:
        data = data + extra  # a new graph: the caller's is left as it was
        kg = KnowledgeGraph.from_graph(data)
    shapes = shapes if shapes is not None else load_shapes()
    found = _pyshacl(data, _core_shapes(shapes), shapes, focus_nodes)
    found += _sparql_constraints(kg, shapes, focus_nodes)
    found += figure_checks(kg, focus_nodes)
    found += namespace_checks(kg, focus_nodes)
    found += literal_checks(kg, focus_nodes)
    return ValidationReport.of(found)
