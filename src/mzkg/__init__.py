"""mzkg: a knowledge graph of Chinese civil-affairs (民政) programmes and institutions.

The library does the work; the `mzkg` command, the Jupyter magics and the server are thin layers over it:

>>> import mzkg
>>> kg = mzkg.load()
>>> mzkg.query("kuasheng-services", kg).to_dataframe()["label_zh"].iloc[-1]  # pandas: the jupyter extra
'殘疾人兩項補貼'

Every function takes the graph as `kg`; without it, the packaged graph is loaded once and kept.
Queries answer on Oxigraph. Each feature (validation, coverage, description, networks) is imported when
its function is first called, so `import mzkg` and `mzkg.query()` stay light (no rdflib, pySHACL, networkx).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .core.errors import LoadError, MissingExtra, MzkgError, NotFound, QueryError, StoreError, UsageError
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
    "MissingExtra",
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
    """Load the ontology and the data (the packaged data, or the given files and folders), a named graph per file.

    >>> import mzkg
    >>> kg = mzkg.load()
    >>> kg.graph_names[:2]
    ['https://w3id.org/mzkg/graph/ontology/mzkg', 'https://w3id.org/mzkg/graph/data/catalogue']
    >>> len(mzkg.load(ontology=False)) < len(kg)
    True
    """
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
    ``endpoint``); parameters are bound as RDF terms.

    >>> import mzkg
    >>> res = mzkg.query("provenance", label="双百工程")
    >>> res.vars
    ['label', 'entity', 'start', 'end', 'quote']
    >>> res.records()[0]["quote"]
    '“廣東兜底民生服務社會工作雙百工程”'
    >>> print(res.serialize("markdown"))
    | label | entity | start | end | quote |
    |---|---|---|---|---|
    | 双百工程 | https://w3id.org/mzkg/id/programme/shuangbai | 947 | 965 | “廣東兜底民生服務社會工作雙百工程” |
    <BLANKLINE>
    >>> mzkg.query("ASK { ?s rdfs:label '五社聯動'@zh-Hant }").boolean
    True
    >>> mzkg.query("provenance", engine="rdflib", label="雙百工程").records() == mzkg.query("provenance").records()
    True
    """
    return _run(source, params, kg=None if endpoint else _graph(kg), engine=engine, endpoint=endpoint, graph=graph)


def queries() -> dict[str, NamedQuery]:
    """The named queries (queries/*.rq) by name, each with its title, questions and parameters.

    >>> import mzkg
    >>> named = mzkg.queries()
    >>> named["kuasheng-services"].question_en
    'Which public services can be handled through the inter-provincial channel (跨省通辦), and for whom?'
    >>> named["provenance"].params["label"].description
    'a label in zh-Hant, zh-Hans or English'
    """
    return named_queries()


def validate(kg: KnowledgeGraph | None = None) -> ValidationReport:
    """SHACL-validate the graph against the packaged shapes (``mzkg.validate()``: the packaged graph, which conforms).

    Your own Turtle, with the ontology beside it:

    >>> import mzkg, pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> mine = pathlib.Path(folder.name, "mine.ttl")
    >>> _ = mine.write_text('''
    ... @prefix mzkg: <https://w3id.org/mzkg/ontology#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... <https://w3id.org/mzkg/id/programme/mine> a mzkg:Programme ; rdfs:label "我的項目"@zh-Hant .
    ... ''', encoding="utf-8")
    >>> report = mzkg.validate(mzkg.load([mine]))
    >>> report.conforms
    False
    >>> [(v.focus, v.message_en) for v in report.results if v.path == "rdfs:label"]
    [('<https://w3id.org/mzkg/id/programme/mine>', 'needs exactly one label each in zh-Hant, zh-Hans and en.')]
    >>> folder.cleanup()
    """
    from .features.validation import validate as _validate  # noqa: PLC0415 - pySHACL only when validating

    return _validate(_graph(kg))


def export(fmt: str = "turtle", kg: KnowledgeGraph | None = None) -> str:
    """The whole graph serialised (turtle, nt, nquads, trig, json-ld, xml), byte-identical across runs.

    >>> import mzkg, pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> mine = pathlib.Path(folder.name, "mine.ttl")
    >>> _ = mine.write_text('''
    ... @prefix mzkg: <https://w3id.org/mzkg/ontology#> .
    ... <https://w3id.org/mzkg/id/programme/mine> a mzkg:Programme ; mzkg:atTier <https://w3id.org/mzkg/id/tier/cun> .
    ... ''', encoding="utf-8")
    >>> kg = mzkg.load([mine], ontology=False)
    >>> print(mzkg.export("nt", kg), end="")
    <https://w3id.org/mzkg/id/programme/mine> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/mzkg/ontology#Programme> .
    <https://w3id.org/mzkg/id/programme/mine> <https://w3id.org/mzkg/ontology#atTier> <https://w3id.org/mzkg/id/tier/cun> .
    >>> mzkg.export("trig", kg) == mzkg.export("trig", mzkg.load([mine], ontology=False))
    True
    >>> folder.cleanup()
    """
    return _graph(kg).export(fmt)


