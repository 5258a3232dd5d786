"""`mzkg serve`: a read-only SPARQL 1.1 Protocol endpoint over the graph, and its linked-data pages
(Starlette on uvicorn). Every query goes through the query service; errors become HTTP statuses by their type."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import resource
import socket
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import anyio.to_thread
import uvicorn
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..core import bounded
from ..core.errors import MzkgError, NotFound, UsageError
from ..core.graph import KnowledgeGraph
from ..core.prefixes import ID
from ..core.results import GraphResult, QueryResult, Result
from ..core.service import NO_LIMITS, Limits, run
from ..core.terms import Term
from ..features.examples import sparql_examples
from .web import ACCEPT_RDF, RDF_FORMATS, Site, href, quoted, series_chart

TABLE_FORMATS = {
    "application/sparql-results+json": ("to_json", "application/sparql-results+json; charset=utf-8"),
    "application/json": ("to_json", "application/sparql-results+json; charset=utf-8"),
    "text/csv": ("to_csv", "text/csv; charset=utf-8"),
    "text/tab-separated-values": ("to_tsv", "text/tab-separated-values; charset=utf-8"),
}
GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
TEMPLATES = Path(__file__).parent / "templates"


def _accepted(accept: str) -> list[str]:
    """The media types of an Accept header, most preferred first; q=0 means "not this"."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *options = (x.strip() for x in part.split(";"))
        q = 1.0
        for opt in options:
            key, _, value = opt.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media))
    return [media for _q, _i, media in sorted(ranked)]


def _answer(result: Result, accept: str) -> Response:
    wanted = _accepted(accept)
    if isinstance(result, GraphResult):
        fmt = next((GRAPH_MEDIA[m] for m in wanted if m in GRAPH_MEDIA), "turtle")
        media = next(m for m, f in GRAPH_MEDIA.items() if f == fmt)
        return Response(result.serialize(fmt), media_type=f"{media}; charset=utf-8")
    method, media = next(
        (TABLE_FORMATS[m] for m in wanted if m in TABLE_FORMATS), TABLE_FORMATS["application/sparql-results+json"]
    )
    if result.boolean is not None and method != "to_json":
        method, media = TABLE_FORMATS["application/sparql-results+json"]  # CSV and TSV have no form for a yes/no
    return Response(getattr(result, method)(), media_type=media)


def page_language(request: Request) -> str:
    """zh or en: `?lang=en|zh`, else the first of Accept-Language that is Chinese or English, else zh."""
    asked = request.query_params.get("lang", "").lower()
    if asked in ("en", "zh"):
        return asked
    for media in _accepted(request.headers.get("accept-language", "")):
        tag = media.lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "zh"


# A query with a time limit runs in a child process; the thread that waits for it only waits, so many can wait at
# once (more than Starlette's default pool of 40) without holding up the pages or a quick query.
_WAITERS = anyio.CapacityLimiter(256)


async def _waiting(answer: Callable[[str], Result], text: str) -> Result:
    return await anyio.to_thread.run_sync(answer, text, limiter=_WAITERS)


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


MAX_BODY = 1024 * 1024  # a query sent in a request body: 1 MB is far more than any query needs


