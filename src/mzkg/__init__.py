"""mzkg: a knowledge graph of Chinese civil-affairs (民政) programmes and institutions.

The library does the work; the `mzkg` command, the Jupyter magics and the server are thin layers over it::

    import mzkg
    kg = mzkg.load()
    mzkg.query("kuasheng-services").to_dataframe()

Queries answer on Oxigraph. Each feature (validation, coverage, description, networks) is imported when
its function is first called, so `import mzkg` and `mzkg.query()` stay light (no rdflib, pySHACL, networkx).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .core.errors import LoadError, MzkgError, NotFound, QueryError, StoreError, UsageError
from .core.graph import KnowledgeGraph
from .core.graph import load as _load
from .core.results import GraphResult, QueryResult, Result
from .core.service import Engine, Limits
from .core.service import run as _run
from .core.sources import PathArg
from .core.sparql.catalogue import NamedQuery, named_queries

if TYPE_CHECKING:
    from .features.corpus import Report
    from .features.grounding import CoverageReport
    from .features.lookup import Description
    from .features.validation import ValidationReport

__all__ = [
    "GraphResult",
    "KnowledgeGraph",
    "Limits",
    "LoadError",
    "MzkgError",
    "NotFound",
    "QueryError",
    "QueryResult",
    "StoreError",
    "UsageError",
    "__version__",
    "coverage",
    "describe",
    "export",
    "load",
    "queries",
    "query",
    "reports",
    "series",
    "stats",
    "to_networkx",
    "validate",
]

_default: KnowledgeGraph | None = None


def load(data: Sequence[PathArg] | None = None, *, ontology: bool = True) -> KnowledgeGraph:
    """Load the ontology and the data (the packaged data, or the given files and folders), a named graph per file."""
    return _load(data, ontology=ontology)


def _graph(kg: KnowledgeGraph | None) -> KnowledgeGraph:
    global _default  # noqa: PLW0603 - the packaged graph, loaded once per process on first use
    if kg is not None:
        return kg
    if _default is None:
        _default = _load()
    return _default


def query(
    source: str,
    kg: KnowledgeGraph | None = None,
    *,
    engine: Engine = "oxigraph",
    endpoint: str | None = None,
    graph: str | None = None,
    **params: str,
) -> Result:
    """Run a named query, an .rq file or SPARQL text on Oxigraph (or ``engine="rdflib"``, or a remote
    ``endpoint``); parameters are bound as RDF terms."""
    return _run(source, params, kg=None if endpoint else _graph(kg), engine=engine, endpoint=endpoint, graph=graph)


def queries() -> dict[str, NamedQuery]:
    """The named queries (queries/*.rq) by name, each with its title, questions and parameters."""
    return named_queries()


def validate(kg: KnowledgeGraph | None = None) -> ValidationReport:
    """SHACL-validate the graph against the packaged shapes."""
    from .features.validation import validate as _validate  # noqa: PLC0415 - pySHACL only when validating

    return _validate(_graph(kg))


def export(fmt: str = "turtle", kg: KnowledgeGraph | None = None) -> str:
    """The whole graph serialised (turtle, nt, nquads, trig, json-ld, xml), byte-identical across runs."""
    return _graph(kg).export(fmt)


def stats(kg: KnowledgeGraph | None = None) -> dict[str, Any]:
    """Triples, entities per class, and the triples of each source file."""
    return _graph(kg).stats()


def describe(label: str, kg: KnowledgeGraph | None = None) -> list[Description]:
    """The entities a label finds (best first, in any script or language), each with every fact and its quotes."""
    from .features.lookup import describe as _describe  # noqa: PLC0415 - imported on first use

    return _describe(_graph(kg), label)


def coverage(kg: KnowledgeGraph | None = None, source: str | None = None) -> CoverageReport:
    """Which figures and clauses of a source text are encoded (``source``: its IRI; needed when the graph has
    more than one)."""
    from rdflib import URIRef  # noqa: PLC0415 - rdflib only when asked for

    from .features.grounding import coverage as _coverage  # noqa: PLC0415 - rdflib only when asked for

    return _coverage(_graph(kg), URIRef(source) if source else None)


def reports(kg: KnowledgeGraph | None = None) -> list[Report]:
    """The reports the graph holds (its catalogue), oldest first, with counts of statements and figures."""
    from .features.corpus import reports as _reports  # noqa: PLC0415 - imported when asked for

    return _reports(_graph(kg))


def series(label: str, kg: KnowledgeGraph | None = None) -> Any:
    """One indicator across reports, places and years as a pandas DataFrame ready to plot: ``label`` names the
    measured thing (社工站) or the figure; columns value, unit, hedge, year, place, report, kind, target."""
    from .features.corpus import series as _series  # noqa: PLC0415 - pandas only when asked for

    return _series(_graph(kg), label)


def to_networkx(kg: KnowledgeGraph | None = None) -> Any:
    """The entity graph as a networkx MultiDiGraph (no literals, no provenance plumbing)."""
    from .features.network import to_networkx as _to_networkx  # noqa: PLC0415 - networkx only when asked for

    return _to_networkx(_graph(kg))


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext mzkg` registers the `%sparql` / `%%sparql` magics (needs the `jupyter` extra)."""
    from .interfaces.jupyter import load_ipython_extension as _load_ext  # noqa: PLC0415 - IPython only in Jupyter

    _load_ext(ipython)