def stats(kg: KnowledgeGraph | None = None) -> dict[str, Any]:
    """Triples, entities per class, and the triples of each source file.

    >>> import mzkg
    >>> found = mzkg.stats()
    >>> found["classes"]["mzkg:Programme"] > 0, found["triples"] == len(mzkg.load())
    (True, True)
    """
    return _graph(kg).stats()


def describe(label: str, kg: KnowledgeGraph | None = None) -> list[Description]:
    """The entities a label finds (best first, in any script or language), each with every fact and its quotes.

    >>> import mzkg
    >>> best = mzkg.describe("双百工程")[0]
    >>> best.iri, best.types
    ('https://w3id.org/mzkg/id/programme/shuangbai', ['mzkg:Programme', 'mzkg:Project'])
    >>> best.quotes[0]
    '“廣東兜底民生服務社會工作雙百工程”'
    >>> mzkg.describe("Shuangbai")[0].iri == best.iri
    True
    """
    from .features.lookup import describe as _describe  # noqa: PLC0415 - imported on first use

    return _describe(_graph(kg), label)


def coverage(kg: KnowledgeGraph | None = None, source: str | None = None) -> CoverageReport:
    """Which figures and clauses of a source text are encoded (``source``: its IRI; needed when the graph has
    more than one).

    >>> import mzkg
    >>> found = mzkg.coverage()
    >>> found.complete
    True
    >>> print(found.text())  # doctest: +ELLIPSIS
    source: https://w3id.org/mzkg/id/report/guangdong-minzheng-2022/text
    figures: .../... encoded (100.0%)
    clauses: .../... encoded (100.0%)
    <BLANKLINE>
    """
    from rdflib import URIRef  # noqa: PLC0415 - rdflib only when asked for

    from .features.grounding import coverage as _coverage  # noqa: PLC0415 - rdflib only when asked for

    return _coverage(_graph(kg), URIRef(source) if source else None)


def reports(kg: KnowledgeGraph | None = None) -> list[Report]:
    """The reports the graph holds (its catalogue), oldest first, with counts of statements and figures.

    >>> import mzkg
    >>> [(r.slug, r.place, r.level, r.reviews, r.plans, r.method) for r in mzkg.reports()]
    [('guangdong-minzheng-2022', '廣東', '省', '2021', '2022', 'encoded by hand')]
    """
    from .features.corpus import reports as _reports  # noqa: PLC0415 - imported when asked for

    return _reports(_graph(kg))


def series(label: str, kg: KnowledgeGraph | None = None) -> Any:
    """One indicator across reports, places and years as a pandas DataFrame ready to plot: ``label`` names the
    measured thing (社工站) or the figure; columns value, unit, hedge, year, place, report, kind, target.

    >>> import mzkg
    >>> frame = mzkg.series("社工站")  # pandas: the jupyter extra
    >>> frame[["thing", "value", "unit", "year", "place"]].to_dict("records")[0]
    {'thing': '社工站覆蓋率', 'value': 100.0, 'unit': '%', 'year': 2021, 'place': '廣東'}
    """
    from .features.corpus import series as _series  # noqa: PLC0415 - pandas only when asked for

    return _series(_graph(kg), label)


def to_networkx(kg: KnowledgeGraph | None = None) -> Any:
    """The entity graph as a networkx MultiDiGraph (no literals, no provenance plumbing).

    >>> import mzkg
    >>> g = mzkg.to_networkx()
    >>> shuangbai, station = "https://w3id.org/mzkg/id/programme/shuangbai", "https://w3id.org/mzkg/id/institution/shegongzhan"
    >>> g.nodes[station]["label"]
    '社工站'
    >>> [edge["predicate"] for edge in g.get_edge_data(shuangbai, station).values()]
    ['mzkg:buildsInstitution']
    """
    from .features.network import to_networkx as _to_networkx  # noqa: PLC0415 - networkx only when asked for

    return _to_networkx(_graph(kg))


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext mzkg` registers the `%sparql` / `%%sparql` magics (needs the `jupyter` extra)."""
    from .interfaces.jupyter import load_ipython_extension as _load_ext  # noqa: PLC0415 - IPython only in Jupyter

    _load_ext(ipython)
