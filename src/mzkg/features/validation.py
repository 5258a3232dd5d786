"""SHACL validation of the graph against shapes/."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..core import resources
from ..core.dataset import parse_file
from ..core.graph import KnowledgeGraph
from ..core.namespaces import SH


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where it is, which rule, how bad, and what it means."""

    focus: str
    path: str | None
    shape: str
    severity: str
    message_en: str
    message_zh: str
    value: str | None = None

    def line(self) -> str:
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        msg = self.message_en + (f" / {self.message_zh}" if self.message_zh else "")
        return f"{self.severity}: {where} [{self.shape}] {msg}"


@dataclass
class ValidationReport:
    conforms: bool
    results: list[Violation]

    def text(self) -> str:
        if self.conforms and not self.results:
            return "conforms: every node passes every shape\n"
        head = "conforms (warnings only)" if self.conforms else "does not conform"
        return "\n".join([f"{head}: {len(self.results)} result(s)"] + [v.line() for v in self.results]) + "\n"

    def to_json(self) -> str:
        return (
            json.dumps({"conforms": self.conforms, "results": [asdict(v) for v in self.results]}, ensure_ascii=False, indent=2)
            + "\n"
        )


def load_shapes(folder: Path | None = None) -> Graph:
    g = Graph()
    for f in resources.turtle_files(folder or resources.shapes_dir()):
        parse_file(f, g)
    return g


def _local(term: object) -> str:
    s = str(term)
    return s.rsplit("#", 1)[-1] if "#" in s else s


def _path_text(results: Graph, node: Node) -> str | None:
    path = results.value(node, SH.resultPath)
    if path is None:
        return None
    if isinstance(path, URIRef):
        return results.namespace_manager.normalizeUri(path)
    return str(path)


def validate(
    kg: KnowledgeGraph | Graph,
    shapes: Graph | None = None,
    *,
    extra: Graph | None = None,
    focus_nodes: list[str | URIRef] | None = None,
) -> ValidationReport:
    """Validate ontology + data against the shapes; SHACL core plus one narrow SPARQL constraint.

    ``kg`` is a loaded knowledge graph or a plain graph of ontology + data (`graph.load_union`);
    ``extra`` adds triples (a test fixture) to the data; ``focus_nodes`` limits the nodes checked.
    """
    data = kg.union() if isinstance(kg, KnowledgeGraph) else kg
    if extra is not None:
        data = data + extra  # a new graph: the caller's is left as it was
    shapes = shapes if shapes is not None else load_shapes()
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=True,
        focus_nodes=focus_nodes,
    )
    for prefix, ns in data.namespaces():
        results.bind(prefix, ns, override=True)
    found = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        # pySHACL reports one message for a SPARQL constraint; the shapes carry both languages.
        msgs = list(results.objects(r, SH.resultMessage)) + list(
            shapes.objects(results.value(r, SH.sourceConstraint), SH.message)
        )
        en = next((str(m) for m in msgs if isinstance(m, Literal) and m.language == "en"), None)
        zh = next((str(m) for m in msgs if isinstance(m, Literal) and (m.language or "").startswith("zh")), "")
        value = results.value(r, SH.value)
        found.append(
            Violation(
                focus=results.namespace_manager.normalizeUri(results.value(r, SH.focusNode))
                if isinstance(results.value(r, SH.focusNode), URIRef)
                else str(results.value(r, SH.focusNode)),
                path=_path_text(results, r),
                shape=_shape_name(results, results.value(r, SH.sourceShape)),
                severity=_local(results.value(r, SH.resultSeverity)),
                message_en=en or (str(msgs[0]) if msgs else ""),
                message_zh=zh,
                value=None if value is None else str(value),
            )
        )
    found.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path or "", v.shape))
    return ValidationReport(bool(conforms), found)


def _shape_name(results: Graph, shape: object) -> str:
    if isinstance(shape, URIRef):
        return results.namespace_manager.normalizeUri(shape)
    return str(shape)
