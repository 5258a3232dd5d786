"""Putting the graph into a triple store with the SPARQL 1.1 Graph Store HTTP Protocol, and checking it arrived.

Credentials come from the environment and go only to the store's own origin: no redirect is followed (a PUT
that is redirected is reported, not repeated elsewhere). Basic or digest, whichever the store asks for.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import httpx
import pyoxigraph

from ..core.engines.remote import MAX_ANSWER, Exchange, exchange
from ..core.errors import StoreError, UsageError
from ..core.graph import KnowledgeGraph

USER_ENV, PASSWORD_ENV = "MZKG_STORE_USER", "MZKG_STORE_PASSWORD"


def _graph_param(url: httpx.URL) -> str:
    # Virtuoso's Graph CRUD endpoints name the parameter graph-uri; the W3C protocol (Oxigraph, Fuseki, GraphDB) says graph.
    return "graph-uri" if "sparql-graph-crud" in url.path else "graph"


def graph_url(gsp_url: str, graph: str) -> httpx.URL:
    url = httpx.URL(gsp_url)
    if url.scheme not in ("http", "https"):
        raise UsageError(f"{gsp_url}: a store must be an http:// or https:// URL")
    return url.copy_merge_params({_graph_param(url): graph})


def _auth(url: httpx.URL, timeout: float) -> httpx.Auth | None:
    """The credentials the store asks for, learnt with a HEAD request before any body is sent.

    A store that wants credentials answers a large PUT with 401 and may close the connection while the body
    is still being sent; so the challenge is learnt first, and the PUT goes once, already authorised.
    """
    user = os.environ.get(USER_ENV)
    try:
        probe = httpx.head(url, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as e:
        raise StoreError(f"{url}: cannot connect ({e})") from None
    if probe.status_code != 401:
        return None
    if user is None:
        raise StoreError(f"{url}: HTTP 401 Unauthorized (set {USER_ENV} and {PASSWORD_ENV})")
    password = os.environ.get(PASSWORD_ENV, "")
    scheme = probe.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
    return httpx.DigestAuth(user, password) if scheme == "digest" else httpx.BasicAuth(user, password)


def _request(
    method: str,
    url: httpx.URL,
    timeout: float,
    *,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    max_bytes: int = MAX_ANSWER,
) -> Exchange:
    """One request to the store within one deadline for the whole exchange, its answer bounded (`exchange`)."""
    auth = _auth(url, timeout)
    try:
        with httpx.Client(auth=auth, timeout=timeout, follow_redirects=False) as client:
            if isinstance(auth, httpx.DigestAuth):
                client.head(url)  # learns the digest challenge, so the request below goes once, authorised
            resp = exchange(client, method, url, timeout=timeout, max_bytes=max_bytes, content=content, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout) as e:
        raise StoreError(f"{url}: cannot connect ({e})") from None
    except httpx.HTTPError as e:
        changed = "; the graph in the store may have changed" if method == "PUT" else ""
        raise StoreError(f"{url}: the connection failed during the {method} ({e or type(e).__name__}){changed}") from None
    if 300 <= resp.status < 400:
        raise StoreError(
            f"{url}: HTTP {resp.status} redirect to {resp.headers.get('location')!r}; "
            "mzkg does not follow redirects with credentials: use the final address"
        )
    if resp.status >= 400:
        hint = f" (set {USER_ENV} and {PASSWORD_ENV})" if resp.status == 401 else ""
        detail = resp.first_line()
        raise StoreError(f"{url}: HTTP {resp.status} {resp.reason}{hint}" + (f": {detail}" if detail else ""))
    return resp


def put_graph(gsp_url: str, graph: str, ntriples: str, timeout: float = 600.0) -> None:
    """Replace the graph with these triples (one PUT, so a re-load never duplicates)."""
    _request(
        "PUT",
        graph_url(gsp_url, graph),
        timeout,
        content=ntriples.encode("utf-8"),
        headers={"Content-Type": "application/n-triples"},
    )


def count_graph(gsp_url: str, graph: str, timeout: float = 600.0, max_bytes: int = MAX_ANSWER) -> int:
    """Fetch the graph back from the store and count its triples."""
    url = graph_url(gsp_url, graph)
    resp = _request("GET", url, timeout, headers={"Accept": "application/n-triples, text/turtle;q=0.9"}, max_bytes=max_bytes)
    media = resp.headers.get("content-type", "").split(";")[0].strip()
    fmt = pyoxigraph.RdfFormat.from_media_type(media) or pyoxigraph.RdfFormat.TURTLE
    try:
        return sum(1 for _ in pyoxigraph.parse(resp.body, format=fmt))
    except SyntaxError as e:
        raise StoreError(f"{url}: the store answered with unreadable RDF ({e})") from None


@dataclass
class LoadReport:
    graph: str
    local: int
    remote: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.local == self.remote

    def text(self) -> str:
        verdict = "ok" if self.ok else "MISMATCH"
        return f"{verdict}: {self.remote} triples in <{self.graph}> (local {self.local}), loaded in {self.seconds:.1f} s\n"


def load_into(kg: KnowledgeGraph, gsp_url: str, graph: str, timeout: float = 600.0, max_bytes: int = MAX_ANSWER) -> LoadReport:
    """PUT the whole graph into a GSP store as one named graph, then count it through the store."""
    graph_url(gsp_url, graph)  # a bad URL is reported before the export
    nt = kg.export("nt")
    local = nt.count("\n")
    start = time.perf_counter()
    put_graph(gsp_url, graph, nt, timeout)
    remote = count_graph(gsp_url, graph, timeout, max_bytes)
    return LoadReport(graph, local, remote, time.perf_counter() - start)
