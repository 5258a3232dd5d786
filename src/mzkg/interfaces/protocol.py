"""HTTP for `mzkg serve`: the media types a request accepts, answers in the one it prefers, the language of a page,
plain-text errors, and request bodies read no further than a limit."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response

from ..core.results import GraphResult, Result

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
MAX_BODY = 1024 * 1024  # a query sent in a request body: 1 MB is far more than any query needs


def accepted(accept: str) -> list[str]:
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


def answer(result: Result, accept: str) -> Response:
    """A query's answer in the format the Accept header prefers (SPARQL JSON, Turtle by default)."""
    wanted = accepted(accept)
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


# The query parameters the cached pages read: the search and ask text, the language, the format, an indicator.
PAGE_PARAMS = ("format", "label", "lang", "q")


def page_params(request: Request) -> str:
    """The query string of the parameters in `PAGE_PARAMS` only, in a fixed order."""
    return urlencode([(k, v) for k, v in sorted(request.query_params.multi_items()) if k in PAGE_PARAMS])


def page_language(request: Request) -> str:
    """zh or en: `?lang=en|zh`, else the first of Accept-Language that is Chinese or English, else zh."""
    asked = request.query_params.get("lang", "").lower()
    if asked in ("en", "zh"):
        return asked
    for media in accepted(request.headers.get("accept-language", "")):
        tag = media.lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "zh"


def error(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


def cross_origin(request: Request) -> bool:
    """Whether a request comes from a page of another origin than the server's (its Origin names another host)."""
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin).netloc != request.headers.get("host", "")


async def body_within(request: Request, limit: int = MAX_BODY) -> bytes | None:
    """The request body, or None when it is over the limit (read no further than the limit) or the client left
    before sending it whole (nobody is there to answer, and nothing to log)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    data = bytearray()
    try:
        async for chunk in request.stream():
            data += chunk
            if len(data) > limit:
                return None
    except ClientDisconnect:
        return None
    return bytes(data)
