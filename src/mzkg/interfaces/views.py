"""The pages of `mzkg serve`, one view each, and the list of them the server builds its routes from.

A view is an async function of a `Context` (the request, and the `Site` that reads the graph) that returns a
`Template` to render or a finished `Response`. It reads what it shows with one call into the site (run off the
event loop by `Context.read`), which asks the graph a few queries whatever the number of terms on the page. A
`Page` names its path, its view, and whether its bytes are kept once rendered; another module adds pages to the
same app by passing its own list to `create_app(…, pages=…)`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..core.errors import MzkgError, UsageError
from ..core.prefixes import ID
from ..core.results import QueryResult, Result
from ..core.terms import Term
from .protocol import GRAPH_MEDIA, MAX_BODY, accepted, answer, body_within, cross_origin, error, page_language, page_params
from .web import ACCEPT_RDF, RDF_FORMATS, Site, href, series_chart

P = ParamSpec("P")
T = TypeVar("T")

# A query with a time limit runs in a child process; the thread that waits for it only waits, so many can wait at
# once (more than Starlette's default pool of 40) without holding up the pages or a quick query.
_WAITERS = anyio.CapacityLimiter(256)


@dataclass(frozen=True)
class Template:
    """A page to render: a template of templates/ and what it shows."""

    name: str
    context: Mapping[str, Any] = field(default_factory=dict)
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)  # beyond what every answer says (server.PAGE_HEADERS)


@dataclass(frozen=True)
class Context:
    """What a view is given: the request, and the site that reads the graph the server holds."""

    request: Request
    site: Site

    async def read(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A call into the site, off the event loop (the graph is read in a worker thread)."""
        return await run_in_threadpool(fn, *args, **kwargs)

    async def query(self, text: str) -> Result:
        """A visitor's query, under the server's limits, waited for on the waiters' pool."""
        return await anyio.to_thread.run_sync(self.site.answer, text, limiter=_WAITERS)

    @property
    def lang(self) -> str:
        return page_language(self.request)


View = Callable[[Context], Awaitable[Template | Response]]


@dataclass(frozen=True)
class Page:
    """One route of the app: its path (Starlette's syntax), its view, whether its bytes are kept once rendered (for
    pages that depend only on the URL and the negotiated headers), and the methods it answers (HEAD with GET)."""

    path: str
    view: View
    cached: bool = True
    methods: tuple[str, ...] = ("GET",)


def not_found(what: str) -> Template:
    return Template("page.html", {"title": "404 · 找不到 Not found", "content": f"No entity {what} in this graph."}, 404)


async def sparql(ctx: Context) -> Response:
    """The SPARQL 1.1 Protocol endpoint: GET, HEAD or POST (a form or application/sparql-query), read-only."""
    request = ctx.request
    if request.method in ("GET", "HEAD"):
        params = request.query_params
        if "update" in params:
            return error(403, "this endpoint is read-only: SPARQL Update is refused")
        text = params.get("query")
    else:
        if cross_origin(request):
            return error(403, "cross-origin POST refused: this endpoint answers pages of its own origin only")
        ctype = request.headers.get("content-type", "").split(";")[0].strip()
        if ctype == "application/sparql-update":
            return error(403, "this endpoint is read-only: SPARQL Update is refused")
        if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            return error(415, f"unsupported content type {ctype!r}: send a query as a form or application/sparql-query")
        body = await body_within(request)
        if body is None:
            return error(413, f"the request body is over {MAX_BODY // 1024} KB: no query is that long")
        if ctype == "application/sparql-query":
            text = body.decode("utf-8", "replace")
        else:
            form = parse_qs(body.decode("utf-8", "replace"))
            if "update" in form:
                return error(403, "this endpoint is read-only: SPARQL Update is refused")
            text = form.get("query", [None])[0]
    if not text:
        return error(400, "missing the query parameter")
    try:
        result = await ctx.query(text)
    except MzkgError as e:
        return error(e.http_status, str(e))
    return answer(result, request.headers.get("accept", ""))


async def sparql_examples(ctx: Context) -> Response:
    """The named queries as SPARQL examples (SHACL sh:SPARQLExecutable), Turtle or JSON-LD by Accept."""
    wanted = next((m for m in accepted(ctx.request.headers.get("accept", "")) if m in GRAPH_MEDIA), "text/turtle")
    return Response(await ctx.read(ctx.site.examples, GRAPH_MEDIA[wanted]), media_type=f"{wanted}; charset=utf-8")


async def home(ctx: Context) -> Template:
    return Template("home.html", await ctx.read(ctx.site.home, ctx.request.query_params.get("q", "").strip()))


