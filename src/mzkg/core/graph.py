"""The knowledge graph as mzkg holds it: the source files, an Oxigraph store for queries, and an rdflib dataset
for what needs rdflib (SHACL, serialisations, reasoning). Both are built from the same bytes, on first use.

Importing this module does not import rdflib; only asking for `.dataset` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph

from . import sources, store
from .prefixes import GRAPH
from .sources import PathArg, Source

if TYPE_CHECKING:  # rdflib is loaded only when a feature needs it
    from rdflib import Dataset, Graph


@dataclass(eq=False)
class KnowledgeGraph:
    """The ontology and the data, one named graph per source file."""

    sources: list[Source]
    _store: pyoxigraph.Store | None = field(default=None, repr=False)
    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def store(self) -> pyoxigraph.Store:
        """The Oxigraph store every query runs on (in memory, or a prepared on-disk store for large inputs)."""
        if self._store is None:
            self._store = store.open_store(self.sources)
        return self._store

    @property
    def dataset(self) -> Dataset:
        """The rdflib dataset, queried as the union of its named graphs."""
        if self._dataset is None:
            from .dataset import build_dataset  # noqa: PLC0415 - rdflib only for the features that need it

            self._dataset = build_dataset(self.sources)
        return self._dataset

    @property
    def graph_names(self) -> list[str]:
        return [s.graph for s in self.sources]

    def __len__(self) -> int:
        """The number of triples (quads across the named graphs)."""
        return len(self.store)

    def union(self) -> Graph:
        """Every triple of every source in one plain rdflib graph (parsed straight into it when the dataset has
        not been built)."""
        from .dataset import union, union_of_sources  # noqa: PLC0415 - rdflib only for the features that need it

        if self._dataset is None:
            return union_of_sources(self.sources)
        return union(self._dataset, self.graph_names)

    def export(self, fmt: str = "turtle") -> str:
        """The whole graph serialised (turtle, nt, nquads, trig, json-ld, xml), byte-identical across runs."""
        from .dataset import export  # noqa: PLC0415 - rdflib only for the features that need it

        return export(self.dataset, self.graph_names, fmt)

    def stats(self) -> dict[str, Any]:
        """Triples, entities per class, and the triples of each source file."""
        from .dataset import stats  # noqa: PLC0415 - rdflib only for the features that need it

        return stats(self.dataset, self.sources)

    @classmethod
    def from_graph(cls, graph: Graph, name: str = "in-memory") -> KnowledgeGraph:
        """Wrap a plain rdflib graph (for example an edited copy) as a one-source knowledge graph."""
        from .dataset import dataset_from_graph  # noqa: PLC0415 - the caller already holds rdflib

        iri = GRAPH + name
        kg = cls([Source(Path(name), iri, b"")], _dataset=dataset_from_graph(graph, iri))
        kg._store = pyoxigraph.Store()
        kg._store.load(
            input=graph.serialize(format="nt", encoding="utf-8"),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
            to_graph=pyoxigraph.NamedNode(iri),
        )
        return kg


def load(data: Sequence[PathArg] | None = None, *, ontology: bool = True) -> KnowledgeGraph:
    """Load the ontology and the data (the packaged data, or the given files and folders).

    Each file is read now and checked to be UTF-8; it is parsed when first needed (a malformed file is a
    LoadError naming file, line and column), into the store or the dataset, from those same bytes.
    """
    return KnowledgeGraph(sources.read_all(sources.source_paths(data, ontology=ontology)))
