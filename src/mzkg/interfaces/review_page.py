"""The review page of `mzkg serve --review DIR`: a draft's text with every drafted span highlighted by kind, and its
open items decided one by one in the browser — accept, fix, reject, link — until the report is done.

Every decision is made by the review library (`mzkg.features.review`), exactly as `mzkg review` makes it: the
draft is read from its file, decided on and written back atomically, one decision at a time (a lock), so two tabs
never lose each other's edits and an item decided in one tab is refused, with the reason, in the other. The page
is server-rendered HTML; a small script adds keyboard shortcuts and clicks on the text. It is served on loopback
only: the host must be a loopback address, every request must come from one, and every form carries the token of
this run of the server.
"""

from __future__ import annotations

import ipaddress
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from ..core.errors import MzkgError, UsageError
from ..core.graph import KnowledgeGraph
from ..features import lookup
from ..features.review import FIELDS, Draft, Item, Span, default_reviewer, open_draft
from .protocol import body_within, cross_origin
from .server import TEMPLATES
from .views import Context, Page, Template

MAX_FORM = 64 * 1024
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
# the fields a fix form offers, by the kind of item
FIX_FIELDS = {
    "figure": ("value", "unit", "hedge", "period", "measures", "indicator"),
    "dataset": ("title", "place"),
}
LEGEND = (
    ("figure", "數據 figure"),
    ("statement", "陳述 statement"),
    ("entity", "實體 entity"),
    ("place", "地方 place"),
    ("period", "時期 period"),
)
ACTIONS = ("accept", "fix", "reject", "link", "done")


@dataclass(frozen=True)
class Listed:
    """A draft in the review folder: its slug, its open items, the decisions recorded, whether it is done."""

    slug: str
    open: int
    decided: int
    reviewed: bool


class ReviewDesk:
    """The drafts of one folder, reviewed beside a graph by one reviewer; decisions are made one at a time."""

    def __init__(self, folder: Path, kg: KnowledgeGraph, reviewer: str | None = None) -> None:
        if not folder.is_dir():
            raise UsageError(f"--review {folder}: no such folder (give the -o folder of `mzkg draft`)")
        self.folder = folder
        self.kg = kg
        self.reviewer = reviewer or default_reviewer()
        self.token = secrets.token_urlsafe(32)
        self.lock = threading.Lock()
        self.said: dict[str, str] = {}  # the last decision on each draft, shown once

    def slugs(self) -> list[str]:
        """The drafts in the folder: its regular `.ttl` files (links are not followed)."""
        return sorted(p.stem for p in self.folder.glob("*.ttl") if p.is_file() and not p.is_symlink())

    def path(self, slug: str) -> Path | None:
        """The draft of a slug the folder lists, else None (a slug is never made into a path otherwise)."""
        return self.folder / f"{slug}.ttl" if slug in self.slugs() else None

    def open(self, slug: str) -> Draft:
        path = self.path(slug)
        if path is None:
            raise LookupError(slug)
        return open_draft(path, self.kg)

    def listed(self) -> list[Listed]:
        out = []
        for slug in self.slugs():
            try:
                d = self.open(slug)
            except MzkgError:
                continue  # not a draft mzkg can review: not listed
            out.append(Listed(slug, len(d.open_iris()), d.decided(), d.reviewed()))
        return out

    def decide(self, slug: str, action: str, item: str, form: Mapping[str, str]) -> tuple[str | None, str]:
        """One decision, read from the file and written back under the lock: the next open item and a summary."""
        with self.lock:
            d = self.open(slug)
            order = [i.id for i in d.items()]
            if action == "accept":
                done = d.accept(item, reviewer=self.reviewer)
            elif action == "reject":
                done = d.reject(item, reviewer=self.reviewer)
            elif action == "link":
                done = d.link(item, form.get("target", ""), reviewer=self.reviewer)
            elif action == "fix":
                fields = {k.removeprefix("f."): v for k, v in form.items() if k.startswith("f.") and v.strip()}
                done = d.fix(item, fields, reviewer=self.reviewer)
            elif action == "done":
                done = d.done(reviewer=self.reviewer)
            else:
                raise UsageError(f"no action {action!r} (one of {', '.join(ACTIONS)})")
            left = [i.id for i in d.items()]
        after = order[order.index(item) + 1 :] if item in order else []
        following = next((i for i in after if i in left), left[0] if left else None)
        self.said[slug] = done.summary
        return following, done.summary


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def marked_text(text: str, spans: Sequence[Span], current: str | None) -> Markup:
    """The text with each span a nested, highlighted element (a span crossing the one it starts in is cut at its
    end), the current item's marked."""
    html: list[Markup] = []
    ends: list[int] = []
    pos = 0
    close = Markup("</span>")

    def close_to(limit: int) -> None:
        nonlocal pos
        while ends and ends[-1] <= limit:
            end = ends.pop()
            html.extend((escape(text[pos:end]), close))
            pos = end

    for sp in spans:
        close_to(sp.start)
        html.append(escape(text[pos : sp.start]))
        pos = sp.start
        end = min(sp.end, ends[-1]) if ends else sp.end
        if end <= sp.start:
            continue
        classes = [f"k-{sp.kind}"] + (["open"] if sp.open else []) + (["current"] if current in sp.nodes else [])
        html.append(
            Markup('<span class="{}" id="at-{}-{}" data-item="{}" title="{}: {}">').format(
                " ".join(classes), sp.start, sp.end, sp.nodes[0], sp.kind, " · ".join(sp.nodes)
            )
        )
        ends.append(end)
    close_to(len(text))
    html.append(escape(text[pos:]))
    return Markup("").join(html)


