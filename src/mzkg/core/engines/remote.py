"""Querying a remote SPARQL 1.1 Protocol endpoint over http(s) (httpx); answers read with Oxigraph's parsers."""

from __future__ import annotations

import httpx
import pyoxigraph

from ..errors import QueryError, StoreError, UsageError
from ..prefixes import sparql_prologue
from ..results import GraphResult, QueryResult, Result
from ..terms import from_oxigraph
from .oxigraph import is_ordered

TABLE_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"


def check_url(endpoint: str) -> None:
    """Only http(s) endpoints: a query never reads a local file as its answer."""
    if httpx.URL(endpoint).scheme not in ("http", "https"):
        raise UsageError(f"{endpoint}: an endpoint must be an http:// or https:// URL")


def run(endpoint: str, text: str, form: str, graph: str | None = None, timeout: float = 60.0) -> Result:
    """POST a query (form-encoded, SPARQL 1.1 Protocol) with mzkg's prefixes declared; read the answer."""
    check_url(endpoint)
    form_data = {"query": sparql_prologue() + text}
    if graph:
        form_data["default-graph-uri"] = graph
    accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else TABLE_ACCEPT
    try:
        resp = httpx.post(endpoint, data=form_data, headers={"Accept": accept}, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as e:
        raise StoreError(f"{endpoint}: cannot connect ({e})") from None
    if resp.status_code != 200:
        detail = resp.text.strip().splitlines()
        raise StoreError(f"{endpoint}: HTTP {resp.status_code} {resp.reason_phrase}" + (f": {detail[0][:200]}" if detail else ""))
    media = resp.headers.get("content-type", "").split(";")[0].strip()
    if form in ("CONSTRUCT", "DESCRIBE"):
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media) or pyoxigraph.RdfFormat.TURTLE
        try:
            return GraphResult([q.triple for q in pyoxigraph.parse(resp.content, format=rdf_format)])
        except SyntaxError as e:
            raise StoreError(f"{endpoint}: the answer is not readable {rdf_format.name} ({e})") from None
    results_format = pyoxigraph.QueryResultsFormat.from_media_type(media)
    if results_format is None:
        raise StoreError(f"{endpoint}: the endpoint answered {media or 'without a content type'}, not SPARQL results")
    try:
        parsed = pyoxigraph.parse_query_results(resp.content, format=results_format)
        if isinstance(parsed, pyoxigraph.QueryBoolean):
            return QueryResult([], [], boolean=bool(parsed))
        names = [v.value for v in parsed.variables]
        rows = [tuple(from_oxigraph(s[i]) for i in range(len(names))) for s in parsed]
    except (SyntaxError, ValueError) as e:
        raise StoreError(f"{endpoint}: the endpoint's results are malformed ({e})") from None
    except TypeError as e:
        raise QueryError(f"{endpoint}: an answer mzkg cannot read ({e})") from None
    return QueryResult(names, rows, ordered=is_ordered(text))
