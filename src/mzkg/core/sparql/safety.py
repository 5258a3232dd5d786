"""The rules that keep a query read-only and local, decided on the parsed query (rdflib's SPARQL parser),
never on patterns over its text.

A query is refused if it is an update (INSERT, DELETE, LOAD, CLEAR, …) or, unless the caller opts in, if it
holds a SERVICE pattern anywhere. Its form (SELECT, ASK, CONSTRUCT, DESCRIBE) and its dataset clause
(FROM / FROM NAMED) are reported so that the engine can honour or refuse them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql import parser
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import QueryError, QueryRefused
from ..prefixes import sparql_prologue

_PROLOGUE = sparql_prologue()
_PROLOGUE_LINES = _PROLOGUE.count("\n")
_LOCK = threading.Lock()  # pyparsing's packrat cache is not thread-safe (mzkg serve parses in threads)


@dataclass(frozen=True)
class QueryShape:
    """What the parse tree says about a query."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    service: bool
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    # False for a SELECT or ASK that costs what its own text costs: no triple pattern, GRAPH, SERVICE or dataset
    # anywhere and at most one block of inline data (ASK {}, SELECT (1 AS ?x) {})
    reads_data: bool = True

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


# the parse-tree nodes through which a query reads the graph: a query without any costs what its own text costs
_READS = frozenset({"TriplesBlock", "GraphGraphPattern", "ServiceGraphPattern", "DatasetClause"})
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def _nodes(node: Any) -> Iterator[CompValue]:
    """Every named node of rdflib's parse tree, depth first (iteratively: no recursion limit)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            yield n
            stack.extend(n.values())
        elif isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, list | tuple | ParseResults):
            stack.extend(n)


@lru_cache(maxsize=1024)
def inspect(text: str) -> QueryShape:
    """Parse a query (mzkg's prefixes declared) and report its shape; refuse updates; name a syntax error's place."""
    if not text.strip():
        raise QueryError("empty query")
    full = _PROLOGUE + text
    with _LOCK:
        try:
            parsed = parser.parseQuery(full)
        except ParseException as e:
            try:
                parser.parseUpdate(full)
            except ParseException:
                pass
            else:
                raise QueryRefused("SPARQL Update is not allowed: mzkg queries are read-only") from None
            line = e.lineno - _PROLOGUE_LINES
            near = e.line.strip()[:40]
            raise QueryError(f"SPARQL syntax error at line {line}, column {e.col} (near {near!r}): {e.msg}") from None
    query = parsed[1]
    form = _FORMS.get(query.name, query.name)
    service = False
    reads = form not in ("SELECT", "ASK")
    from_graphs: list[str] = []
    from_named: list[str] = []
    tables = 0  # blocks of inline data: two or more may join into a product far larger than the text
    for node in _nodes(parsed):
        reads = reads or node.name in _READS
        tables += node.name in ("InlineData", "ValuesClause")
        if node.name == "ServiceGraphPattern":
            service = True
        elif node.name == "DatasetClause":
            if "default" in node:
                from_graphs.append(str(node["default"]))
            if "named" in node:
                from_named.append(str(node["named"]))
    return QueryShape(form, service, tuple(from_graphs), tuple(from_named), reads or tables > 1)


def check(text: str, *, allow_service: bool = False) -> QueryShape:
    """The query's shape, once it is known to be read-only and (unless allowed) to reach no network."""
    shape = inspect(text)
    if shape.service and not allow_service:
        raise QueryRefused("SERVICE is not allowed: mzkg queries open no network connection (--allow-service opts in)")
    return shape
