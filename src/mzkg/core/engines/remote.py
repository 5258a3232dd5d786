"""Querying a remote SPARQL 1.1 Protocol endpoint over http(s) (httpx); answers read with Oxigraph's parsers.

Every exchange with a store has one deadline for the whole of it (not per read: a store that drips a byte at a
time is cut off at the deadline, give or take one read), and a bound on the bytes of its answer once decompressed
(`MAX_ANSWER`, or `--max-bytes`); an error's body is read no further than `ERROR_BODY` and shown escaped."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
import pyoxigraph

from ..errors import QueryError, ResultTooLarge, StoreError, UsageError
from ..prefixes import sparql_prologue
from ..results import GraphResult, QueryResult, Result
from ..terms import from_oxigraph
from .oxigraph import is_ordered

TABLE_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"


MAX_ANSWER = 256 * 1024 * 1024  # bytes an answer may have, decompressed, unless the caller allows more
ERROR_BODY = 4096  # bytes of an error's body read, for its first line


@dataclass(frozen=True)
class Exchange:
    """What a store answered: status, reason, headers and the body as read (an error's no further than
    ERROR_BODY)."""

    status: int
    reason: str
    headers: httpx.Headers
    body: bytes

    def first_line(self) -> str:
        """The first line of the body, with what would act on a terminal (escape sequences, controls) escaped."""
        text = self.body.decode("utf-8", "replace").strip()
        line = text.splitlines()[0][:200] if text else ""
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def exchange(
    client: httpx.Client, method: str, url: str | httpx.URL, *, timeout: float, max_bytes: int = MAX_ANSWER, **kw: Any
) -> Exchange:
    """One request and its whole answer within `timeout` seconds and `max_bytes` (a StoreError past the deadline,
    ResultTooLarge past the bound)."""
    deadline = time.monotonic() + timeout
    with client.stream(method, url, **kw) as resp:
        limit = max_bytes if resp.status_code < 300 else ERROR_BODY
        body = bytearray()
        for chunk in resp.iter_bytes():  # decompressed: the bound holds for what the answer expands to
            body += chunk
            if len(body) > limit:
                if resp.status_code >= 300:
                    break
                raise ResultTooLarge(f"{url}: the answer is over {max_bytes // (1024 * 1024)} MB (allow more with --max-bytes)")
            if time.monotonic() > deadline:
                raise StoreError(f"{url}: no whole answer within {timeout:g} s")
        return Exchange(resp.status_code, resp.reason_phrase, resp.headers, bytes(body[:limit]))


def check_url(endpoint: str) -> None:
    """Only http(s) endpoints: a query never reads a local file as its answer."""
    if httpx.URL(endpoint).scheme not in ("http", "https"):
        raise UsageError(f"{endpoint}: an endpoint must be an http:// or https:// URL")


def run(
    endpoint: str, text: str, form: str, graph: str | None = None, timeout: float = 60.0, max_bytes: int = MAX_ANSWER
) -> Result:
    """POST a query (form-encoded, SPARQL 1.1 Protocol) with mzkg's prefixes declared; read the answer."""
    check_url(endpoint)
    form_data = {"query": sparql_prologue() + text}
    if graph:
        form_data["default-graph-uri"] = graph
    accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else TABLE_ACCEPT
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            resp = exchange(
                client, "POST", endpoint, timeout=timeout, max_bytes=max_bytes, data=form_data, headers={"Accept": accept}
            )
    except httpx.HTTPError as e:
        raise StoreError(f"{endpoint}: cannot connect ({e})") from None
    if resp.status != 200:
        detail = resp.first_line()
        raise StoreError(f"{endpoint}: HTTP {resp.status} {resp.reason}" + (f": {detail}" if detail else ""))
    media = resp.headers.get("content-type", "").split(";")[0].strip()
    if form in ("CONSTRUCT", "DESCRIBE"):
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media) or pyoxigraph.RdfFormat.TURTLE
        try:
            return GraphResult([q.triple for q in pyoxigraph.parse(resp.body, format=rdf_format)])
        except SyntaxError as e:
            raise StoreError(f"{endpoint}: the answer is not readable {rdf_format.name} ({e})") from None
    results_format = pyoxigraph.QueryResultsFormat.from_media_type(media)
    if results_format is None:
        raise StoreError(f"{endpoint}: the endpoint answered {media or 'without a content type'}, not SPARQL results")
    try:
        parsed = pyoxigraph.parse_query_results(resp.body, format=results_format)
        if isinstance(parsed, pyoxigraph.QueryBoolean):
            return QueryResult([], [], boolean=bool(parsed))
        names = [v.value for v in parsed.variables]
        rows = [tuple(from_oxigraph(s[i]) for i in range(len(names))) for s in parsed]
    except (SyntaxError, ValueError) as e:
        raise StoreError(f"{endpoint}: the endpoint's results are malformed ({e})") from None
    except TypeError as e:
        raise QueryError(f"{endpoint}: an answer mzkg cannot read ({e})") from None
    return QueryResult(names, rows, ordered=is_ordered(text))
