"""Named competency questions (queries/*.rq) and running SPARQL over the graph."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import QueryError
from .fast import bcp47_case
from .prefixes import sparql_prologue
from .results import QueryResult, Term, literal_term

_HEADER = re.compile(r"^#\s*(title|question \(zh\)|question \(en\)|param)\s*:?\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*=\s*(.*?)\s*(?:—\s*(.*))?$")


@dataclass
class NamedQuery:
    """A .rq file with its comment header: title, questions, parameters and their defaults."""

    name: str
    path: Path
    text: str
    title: str = ""
    question_zh: str = ""
    question_en: str = ""
    params: dict[str, str] = field(default_factory=dict)  # name -> description

    @classmethod
    def from_file(cls, path: Path) -> NamedQuery:
        text = path.read_text(encoding="utf-8")
        q = cls(path.stem, path, text)
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = _HEADER.match(line)
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            if key == "title":
                q.title = value
            elif key == "question (zh)":
                q.question_zh = value
            elif key == "question (en)":
                q.question_en = value
            elif (pm := _PARAM.match(value)):
                q.params[pm.group(1)] = (pm.group(3) or "").strip() + f" (default {pm.group(2)})"
        return q


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name (the file stem)."""
    folder = folder or paths.queries_dir()
    return {p.stem: NamedQuery.from_file(p) for p in sorted(folder.glob("*.rq"))}


def resolve(name_or_text: str) -> tuple[str, dict[str, str]]:
    """The SPARQL text for a query name, a path to an .rq file, or the text itself; and its parameters."""
    candidate = name_or_text.strip()
    if not candidate:
        raise QueryError("empty query")
    if candidate.endswith(".rq") and "\n" not in candidate:
        p = Path(candidate)
        if not p.is_file():
            raise QueryError(f"{p}: no such query file")
        q = NamedQuery.from_file(p)
        return q.text, q.params
    if re.fullmatch(r"[\w.-]+", candidate):
        path = paths.queries_dir() / f"{candidate}.rq"
        if path.is_file():
            q = NamedQuery.from_file(path)
            return q.text, q.params
        import difflib

        known = named_queries()
        close = difflib.get_close_matches(candidate, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `mzkg queries` lists them"
        raise QueryError(f"unknown query name {candidate!r}{hint}")
    return name_or_text, {}


def _values_block(var: str) -> re.Pattern[str]:
    return re.compile(r"VALUES\s+\?" + re.escape(var) + r"\s*\{[^}]*\}", re.I)


def parse_param_value(value: str) -> Term:
    """A --param value as an RDF term: <iri>, an http(s) IRI, or a plain literal."""
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        return Term("uri", value[1:-1])
    if re.match(r"^https?://\S+$", value):
        return Term("uri", value)
    return Term("literal", value)


def bind_params(text: str, declared: dict[str, str], params: dict[str, str]) -> str:
    """Replace each parameter's default VALUES row with the given value, written as an RDF term."""
    for key, raw in params.items():
        if declared and key not in declared or not _values_block(key).search(text):
            names = ", ".join(declared) or "none"
            raise QueryError(f"unknown parameter {key!r}; this query takes: {names}")
        term = parse_param_value(raw).n3()
        text = _values_block(key).sub(lambda _m: f"VALUES ?{key} {{ {term} }}", text, count=1)
    return text


def with_prologue(text: str) -> str:
    """The query with mzkg's prefixes declared first (a query's own PREFIX lines still win)."""
    return sparql_prologue() + text


def check_read_only(text: str, allow_service: bool = False, local: bool = False):
    """Parse a query; refuse updates and, unless allowed, anything that would open a network connection.

    ``local``: the query runs in rdflib here, which would fetch FROM graphs over the network.
    """
    with _PARSER_LOCK:  # pyparsing's packrat cache is not thread-safe (mzkg serve runs queries in threads)
        return _check_read_only(text, allow_service, local)


_PARSER_LOCK = threading.Lock()


def _check_read_only(text: str, allow_service: bool, local: bool):
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser
    from rdflib.plugins.sparql.algebra import translateQuery

    full = with_prologue(text)
    try:
        parsed = parser.parseQuery(full)
    except ParseException as e:
        try:
            parser.parseUpdate(full)
        except ParseException:
            pass
        else:
            raise QueryError("SPARQL Update is not allowed: mzkg queries are read-only") from None
        if not text.strip():
            raise QueryError("empty query")
        line = e.lineno - sparql_prologue().count("\n")
        near = e.line.strip()[:40]
        raise QueryError(f"SPARQL syntax error at line {line}, column {e.col} (near {near!r}): {e.msg}") from None
    if not allow_service and _mentions(parsed, "ServiceGraphPattern"):
        raise QueryError("SERVICE is not allowed: mzkg queries open no network connection (--allow-service opts in)")
    if local and _mentions(parsed, "DatasetClause"):
        raise QueryError("FROM / FROM NAMED is not allowed on the local graph: use GRAPH, or --endpoint with --graph")
    try:
        return translateQuery(parsed)
    except Exception as e:  # rdflib reports semantic errors (e.g. unbound prefix) as several types
        raise QueryError(f"SPARQL error: {e}") from None


def _mentions(node, name: str) -> bool:
    """Whether a node of this name occurs anywhere in rdflib's parse tree."""
    from pyparsing import ParseResults

    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_mentions(v, name) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_mentions(v, name) for v in node)
    return False


