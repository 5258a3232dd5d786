"""Putting the graph into a triple store with the SPARQL 1.1 Graph Store HTTP Protocol, and checking it arrived."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .errors import StoreError

USER_ENV, PASSWORD_ENV = "MZKG_STORE_USER", "MZKG_STORE_PASSWORD"


def _graph_param(gsp_url: str) -> str:
    # Virtuoso's Graph CRUD endpoints name the parameter graph-uri; the W3C protocol (Oxigraph, Fuseki, GraphDB) says graph.
    return "graph-uri" if "sparql-graph-crud" in urllib.parse.urlsplit(gsp_url).path else "graph"


def graph_url(gsp_url: str, graph: str) -> str:
    sep = "&" if urllib.parse.urlsplit(gsp_url).query else "?"
    return f"{gsp_url}{sep}{urllib.parse.urlencode({_graph_param(gsp_url): graph})}"


def _credentials() -> tuple[str, str] | None:
    user = os.environ.get(USER_ENV)
    return None if user is None else (user, os.environ.get(PASSWORD_ENV, ""))


def _authorization(url: str, method: str, timeout: float) -> str | None:
    """The Authorization header for a request, worked out before the request is sent.

    A store that wants credentials answers a large PUT with 401 and may close the connection while the
    body is still being sent; so a HEAD request first learns the challenge (or that none is needed), and
    the PUT goes once, already authorised.
    """
    creds = _credentials()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout):
            return None  # the store does not ask for credentials
    except urllib.error.HTTPError as e:
        challenge = e.headers.get("WWW-Authenticate", "")
        e.close()
        if e.code != 401:
            return None
    except (urllib.error.URLError, OSError) as e:
        raise StoreError(f"{url}: cannot connect ({getattr(e, 'reason', e)})") from None
    if creds is None:
        raise StoreError(f"{url}: HTTP 401 Unauthorized (set MZKG_STORE_USER and MZKG_STORE_PASSWORD)")
    scheme, _, params = challenge.partition(" ")
    if scheme.lower() == "digest":
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, *creds)
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
        auth = urllib.request.HTTPDigestAuthHandler(mgr).get_authorization(urllib.request.Request(url, method=method), chal)
        return f"Digest {auth}" if auth else None
    import base64
    return "Basic " + base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")


def _send(req: urllib.request.Request, timeout: float) -> tuple[int, bytes, str]:
    if req.data is not None or _credentials() is not None:
        auth = _authorization(req.full_url, req.get_method(), timeout)
        if auth:
            req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", "replace").strip().splitlines()
        e.close()
        hint = " (set MZKG_STORE_USER and MZKG_STORE_PASSWORD)" if e.code == 401 else ""
        raise StoreError(f"{req.full_url}: HTTP {e.code} {e.reason}{hint}" + (f": {body[0][:200]}" if body else "")) from None
    except (urllib.error.URLError, OSError) as e:
        raise StoreError(f"{req.full_url}: cannot connect ({getattr(e, 'reason', e)})") from None


def put_graph(gsp_url: str, graph: str, ntriples: str, timeout: float = 600.0) -> None:
    """Replace the graph with these triples (one PUT, so a re-load never duplicates)."""
    req = urllib.request.Request(graph_url(gsp_url, graph), data=ntriples.encode("utf-8"), method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    _send(req, timeout)


def count_graph(gsp_url: str, graph: str, timeout: float = 600.0) -> int:
    """Fetch the graph back from the store and count its triples."""
    import pyoxigraph

    req = urllib.request.Request(graph_url(gsp_url, graph), method="GET",
                                 headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
    status, body, ctype = _send(req, timeout)
    fmt = pyoxigraph.RdfFormat.from_media_type(ctype.split(";")[0].strip()) or pyoxigraph.RdfFormat.TURTLE
    try:
        return sum(1 for _ in pyoxigraph.parse(body, format=fmt))
    except SyntaxError as e:
        raise StoreError(f"{req.full_url}: the store answered with unreadable RDF ({e})") from None


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


def load_into(kg, gsp_url: str, graph: str) -> LoadReport:
    """PUT the whole graph into a GSP store as one named graph, then count it through the store."""
    from .graph import export

    nt = export(kg, "nt")
    local = nt.count("\n")
    start = time.perf_counter()
    put_graph(gsp_url, graph, nt)
    remote = count_graph(gsp_url, graph)
    return LoadReport(graph, local, remote, time.perf_counter() - start)
