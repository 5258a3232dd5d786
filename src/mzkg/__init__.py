"""mzkg: a knowledge graph of Chinese civil-affairs (民政) programmes and institutions.

The library does the work; the `mzkg` command is a thin layer over it::

    import mzkg
    kg = mzkg.load()
    mzkg.query("kuasheng-services").to_dataframe()
"""

from __future__ import annotations


from typing import TYPE_CHECKING

from .errors import LoadError, MzkgError, QueryError, StoreError

if TYPE_CHECKING:  # rdflib is imported only when a graph is loaded
    from .graph import KnowledgeGraph

from ._version import __version__

__all__ = ["KnowledgeGraph", "LoadError", "MzkgError", "QueryError", "StoreError", "__version__",
           "coverage", "describe", "export", "load", "query", "stats", "to_networkx", "validate"]

_default: KnowledgeGraph | None = None


def load(data=None, *, ontology: bool = True) -> KnowledgeGraph:
    """Load the ontology and the data (the packaged data, or the given files and folders)."""
    from .graph import load as _load
    return _load(data, ontology=ontology)


def __getattr__(name: str):
    if name == "KnowledgeGraph":
        from .graph import KnowledgeGraph
        return KnowledgeGraph
    raise AttributeError(f"module 'mzkg' has no attribute {name!r}")


def _graph(kg: KnowledgeGraph | None) -> KnowledgeGraph:
    global _default
    if kg is not None:
        return kg
    if _default is None:
        _default = load()
    return _default


def query(name_or_sparql: str, kg: KnowledgeGraph | None = None, **params: str):
    """Run a named query, an .rq file or SPARQL text; parameters are bound as RDF terms."""
    from .queries import query as _query
    return _query(_graph(kg), name_or_sparql, **params)


def validate(kg: KnowledgeGraph | None = None):
    """SHACL-validate the graph against the packaged shapes."""
    from .shacl import validate as _validate
    return _validate(_graph(kg))


def export(fmt: str = "turtle", kg: KnowledgeGraph | None = None) -> str:
    """The whole graph serialised, byte-identical across runs."""
    from .graph import export as _export
    return _export(_graph(kg), fmt)


def stats(kg: KnowledgeGraph | None = None) -> dict:
    from .graph import stats as _stats
    return _stats(_graph(kg))


def describe(label: str, kg: KnowledgeGraph | None = None):
    from .lookup import describe as _describe
    return _describe(_graph(kg), label)


def coverage(kg: KnowledgeGraph | None = None):
    from .grounding import coverage as _coverage
    return _coverage(_graph(kg))


def to_networkx(kg: KnowledgeGraph | None = None):
    """The entity graph as a networkx MultiDiGraph (no literals, no provenance plumbing)."""
    from .network import to_networkx as _to_networkx
    return _to_networkx(_graph(kg))


def load_ipython_extension(ipython) -> None:
    """`%load_ext mzkg` registers the `%sparql` / `%%sparql` magics (needs the `jupyter` extra)."""
    from .jupyter import load_ipython_extension as _load
    _load(ipython)