def _term(node) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        return literal_term(str(node), str(node.datatype) if node.datatype else None, node.language)
    return Term("literal", str(node))


def is_ordered(text: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", text, re.I) is not None


def run_rdflib(kg, text: str) -> QueryResult:
    """Run a read-only query over the knowledge graph with rdflib."""
    algebra = check_read_only(text, local=True)
    try:
        res = kg.dataset.query(algebra)
    except Exception as e:  # an evaluation error in rdflib (bad cast, type error)
        raise QueryError(f"query failed: {e}") from None
    if res.type == "ASK":
        return QueryResult([], [], boolean=bool(res.askAnswer))
    if res.type != "SELECT":
        raise QueryError("only SELECT and ASK queries give a table; use CONSTRUCT through `mzkg export`")
    names = [str(v) for v in res.vars]
    rows = [tuple(_term(row[i]) for i in range(len(names))) for row in res]
    return QueryResult(names, rows, ordered=is_ordered(text))


def oxigraph_store(kg):
    """An in-memory Oxigraph store holding the knowledge graph, a named graph per source."""
    import pyoxigraph

    from .graph import export

    store = pyoxigraph.Store()
    store.load(export(kg, "nquads").encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _ox_term(node) -> Term | None:
    import pyoxigraph

    if node is None:
        return None
    if isinstance(node, pyoxigraph.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return Term("bnode", node.value)
    # Oxigraph lowercases language tags; show them as written (zh-Hant)
    return literal_term(node.value, node.datatype.value if node.datatype else None,
                        bcp47_case(node.language) if node.language else None)


def run_oxigraph(store, text: str, max_rows: int | None = None, deadline: float | None = None) -> QueryResult:
    """Run a read-only query over an Oxigraph store, the union of its graphs as the default graph.

    ``max_rows`` refuses larger answers; ``deadline`` (a time.monotonic() value) stops reading solutions
    once passed. Oxigraph computes lazily, so both stop the work, except inside one aggregate or sort.
    """
    import pyoxigraph

    from .prefixes import PREFIXES

    if not text.strip():
        raise QueryError("empty query")
    try:
        res = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as e:
        m = re.match(r"error at (\d+):(\d+): (.*)", str(e), re.S)
        if not m:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        line, col = int(m.group(1)), int(m.group(2))
        lines = text.splitlines()
        near = lines[line - 1].strip()[:40] if 0 < line <= len(lines) else ""
        raise QueryError(f"SPARQL syntax error at line {line}, column {col} (near {near!r}): {m.group(3).strip()}") from None
    except OSError as e:
        raise QueryError(f"query failed: {e}") from None
    if isinstance(res, pyoxigraph.QueryBoolean):
        return QueryResult([], [], boolean=bool(res))
    if not isinstance(res, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT and ASK queries give a table; use CONSTRUCT through `mzkg export`")
    names = [v.value for v in res.variables]
    rows = []
    for sol in res:
        rows.append(tuple(_ox_term(sol[i]) for i in range(len(names))))
        if max_rows is not None and len(rows) > max_rows:
            raise QueryError(f"the result has more than {max_rows} rows: add a LIMIT, or raise the server's --max-rows")
        if deadline is not None and time.monotonic() > deadline:
            raise QueryError("the query ran past the time limit: narrow it, or raise the server's --timeout")
    if deadline is not None and time.monotonic() > deadline:
        raise QueryError("the query ran past the time limit: narrow it, or raise the server's --timeout")
    return QueryResult(names, rows, ordered=is_ordered(text))


def query(kg, name_or_text: str, **params: str) -> QueryResult:
    """Run a named query, an .rq file or SPARQL text, with parameters bound as RDF terms."""
    text, declared = resolve(name_or_text)
    text = bind_params(text, declared, params)
    return run_rdflib(kg, text)