async def entity(ctx: Context) -> Template | Response:
    """An entity's page: HTML in the reader's language, or its triples in an RDF syntax by `?format=` or Accept."""
    request = ctx.request
    try:
        iri = Term.iri(ID + request.path_params["path"]).value
    except UsageError:
        return not_found(request.path_params["path"])
    moved, known = await ctx.read(ctx.site.locate, iri)
    if moved is not None:
        target = href(moved) or moved
        kept = page_params(request)  # what the page reads goes along; anything else does not
        return RedirectResponse(target + (f"?{kept}" if kept else ""), status_code=301)
    if not known:
        return not_found(iri)
    fmt = request.query_params.get("format")
    if fmt is None:
        for media in accepted(request.headers.get("accept", "")):
            if media == "text/html":
                break
            if media in ACCEPT_RDF:
                fmt = ACCEPT_RDF[media]
                break
    if fmt in RDF_FORMATS:
        return Response(await ctx.read(ctx.site.rdf, iri, fmt), media_type=RDF_FORMATS[fmt] + "; charset=utf-8")
    if fmt not in (None, "html"):
        return error(400, f"unknown format {fmt!r}; choose html, ttl, nt, jsonld or xml")
    lang = ctx.lang
    return Template(
        "entity.html", {"e": await ctx.read(ctx.site.entity, iri, lang), "page_lang": "en" if lang == "en" else "zh-Hant"}
    )


async def source(ctx: Context) -> Template:
    """The oldest report's text (or, for data without a catalogue, the first text in the graph)."""

    def oldest() -> dict[str, Any]:
        listed = ctx.site.reports()
        return ctx.site.report_source(listed[0] if listed else None)

    return Template("source.html", await ctx.read(oldest))


async def report_list(ctx: Context) -> Template:
    return Template("reports.html", {"reports": await ctx.read(ctx.site.reports)})


async def report_page(ctx: Context) -> Template:
    slug = ctx.request.path_params["slug"]
    found = await ctx.read(ctx.site.report, slug)
    return not_found(slug) if found is None else Template("report.html", {"r": found})


async def report_source(ctx: Context) -> Template:
    slug = ctx.request.path_params["slug"]

    def shown() -> dict[str, Any] | None:
        found = ctx.site.report(slug)
        return None if found is None else ctx.site.report_source(found)

    page = await ctx.read(shown)
    return not_found(slug) if page is None else Template("source.html", page)


async def indicator(ctx: Context) -> Template:
    label = ctx.request.query_params.get("label", "").strip()
    rows = await ctx.read(ctx.site.series, label) if label else []
    return Template("indicator.html", {"label": label, "rows": rows, "chart": series_chart(rows)})


async def tiers(ctx: Context) -> Template:
    return Template("tiers.html", await ctx.read(ctx.site.tiers))


async def ask_page(ctx: Context) -> Template:
    """A question in words and its answer: the named question chosen, its parameters, the rows, the query."""
    from ..features.ask import ask  # noqa: PLC0415 - the index is built on the first question

    question = ctx.request.query_params.get("q", "").strip()[:500]
    answer = await ctx.read(ask, ctx.site.kg, question) if question else None
    return Template("ask.html", {"q": question, "answer": answer, "base": ID, "base_len": len(ID) - 4})


EXAMPLE = (
    'SELECT ?x ?label WHERE {\n  ?x a mzkg:Programme ; rdfs:label ?label .\n  FILTER (langMatches(lang(?label), "zh-Hant"))\n}'
)


async def query_page(ctx: Context) -> Template:
    """A query form and its answer as a table (any query text: answered each time, never kept)."""
    text = ctx.request.query_params.get("query", "")
    result: QueryResult | None = None
    problem = None
    if text.strip():
        try:
            found = await ctx.query(text)
            if not isinstance(found, QueryResult):
                raise UsageError("this page shows tables: send CONSTRUCT and DESCRIBE queries to /sparql")
            result = found
        except MzkgError as e:
            problem = str(e)
    return Template(
        "query.html", {"query": text or EXAMPLE, "result": result, "error": problem, "base": ID, "base_len": len(ID) - 4}
    )


PAGES: tuple[Page, ...] = (
    Page("/sparql", sparql, cached=False, methods=("GET", "HEAD", "POST")),
    Page("/.well-known/sparql-examples", sparql_examples, cached=False),  # built once by the site
    Page("/", home),
    Page("/id/{path:path}", entity),
    Page("/source", source),
    Page("/reports", report_list),
    Page("/reports/{slug}", report_page),
    Page("/reports/{slug}/source", report_source),
    Page("/indicator", indicator),
    Page("/tiers", tiers),
    Page("/query", query_page, cached=False),
    Page("/ask", ask_page),
)