async def body_within(request: Request, limit: int = MAX_BODY) -> bytes | None:
    """The request body, or None when it is over the limit (read no further than the limit)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            return None
    return bytes(data)


def create_app(
    kg: KnowledgeGraph, limits: Limits = NO_LIMITS, allowed_hosts: list[str] | None = None, pages: Sequence[Route] = ()
) -> Starlette:
    """The ASGI app over a graph, which it never writes.

    Statuses: 400 a malformed query (or a Host not allowed), 403 an update, SERVICE or a cross-origin POST,
    408 past the time limit, 413 over the row limit or a body over 1 MB. `allowed_hosts` (what `serve` passes:
    the names of the address it listens on) refuses requests for any other Host, so a page elsewhere cannot
    reach the server through a rebound DNS name. `pages` are more routes served beside the graph's (the review
    page).
    """

    def answer(text: str) -> Result:
        return run(text, kg=kg, limits=limits)

    async def sparql(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            params = request.query_params
            if "update" in params:
                return _error(403, "this endpoint is read-only: SPARQL Update is refused")
            text = params.get("query")
        else:
            origin = request.headers.get("origin")
            if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
                return _error(403, "cross-origin POST refused: this endpoint answers pages of its own origin only")
            ctype = request.headers.get("content-type", "").split(";")[0].strip()
            if ctype == "application/sparql-update":
                return _error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                return _error(415, f"unsupported content type {ctype!r}: send a query as a form or application/sparql-query")
            body = await body_within(request)
            if body is None:
                return _error(413, f"the request body is over {MAX_BODY // 1024} KB: no query is that long")
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            else:
                form = parse_qs(body.decode("utf-8", "replace"))
                if "update" in form:
                    return _error(403, "this endpoint is read-only: SPARQL Update is refused")
                text = form.get("query", [None])[0]
        if not text:
            return _error(400, "missing the query parameter")
        try:
            result = await _waiting(answer, text)
        except MzkgError as e:
            return _error(e.http_status, str(e))
        return _answer(result, request.headers.get("accept", ""))

    examples: dict[str, bytes] = {}

    async def sparql_examples_route(request: Request) -> Response:
        """The named queries as SPARQL examples (SHACL sh:SPARQLExecutable), Turtle or JSON-LD by Accept."""
        wanted = next((m for m in _accepted(request.headers.get("accept", "")) if m in GRAPH_MEDIA), "text/turtle")
        if wanted not in examples:
            graph = await run_in_threadpool(sparql_examples)
            fmt = GRAPH_MEDIA[wanted]
            examples[wanted] = graph.serialize(format=fmt).encode("utf-8")
        return Response(examples[wanted], media_type=f"{wanted}; charset=utf-8")

    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)] if allowed_hosts else []
    return Starlette(
        middleware=middleware,
        routes=[
            Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
            Route("/.well-known/sparql-examples", sparql_examples_route),
            *pages,
            *page_routes(kg, answer),
        ],
    )


class PageCache:
    """Pages rendered once per request shape and served from memory afterwards: the graph a server holds never
    changes while it runs, so a page's bytes depend only on its path, query string and the negotiated headers.
    Least recently used pages leave first once the cache holds `max_bytes`."""

    VARY = ("accept", "accept-language")

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[tuple[str, ...], tuple[int, bytes, list[tuple[bytes, bytes]]]] = OrderedDict()

    @staticmethod
    def cost(key: tuple[str, ...], body: bytes) -> int:
        """What a page holds in memory: its body and its key (URLs and headers come from clients)."""
        return len(body) + sum(len(part) for part in key) + 256

    def key(self, request: Request) -> tuple[str, ...]:
        return (request.url.path, str(request.query_params), *(request.headers.get(h, "") for h in self.VARY))

    def wrap(self, handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def cached(request: Request) -> Response:
            key = self.key(request)
            hit = self.pages.get(key)
            if hit is None:
                response = await handler(request)
                headers = [(k, v) for k, v in response.raw_headers if k.lower() != b"content-length"]
                hit = (response.status_code, bytes(response.body), headers)
                cost = self.cost(key, hit[1])
                if cost <= self.max_bytes:
                    self.pages[key] = hit
                    self.size += cost
                    while self.size > self.max_bytes:
                        old, (_s, body, _h) = self.pages.popitem(last=False)
                        self.size -= self.cost(old, body)
            else:
                self.pages.move_to_end(key)
            status, body, headers = hit
            out = Response(body, status_code=status)
            out.raw_headers = [*headers, (b"content-length", str(len(body)).encode())]
            return out

        return cached


def page_routes(kg: KnowledgeGraph, answer: Callable[[str], Result]) -> list[Route]:
    """The human pages (Jinja2 templates; no build step, no script)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    env.filters["quoted"] = quoted
    env.filters["href"] = href
    site = Site(kg)

    def html(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    def not_found(what: str) -> HTMLResponse:
        return html("page.html", 404, title="404 · 找不到 Not found", content=f"No entity {what} in this graph.")

    async def home(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        results = await run_in_threadpool(site.search, q) if q else []
        return html("home.html", q=q, results=results, **await run_in_threadpool(site.overview))

    async def entity(request: Request) -> Response:
        try:
            iri = Term.iri(ID + request.path_params["path"]).value
        except UsageError:
            return not_found(request.path_params["path"])
        moved = await run_in_threadpool(site.replacement, iri)
        if moved is not None:
            target = href(moved) or moved
            return RedirectResponse(target + (f"?{request.url.query}" if request.url.query else ""), status_code=301)
        if not await run_in_threadpool(site.exists, iri):
            return not_found(iri)
        fmt = request.query_params.get("format")
        if fmt is None:
            for media in _accepted(request.headers.get("accept", "")):
                if media == "text/html":
                    break
                if media in ACCEPT_RDF:
                    fmt = ACCEPT_RDF[media]
                    break
        if fmt in RDF_FORMATS:
            body = await run_in_threadpool(site.rdf, iri, fmt)
            return Response(body, media_type=RDF_FORMATS[fmt] + "; charset=utf-8")
        if fmt not in (None, "html"):
            return _error(400, f"unknown format {fmt!r}; choose html, ttl, nt, jsonld or xml")
        lang = page_language(request)
        return html(
            "entity.html", e=await run_in_threadpool(site.entity, iri, lang), page_lang="en" if lang == "en" else "zh-Hant"
        )

    async def source(request: Request) -> Response:
        """The oldest report's text (or, for data without a catalogue, the first text in the graph)."""
        listed = await run_in_threadpool(site.reports)
        texts = await run_in_threadpool(site.texts_of, listed[0]["iri"]) if listed else []
        shown = await run_in_threadpool(site.source, texts[0] if texts else None)
        return html("source.html", report=listed[0] if listed else None, **shown)

    async def report_list(request: Request) -> Response:
        return html("reports.html", reports=await run_in_threadpool(site.reports))

    async def _report(slug: str) -> dict[str, Any] | None:
        return next((r for r in await run_in_threadpool(site.reports) if r["slug"] == slug), None)

    async def report_page(request: Request) -> Response:
        found = await _report(request.path_params["slug"])
        if found is None:
            return not_found(request.path_params["slug"])
        return html("report.html", r=found)

    async def report_source(request: Request) -> Response:
        found = await _report(request.path_params["slug"])
        if found is None:
            return not_found(request.path_params["slug"])
        texts = await run_in_threadpool(site.texts_of, found["iri"])
        return html("source.html", report=found, **await run_in_threadpool(site.source, texts[0] if texts else found["iri"]))

    async def indicator(request: Request) -> Response:
        label = request.query_params.get("label", "").strip()
        rows = await run_in_threadpool(site.series, label) if label else []
        return html("indicator.html", label=label, rows=rows, chart=series_chart(rows))

    async def tiers(request: Request) -> Response:
        """The tiered networks: Graphviz's drawing when dot is installed, and always the tiers in rank order."""
        from ..features.draw import tier_networks, tiers_svg  # noqa: PLC0415 - Graphviz only for this page

        networks = await run_in_threadpool(tier_networks, kg)
        try:
            svg, missing = Markup(await run_in_threadpool(tiers_svg, kg)), None  # noqa: S704 - Graphviz's SVG, labels escaped
        except MzkgError as e:
            svg, missing = None, str(e)
        return html("tiers.html", networks=networks, svg=svg, missing=missing)

    async def query_page(request: Request) -> Response:
        text = request.query_params.get("query", "")
        result: QueryResult | None = None
        error = None
        if text.strip():
            try:
                found = await _waiting(answer, text)
                if not isinstance(found, QueryResult):
                    raise UsageError("this page shows tables: send CONSTRUCT and DESCRIBE queries to /sparql")
                result = found
            except MzkgError as e:
                error = str(e)
        example = 'SELECT ?x ?label WHERE {\n  ?x a mzkg:Programme ; rdfs:label ?label .\n  FILTER (langMatches(lang(?label), "zh-Hant"))\n}'
        return html("query.html", query=text or example, result=result, error=error, base=ID, base_len=len(ID) - 4)

    cache = PageCache()
    return [
        Route("/", cache.wrap(home)),
        Route("/id/{path:path}", cache.wrap(entity)),
        Route("/source", cache.wrap(source)),
        Route("/reports", cache.wrap(report_list)),
        Route("/reports/{slug}", cache.wrap(report_page)),
        Route("/reports/{slug}/source", cache.wrap(report_source)),
        Route("/indicator", cache.wrap(indicator)),
        Route("/tiers", cache.wrap(tiers)),
        Route("/query", query_page),  # any query text: answered each time, never kept
    ]


HEADER_SECONDS = 10.0  # a connection that has not sent a whole request head by then is closed


class _HeadDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request head is not complete within HEADER_SECONDS,
    so clients that never finish their headers cannot hold the server's connections."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._answered: object = None  # the request last answered on this connection (keep-alive)
        self._head_deadline = self.loop.call_later(HEADER_SECONDS, self._head_too_slow)

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and self.cycle is not self._answered:  # a new request head is complete
            self._head_deadline.cancel()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._answered = self.cycle  # the next request on a kept-alive connection gets its own deadline
        self._head_deadline.cancel()
        self._head_deadline = self.loop.call_later(HEADER_SECONDS, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_deadline.cancel()
        super().connection_lost(exc)

    def _head_too_slow(self) -> None:
        if self.cycle is None or self.cycle is self._answered:
            self.transport.close()


class _Server(uvicorn.Server):
    """uvicorn's server, killing the running queries as soon as it is asked to stop, so the requests waiting
    for them end at once and the first Ctrl-C or SIGTERM stops the server within a second, whatever --timeout."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        bounded.stop_all()
        super().handle_exit(sig, frame)


def _more_files() -> None:
    """Raise the open-file limit to what the system allows: each connection and each running query holds one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port} ({e.strerror})") from None
    sock.listen(128)
    return sock


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def serve(
    kg: KnowledgeGraph,
    host: str = "127.0.0.1",
    port: int = 8000,
    limits: Limits = NO_LIMITS,
    announce: Callable[[str], None] = lambda _url: None,
    pages: Sequence[Route] = (),
) -> None:
    """Serve until interrupted; the socket is bound first, so the announced address is the real one."""
    _ = kg.store  # parse errors are reported before the server starts
    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    announce(f"http://{shown}:{bound}")
    names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
    names |= {"[::1]", "::1"} if host in ("::1", "[::1]") else set()
    everywhere = ipaddress.ip_address(host).is_unspecified if _is_ip(host) else False
    allowed = None if everywhere else sorted(names)  # listening on every address: the user chose to be reached
    # the first Ctrl-C or SIGTERM stops the server within a second: open requests are cut, running queries killed
    _more_files()
    config = uvicorn.Config(
        create_app(kg, limits, allowed_hosts=allowed, pages=pages),
        http=_HeadDeadline,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    try:
        _Server(config).run(sockets=[sock])
    finally:
        bounded.stop_all()


__all__ = ["NotFound", "create_app", "serve"]
