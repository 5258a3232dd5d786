"""The one query service: every interface (the library's `mzkg.query()`, the CLI, the Jupyter magics, the
server and the web pages) runs its queries through `run`, and none repeats a step of it.

    resolve (a name, an .rq file or text)
      → bind parameters (as terms: natively on local engines, into the text only for a remote endpoint)
      → enforce the read-only and local rules on the parsed query (packaged queries are proved so by the tests)
      → run on Oxigraph (the default), rdflib, or a remote endpoint
      → a QueryResult (SELECT, ASK) or a GraphResult (CONSTRUCT, DESCRIBE)

Engines other than Oxigraph, and the SPARQL parser that decides safety, are imported only when a query needs
them: a packaged query on the default engine never imports rdflib.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .engines import oxigraph
from .errors import QueryError, UsageError
from .graph import KnowledgeGraph
from .results import QueryResult, Result
from .sparql.catalogue import NamedQuery, resolve
from .sparql.params import bind
from .terms import Term

Engine = Literal["oxigraph", "rdflib"]
ENGINES: tuple[Engine, ...] = ("oxigraph", "rdflib")


@dataclass(frozen=True)
class Limits:
    """How much a query may cost: rows in its answer, seconds of running, bytes of memory beyond the caller's.

    With a time limit, a local query runs in a child process killed at its deadline (`bounded`), so one that
    runs away stops for real and its memory is bounded (by `memory`, default QUERY_MEMORY).
    """

    max_rows: int | None = None
    timeout: float | None = None
    memory: int | None = None
    max_bytes: int | None = None  # of a remote store's answer, decompressed (default remote.MAX_ANSWER)

    def deadline(self) -> float | None:
        return None if self.timeout is None else time.monotonic() + self.timeout


NO_LIMITS = Limits()
QUERY_MEMORY = 2 << 30  # bytes a time-limited local query may use beyond its caller (2 GiB)


def run(
    source: str | NamedQuery,
    params: Mapping[str, str | Term] | None = None,
    *,
    kg: KnowledgeGraph | None = None,
    engine: Engine = "oxigraph",
    endpoint: str | None = None,
    graph: str | None = None,
    allow_service: bool = False,
    limits: Limits = NO_LIMITS,
) -> Result:
    """Run a named query, an .rq file or SPARQL text; see the module's docstring for the steps."""
    query = source if isinstance(source, NamedQuery) else resolve(source)
    terms = bind(query.params, params or {}, named=query.path is not None or bool(query.params))
    if graph and not endpoint:
        raise UsageError("--graph goes with --endpoint")
    if endpoint:
        return _remote(query, terms, endpoint, graph, allow_service=allow_service, limits=limits)
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if kg is None:
        raise UsageError("no graph to query: load one with mzkg.load()")
    if engine == "rdflib":
        if allow_service:
            raise UsageError("--allow-service goes with the oxigraph engine")
        from .engines import rdflib_engine  # noqa: PLC0415 - rdflib only when asked for
        from .sparql import safety  # noqa: PLC0415 - the parser imports rdflib

        shape, dataset = safety.check(query.text), kg.dataset
        return _bounded(lambda: rdflib_engine.run(dataset, query.text, shape, terms), limits)
    union = True
    if not query.trusted:
        from .sparql import safety  # noqa: PLC0415 - the parser imports rdflib; packaged queries skip it

        shape = safety.check(query.text, allow_service=allow_service)
        union = not shape.has_dataset
        if not shape.reads_data:  # `ASK {}` and the like cost their own text: answered here, never queued behind a fork
            limits = replace(limits, timeout=None)
    store = kg.store  # built here, before any child, so a child inherits it instead of building its own
    return _bounded(
        lambda: oxigraph.run(store, query.text, terms, union=union, max_rows=limits.max_rows, deadline=limits.deadline()),
        limits,
    )


def _bounded(work: Callable[[], Result], limits: Limits) -> Result:
    """The work in a child stopped at the time limit, when there is one; else here."""
    if limits.timeout is None:
        return work()
    from . import bounded  # noqa: PLC0415 - only time-limited queries fork

    return bounded.run(work, timeout=limits.timeout, memory=limits.memory or QUERY_MEMORY)


def _remote(
    query: NamedQuery, terms: Mapping[str, Term], endpoint: str, graph: str | None, *, allow_service: bool, limits: Limits
) -> Result:
    from .engines import remote  # noqa: PLC0415 - httpx only for remote endpoints
    from .sparql import safety  # noqa: PLC0415 - a remote endpoint gets only what the parser approves
    from .sparql.params import write_into_text  # noqa: PLC0415

    remote.check_url(endpoint)
    shape = safety.check(query.text, allow_service=allow_service)
    text = write_into_text(query.text, terms)
    bound = limits.max_bytes or remote.MAX_ANSWER
    return remote.run(endpoint, text, shape.form, graph, timeout=limits.timeout or 60.0, max_bytes=bound)


def select(
    source: str | NamedQuery, params: Mapping[str, str | Term] | None = None, *, kg: KnowledgeGraph, limits: Limits = NO_LIMITS
) -> QueryResult:
    """Run a SELECT or ASK query on the local graph (the features' way in): a table, never a graph."""
    result = run(source, params, kg=kg, limits=limits)
    if not isinstance(result, QueryResult):
        raise QueryError("this query answers a graph (CONSTRUCT or DESCRIBE), not a table")
    return result
