"""`mzkg serve`: a read-only SPARQL 1.1 Protocol endpoint over the graph, and its linked-data pages
(Starlette on uvicorn). The routes are the pages of `views.PAGES` and any a caller adds; every query goes through
the query service; errors become HTTP statuses by their type."""

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

import uvicorn
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..core import bounded
from ..core.errors import NotFound, UsageError
from ..core.graph import KnowledgeGraph
from ..core.service import NO_LIMITS, Limits
from .protocol import page_params
from .views import PAGES, Context, Page, Template
from .web import Site, href, quoted

TEMPLATES = Path(__file__).parent / "templates"


# What every answer says of itself, unless its page says otherwise: no sniffing its type; a page loads nothing
# from elsewhere and runs no script of its own (its style is inline); and it may be kept but asked again.
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-cache",
}


def guarded(response: Response, *, negotiated: bool) -> Response:
    """A page whose bytes depend on Accept and Accept-Language (the cached ones, `PageCache.VARY`) says so in
    `Vary`."""
    if negotiated and "vary" not in response.headers:
        response.headers["Vary"] = ", ".join(h.title() for h in PageCache.VARY)
    return response


class PageHeaders:
    """ASGI middleware: every answer, a 404 of no route included, gets the `PAGE_HEADERS` it lacks."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.extra = [(k.lower().encode(), v.encode()) for k, v in PAGE_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _v in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *((k, v) for k, v in self.extra if k not in have)]
            await send(message)

        await self.app(scope, receive, sending)


def create_app(
    kg: KnowledgeGraph,
    limits: Limits = NO_LIMITS,
    allowed_hosts: list[str] | None = None,
    pages: Sequence[Page] = (),
    cache_bytes: int = 64 * 1024 * 1024,
) -> Starlette:
    """The ASGI app over a graph, which it never writes: a route for each page of `views.PAGES`, then for each of
    `pages` (another module's, such as the review page's); two pages on one path are refused.

    Statuses: 400 a malformed query (or a Host not allowed), 403 an update, SERVICE or a cross-origin POST,
    408 past the time limit, 413 over the row limit or a body over 1 MB. `allowed_hosts` (what `serve` passes:
    the names of the address it listens on) refuses requests for any other Host, so a page elsewhere cannot
    reach the server through a rebound DNS name. Cached pages are kept in memory up to `cache_bytes` (0 keeps none).
    """
    every = [*PAGES, *pages]
    paths = [page.path for page in every]
    if len(set(paths)) != len(paths):
        twice = sorted({p for p in paths if paths.count(p) > 1})
        raise ValueError(f"two pages on one path: {', '.join(twice)}")
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    env.filters["quoted"] = quoted
    env.filters["href"] = href
    site = Site(kg, limits)
    cache = PageCache(cache_bytes)

    def route(page: Page) -> Route:
        async def endpoint(request: Request) -> Response:
            shown = await page.view(Context(request, site))
            if isinstance(shown, Template):
                html = env.get_template(shown.name).render(**shown.context)
                shown = HTMLResponse(html, status_code=shown.status, headers=dict(shown.headers))
            return guarded(shown, negotiated=page.cached)

        return Route(page.path, cache.wrap(endpoint) if page.cached else endpoint, methods=list(page.methods))

    middleware = [Middleware(PageHeaders)]
    middleware += [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)] if allowed_hosts else []
    return Starlette(middleware=middleware, routes=[route(page) for page in every])


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
        """The page's path, the parameters the cached pages read (`PAGE_PARAMS`; any other cannot change the bytes,
        so a junk `?utm_source=N` is the same page) and the negotiated headers."""
        return (request.url.path, page_params(request), *(request.headers.get(h, "") for h in self.VARY))

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


BODY_SECONDS = 10.0  # a request body (a query, at most 1 MB) is complete within this long after its head
HEADER_SECONDS = 10.0  # a connection that has not sent a whole request head by then is closed


class _HeadDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request head is not complete within HEADER_SECONDS,
    or whose body is not complete within BODY_SECONDS after its head, so clients that never finish their headers
    or drip their bodies a byte at a time cannot hold the server's connections."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._answered: object = None  # the request last answered on this connection (keep-alive)
        self._head_deadline = self.loop.call_later(HEADER_SECONDS, self._head_too_slow)
        self._body_deadline: asyncio.TimerHandle | None = None

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and self.cycle is not self._answered and self._body_deadline is None:
            self._head_deadline.cancel()  # a new request head is complete: its body has its own deadline
            self._body_deadline = self.loop.call_later(BODY_SECONDS, self._body_too_slow)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._answered = self.cycle  # the next request on a kept-alive connection gets its own deadline
        self._head_deadline.cancel()
        self._cancel_body_deadline()
        self._head_deadline = self.loop.call_later(HEADER_SECONDS, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_deadline.cancel()
        self._cancel_body_deadline()
        super().connection_lost(exc)

    def _cancel_body_deadline(self) -> None:
        if self._body_deadline is not None:
            self._body_deadline.cancel()
            self._body_deadline = None

    def _body_too_slow(self) -> None:
        if self.cycle is not None and self.cycle is not self._answered and self.cycle.more_body:
            self.transport.close()

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
    pages: Sequence[Page] = (),
) -> None:
    """Serve until interrupted; the socket is bound first, so the announced address is the real one. `pages` are
    served beside the graph's own (see `create_app`)."""
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
    bounded.restart()  # a process may serve again after a server of its own stopped
    try:
        _Server(config).run(sockets=[sock])
    finally:
        bounded.stop_all()


__all__ = ["NotFound", "create_app", "serve"]
