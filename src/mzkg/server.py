"""`mzkg serve`: a read-only SPARQL 1.1 Protocol endpoint over the embedded graph (Starlette on uvicorn)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from . import fast
from .errors import QueryError

FORMATS = {
    "application/sparql-results+json": ("to_json", "application/sparql-results+json; charset=utf-8"),
    "application/json": ("to_json", "application/sparql-results+json; charset=utf-8"),
    "text/csv": ("to_csv", "text/csv; charset=utf-8"),
    "text/tab-separated-values": ("to_tsv", "text/tab-separated-values; charset=utf-8"),
}


def _negotiate(accept: str) -> tuple[str, str]:
    for part in (p.split(";")[0].strip() for p in accept.split(",")):
        if part in FORMATS:
            return FORMATS[part]
    return FORMATS["application/sparql-results+json"]


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


def create_app(store, timeout: float = 30.0, max_rows: int = 100_000) -> Starlette:
    """The ASGI app over an Oxigraph store, which it never writes.

    A query that runs past ``timeout`` seconds gets 408, one whose answer has more than ``max_rows``
    rows gets 413; a malformed query 400, an update or SERVICE 403. Queries run in worker threads.
    """
    import time

    def answer(text: str):
        return fast.run(store, text, max_rows=max_rows, deadline=time.monotonic() + timeout)

    async def sparql(request: Request) -> Response:
        if request.method == "GET":
            params = request.query_params
            if "update" in params:
                return _error(403, "this endpoint is read-only: SPARQL Update is refused")
            text = params.get("query")
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip()
            if ctype == "application/sparql-update":
                return _error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                text = (await request.body()).decode("utf-8", "replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = await request.form()
                if "update" in form:
                    return _error(403, "this endpoint is read-only: SPARQL Update is refused")
                text = form.get("query")
            else:
                return _error(415, f"unsupported content type {ctype!r}: send a query as a form or application/sparql-query")
        if not text:
            return _error(400, "missing the query parameter")
        try:
            result = await run_in_threadpool(answer, text)
        except QueryError as e:
            msg = str(e)
            status = 403 if "not allowed" in msg else 408 if "time limit" in msg else 413 if "more than" in msg else 400
            return _error(status, msg)
        method, media = _negotiate(request.headers.get("accept", ""))
        return Response(getattr(result, method)(), media_type=media)

    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"]), *page_routes(store, answer)])


def page_routes(store, answer) -> list[Route]:
    """The human pages (Jinja2 templates; no build step, no script)."""
    from pathlib import Path

    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from starlette.responses import HTMLResponse

    from .prefixes import ID
    from .web import ACCEPT_RDF, RDF_FORMATS, Site

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape())
    site = Site(store)

    def html(name: str, status: int = 200, **ctx) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    def not_found(what: str) -> HTMLResponse:
        return html("page.html", 404, title="404 · 找不到 Not found", content=f"No entity {what} in this graph.")

    async def home(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        results = await run_in_threadpool(site.search, q) if q else []
        return html("home.html", q=q, results=results, lists=await run_in_threadpool(site.home_lists))

    async def entity(request: Request) -> Response:
        iri = ID + request.path_params["path"]
        if not await run_in_threadpool(site.exists, iri):
            return not_found(iri)
        fmt = request.query_params.get("format")
        if fmt is None:
            for part in (p.split(";")[0].strip() for p in request.headers.get("accept", "").split(",")):
                if part == "text/html":
                    break
                if part in ACCEPT_RDF:
                    fmt = ACCEPT_RDF[part]
                    break
        if fmt in RDF_FORMATS:
            return Response(await run_in_threadpool(site.rdf, iri, fmt), media_type=RDF_FORMATS[fmt] + "; charset=utf-8")
        if fmt not in (None, "html"):
            return _error(400, f"unknown format {fmt!r}; choose html, ttl, nt or jsonld")
        return html("entity.html", e=await run_in_threadpool(site.entity, iri))

    async def source(request: Request) -> Response:
        return html("source.html", **await run_in_threadpool(site.source))

    async def tiers(request: Request) -> Response:
        from markupsafe import Markup

        from .draw import tiers_svg
        from .errors import MzkgError

        try:
            svg = await run_in_threadpool(tiers_svg, store)
        except MzkgError as e:
            return html("page.html", title="層級 Tiers", content=str(e))
        return html("page.html", title="分級網絡 Tiered networks", content=Markup(svg))

    async def query_page(request: Request) -> Response:
        text = request.query_params.get("query", "")
        result = error = None
        if text.strip():
            try:
                result = await run_in_threadpool(answer, text)
            except QueryError as e:
                error = str(e)
        example = "SELECT ?x ?label WHERE {\n  ?x a mzkg:Programme ; rdfs:label ?label .\n  FILTER (langMatches(lang(?label), \"zh-Hant\"))\n}"
        return html("query.html", query=text or example, result=result, error=error, base=ID, base_len=len(ID) - 4)

    return [Route("/", home), Route("/id/{path:path}", entity), Route("/source", source), Route("/tiers", tiers),
            Route("/query", query_page)]


def serve(store, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0, max_rows: int = 100_000) -> None:
    import uvicorn

    uvicorn.run(create_app(store, timeout, max_rows), host=host, port=port, log_level="warning")
