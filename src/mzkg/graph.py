"""Loading the knowledge graph and exporting it."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

from . import paths
from .errors import LoadError, MzkgError
from .fast import bcp47_case, read_source, syntax_error
from .namespaces import GRAPH, bind_prefixes

PathLike = str | os.PathLike[str]

EXPORT_FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "nt": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "json-ld": "json-ld",
    "xml": "xml",
}
QUAD_FORMATS = {"nquads", "trig"}


@dataclass
class KnowledgeGraph:
    """The ontology and the data, one named graph per source file."""

    dataset: Dataset
    sources: dict[URIRef, Path] = field(default_factory=dict)

    @property
    def graph(self) -> Dataset:
        """The dataset; queried as the union of its named graphs."""
        return self.dataset

    def __len__(self) -> int:
        return sum(len(self.dataset.graph(iri)) for iri in self.sources)

    @classmethod
    def from_graph(cls, graph: Graph, name: str = "in-memory") -> KnowledgeGraph:
        """Wrap a plain graph (for example an edited copy) as a one-source knowledge graph."""
        ds = Dataset(default_union=True)
        bind_prefixes(ds)
        iri = GRAPH[name]
        target = ds.graph(iri)
        for t in graph:
            target.add(t)
        return cls(ds, {iri: Path(name)})

    def union(self) -> Graph:
        """Every triple of every source in one plain graph."""
        g = Graph()
        bind_prefixes(g)
        for iri in self.sources:
            for t in self.dataset.graph(iri):
                g.add(t)
        return g


def graph_iri(path: Path) -> URIRef:
    """The named graph a source file is loaded into."""
    return URIRef(paths.graph_name(path))


def parse_turtle(path: Path, into: Graph) -> None:
    """Parse one Turtle file into an rdflib graph with Oxigraph's parser, binding the file's prefixes.

    Measured on the packaged sources: about 1.8× faster than rdflib's own Turtle parser (0.29 s against
    0.51–0.59 s), the same triples, and the same one-line LoadError (file, line, column) as the fast path.
    """
    parser = pyoxigraph.parse(input=read_source(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    try:
        into.addN((_term(q.subject), _term(q.predicate), _term(q.object), into) for q in parser)
    except SyntaxError as e:
        raise syntax_error(path, e) from None
    for prefix, namespace in parser.prefixes.items():
        into.bind(prefix, namespace)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(t) -> URIRef | BNode | Literal:
    """An Oxigraph term as the rdflib term rdflib's own parser would give (a simple literal stays untyped)."""
    if isinstance(t, pyoxigraph.NamedNode):
        return URIRef(t.value)
    if isinstance(t, pyoxigraph.BlankNode):
        return BNode(t.value)
    if isinstance(t, pyoxigraph.Literal):
        if t.language:
            return Literal(t.value, lang=bcp47_case(t.language))
        datatype = t.datatype.value
        return Literal(t.value) if datatype == _XSD_STRING else Literal(t.value, datatype=URIRef(datatype))
    raise LoadError(f"unsupported RDF term: {t}")  # RDF-star triple terms: not used by mzkg


class _NoGC:
    """Pause the cyclic garbage collector around a large parse (measured 1.3–3.6× faster loads)."""

    def __enter__(self):
        import gc

        self._was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        import gc

        if self._was:
            gc.enable()


def load_union(data: Sequence[PathLike] | None = None) -> Graph:
    """Ontology + data parsed straight into one plain graph (what SHACL validation needs)."""
    g = Graph()
    bind_prefixes(g)
    with _NoGC():
        for f in paths.source_files(data):
            parse_turtle(f, g)
    return g


def load(data: Sequence[PathLike] | None = None, *, ontology: bool = True) -> KnowledgeGraph:
    """Load the ontology and the data into one dataset, a named graph per file.

    ``data`` replaces the packaged data graph with the given files or folders;
    the ontology is always loaded.
    """
    files = paths.source_files(data) if ontology else (paths.expand(data) if data else paths.turtle_files(paths.data_dir()))
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    sources: dict[URIRef, Path] = {}
    with _NoGC():
        for f in files:
            iri = graph_iri(f)
            parse_turtle(f, ds.graph(iri))
            sources[iri] = f
    return KnowledgeGraph(ds, sources)


def _sorted_copy(g: Graph) -> Graph:
    """A copy with stable blank-node labels and triples inserted in sorted order."""
    if any(isinstance(n, BNode) for t in g for n in t):
        g = to_canonical_graph(g)
    out = Graph()
    bind_prefixes(out)
    for t in sorted(g):
        out.add(t)
    return out


def export(kg: KnowledgeGraph, fmt: str = "turtle") -> str:
    """Serialise the whole graph; the same input always gives the same bytes."""
    if fmt not in EXPORT_FORMATS:
        raise MzkgError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt in QUAD_FORMATS:
        ds = Dataset()
        bind_prefixes(ds)
        for iri in sorted(kg.sources):
            target = ds.graph(iri)
            for t in _sorted_copy(kg.dataset.graph(iri)):
                target.add(t)
        text = ds.serialize(format=EXPORT_FORMATS[fmt])
    else:
        text = _sorted_copy(kg.union()).serialize(format=EXPORT_FORMATS[fmt])
    if fmt in {"nt", "nquads"}:
        text = "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    return text


def write_atomically(path: PathLike, text: str) -> None:
    """Write through a temporary file and a rename, so a failed write leaves nothing half-written."""
    write_bytes_atomically(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomically(path: PathLike, data: bytes) -> None:
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as e:
        raise MzkgError(f"{target}: cannot write ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the mode a plain open() would
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise MzkgError(f"{target}: cannot write ({e.strerror})") from None


def stats(kg: KnowledgeGraph) -> dict:
    """Triples, entities per class and the triples of each source file."""
    g = kg.dataset
    per_class = Counter(g.namespace_manager.normalizeUri(c) for s, c in set(g.subject_objects(RDF.type)) if isinstance(c, URIRef))
    return {
        "triples": len(kg),
        "classes": dict(sorted(per_class.items(), key=lambda kv: (-kv[1], kv[0]))),
        "sources": {str(path): len(g.graph(iri)) for iri, path in kg.sources.items()},
    }