def _sentence(item: Item) -> Markup:
    """The item's sentence with its words marked."""
    before, _, rest = item.sentence.partition("【")
    words, _, after = rest.partition("】")
    if not rest:
        return escape(item.sentence)
    return Markup("{}<mark>{}</mark>{}").format(before, words, after)


def review_routes(desk: ReviewDesk) -> list[Page]:
    """The review pages: `/review` (the folder's drafts) and `/review/{slug}` (one draft; POST decides)."""

    def said(text: str, status: int) -> Response:
        return PlainTextResponse(text + "\n", status_code=status, headers=HEADERS)

    def refused(request: Request) -> Response | None:
        client = request.client.host if request.client else None
        return None if _loopback(client) else said("the review page answers this machine only", 403)

    async def folder(ctx: Context) -> Template | Response:
        if (no := refused(ctx.request)) is not None:
            return no
        listed = await ctx.read(desk.listed)
        return Template(
            "review-list.html", {"drafts": listed, "folder": str(desk.folder), "reviewer": desk.reviewer}, headers=HEADERS
        )

    async def static(ctx: Context) -> Response:
        name = ctx.request.path_params["name"]
        if name not in STATIC:
            return said("not found", 404)
        return Response((TEMPLATES / name).read_bytes(), media_type=STATIC[name], headers=HEADERS)

    def page(slug: str, item: str | None, q: str, error: str | None, status: int = 200) -> Template:
        d = desk.open(slug)
        items = d.items()
        ids = [i.id for i in items]
        current = next((i for i in items if i.id == item), items[0] if items else None)
        at = ids.index(current.id) if current else 0
        kind = "dataset" if current is not None and current.id == "dataset" else (d.kind(current.iri) if current else "")
        matches = [m for m in lookup.find(desk.kg, q) if not m.record][:12] if q and current else []
        decided = d.decided()
        shown = {
            "slug": slug,
            "reviewer": desk.reviewer,
            "token": desk.token,
            "text": marked_text(d.text, d.spans(), current.id if current else None),
            "items": items,
            "item": current,
            "kind": kind,
            "sentence": _sentence(current) if current else "",
            "fields": FIX_FIELDS.get(kind, ("place",)),
            "shown": dict(current.values) if current else {},
            "prev": ids[at - 1] if current and at > 0 else None,
            "next": ids[at + 1] if current and at + 1 < len(ids) else None,
            "q": q,
            "matches": matches,
            "decided": decided,
            "total": decided + len(items),
            "reviewed": d.reviewed(),
            "legend": LEGEND,
            "said": desk.said.pop(slug, None),
            "error": error,
        }
        return Template("review.html", shown, status, headers=HEADERS)

    async def draft(ctx: Context) -> Template | Response:
        request = ctx.request
        if (no := refused(request)) is not None:
            return no
        slug = request.path_params["slug"]
        if desk.path(slug) is None:
            return said(f"no draft {slug!r} in {desk.folder}", 404)
        if request.method == "POST":
            return await decide(ctx, slug)
        params = request.query_params
        return await ctx.read(page, slug, params.get("item"), params.get("q", "").strip(), None)

    async def decide(ctx: Context, slug: str) -> Template | Response:
        request = ctx.request
        if cross_origin(request):
            return said("cross-origin form refused", 403)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return said("send the review form as a form", 415)
        body = await body_within(request, MAX_FORM)
        if body is None:
            return said("the form is too long", 413)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if not secrets.compare_digest(form.get("token", ""), desk.token):
            return said("this form is not from this review session: reload the page", 403)
        action, item = form.get("action", ""), form.get("item", "")
        try:
            following, _summary = await ctx.read(desk.decide, slug, action, item, form)
        except MzkgError as e:
            return await ctx.read(page, slug, item or None, "", str(e), e.http_status)
        target = f"/review/{quote(slug)}" + (f"?item={quote(following, safe='/')}" if following else "")
        return RedirectResponse(target, status_code=303)

    return [
        Page("/review", folder, cached=False),
        Page("/review/static/{name}", static, cached=False),
        Page("/review/{slug}", draft, cached=False, methods=("GET", "POST")),
    ]


def check_host(host: str) -> None:
    """The review page writes files: it is served on a loopback address only."""
    if not _loopback(host):
        raise UsageError(f"--review writes drafts and is served on loopback only (127.0.0.1, ::1, localhost), not {host}")


__all__ = ["FIELDS", "ReviewDesk", "check_host", "marked_text", "review_routes"]
