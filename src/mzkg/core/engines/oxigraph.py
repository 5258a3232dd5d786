"""Running a query on an Oxigraph store: parameters bound as terms (`substitutions=`), the union of the named
graphs as the default graph unless the query names its own dataset (FROM / FROM NAMED)."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping

import pyoxigraph

from ..errors import QueryError, QueryTimeout, ResultTooLarge, UsageError
from ..prefixes import PREFIXES
from ..results import GraphResult, QueryResult, Result
from ..terms import OxTerm, Term, from_oxigraph, to_oxigraph

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_ORDERED = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def is_ordered(text: str) -> bool:
    """Whether the answer's row order is meaningful (used only to compare answers, never to decide safety)."""
    return _ORDERED.search(text) is not None


def _syntax_error(text: str, e: SyntaxError) -> QueryError:
    m = _POSITION.match(str(e))
    if not m:
        return QueryError(f"SPARQL syntax error: {' '.join(str(e).split())}")
    line, col = int(m.group(1)), int(m.group(2))
    lines = text.splitlines()
    near = lines[line - 1].strip()[:40] if 0 < line <= len(lines) else ""
    expected = " ".join(m.group(3).split())  # the parser's list of what it expected may run over several lines
    return QueryError(f"SPARQL syntax error at line {line}, column {col} (near {near!r}): {expected}")


def run(
    store: pyoxigraph.Store,
    text: str,
    terms: Mapping[str, Term] | None = None,
    *,
    union: bool = True,
    max_rows: int | None = None,
    deadline: float | None = None,
) -> Result:
    """Run a query; ``max_rows`` refuses larger answers, ``deadline`` (a time.monotonic() value) stops reading
    solutions once passed."""
    if not text.strip():
        raise QueryError("empty query")
    substitutions: dict[pyoxigraph.Variable, OxTerm | pyoxigraph.Triple] = {
        pyoxigraph.Variable(k): to_oxigraph(t) for k, t in (terms or {}).items()
    }
    try:
        res = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=union, substitutions=substitutions or None)
    except SyntaxError as e:
        raise _syntax_error(text, e) from None
    except RuntimeError as e:  # a parameter the query does not project
        raise UsageError(f"cannot bind the parameters {', '.join(sorted(terms or {}))}: {e}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    if isinstance(res, pyoxigraph.QueryBoolean):
        return QueryResult([], [], boolean=bool(res))
    if isinstance(res, pyoxigraph.QueryTriples):
        return GraphResult(list(res))
    names = [v.value for v in res.variables]
    rows = []
    try:
        for solution in res:
            rows.append(tuple(from_oxigraph(solution[i]) for i in range(len(names))))
            if max_rows is not None and len(rows) > max_rows:
                raise ResultTooLarge(f"the result has more than {max_rows} rows: add a LIMIT, or raise the limit")
            if deadline is not None and time.monotonic() > deadline:
                raise QueryTimeout("the query ran past the time limit: narrow it, or raise the limit")
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    return QueryResult(names, rows, ordered=is_ordered(text))
