"""`mzkg serve`: a read-only SPARQL 1.1 Protocol endpoint over the embedded graph (Starlette on uvicorn)."""

from __future__ import annotations

from starlette.applications import Starlette
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

    from starlette.concurrency import run_in_threadpool

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

    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"])])


def serve(store, host: str = "127.0.0.1", port: int = 8000, timeout: float = 30.0, max_rows: int = 100_000) -> None:
    import uvicorn

    uvicorn.run(create_app(store, timeout, max_rows), host=host, port=port, log_level="warning")
