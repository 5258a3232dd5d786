"""The pages as views: a few queries a page whatever it shows, and pages that another module adds to the same
app."""

from __future__ import annotations

import urllib.parse

import pytest
from starlette.responses import PlainTextResponse, Response
from starlette.testclient import TestClient

from mzkg.core.engines import oxigraph
from mzkg.core.graph import load
from mzkg.core.prefixes import ID, MZKG
from mzkg.core.service import select
from mzkg.interfaces.server import create_app
from mzkg.interfaces.views import PAGES, Context, Page, Template
from support.paths import ROOT

MOST_QUERIES = 8
# An entity of each main kind; for each, the most connected one (the longest page of its kind).
KINDS = (
    "WorkReport",
    "Programme",
    "PublicService",
    "TargetGroup",
    "InstitutionType",
    "Agency",
    "TieredNetwork",
    "Tier",
    "Achievement",
    "Task",
    "Measurement",
    "Indicator",
    "Place",
    "FieldConcept",
    "PolicyArea",
    "Unit",
    "SourceText",
)


@pytest.fixture(scope="module")
def two_reports():
    return load([ROOT / "data", ROOT / "tests" / "data" / "extension"])


def _most_connected(kg, cls: str) -> str:
    rows = select(
        f"""SELECT ?e (COUNT(*) AS ?n) WHERE {{ ?e a <{cls}> . {{ ?e ?p ?o }} UNION {{ ?s ?p ?e }}
        FILTER (STRSTARTS(STR(?e), "{ID}")) }} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1""",
        kg=kg,
    ).records()
    assert rows, cls
    return str(rows[0]["e"])


def _pages(kg) -> list[str]:
    entities = ["/id/" + _most_connected(kg, MZKG + kind)[len(ID) :] for kind in KINDS]
    query = "SELECT ?x WHERE { ?x a mzkg:TieredNetwork }"
    return [
        "/",
        "/?q=" + urllib.parse.quote("社工"),
        *entities,
        entities[0] + "?lang=en",
        entities[0] + "?format=ttl",
        "/source",
        "/reports",
        "/reports/guangdong-minzheng-2022",
        "/reports/guangdong-minzheng-2022/source",
        "/reports/gd-2023-invented/source",
        "/indicator?label=" + urllib.parse.quote("社會工作服務點"),
        "/tiers",
        "/query?query=" + urllib.parse.quote(query),
    ]


def test_every_page_asks_the_graph_a_few_queries_whatever_it_shows(two_reports, monkeypatch):
    """Counted where every local query runs (the Oxigraph engine), with no page kept: a page reads its facts in a
    query or two and the labels and types of every term it names in one, however many terms that is."""
    pages = _pages(two_reports)
    asked: list[str] = []
    real = oxigraph.run

    def counted(*args, **kwargs):
        asked.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(oxigraph, "run", counted)
    counts = {}
    with TestClient(create_app(two_reports, cache_bytes=0)) as c:
        for path in pages:
            asked.clear()
            res = c.get(path)
            assert res.status_code == 200, path
            counts[path] = len(asked)
            again = len(asked)
            c.get(path)
            assert len(asked) == 2 * again, path  # no page kept: each request asks again
    # the report's own page lists hundreds of statements that name it, the home page every figure and thing
    assert all(0 < n <= MOST_QUERIES for n in counts.values()), counts


def test_another_module_adds_its_pages_to_the_same_app(kg):
    async def greeting(ctx: Context) -> Template:
        return Template("page.html", {"title": "問候 Hello", "content": ctx.request.query_params.get("who", "")})

    async def echo(ctx: Context) -> Response:
        return PlainTextResponse((await ctx.request.body()).decode(), headers={"Cache-Control": "no-store"})

    extra = [Page("/hello", greeting), Page("/echo", echo, cached=False, methods=("POST",))]
    with TestClient(create_app(kg, pages=extra)) as c:
        page = c.get("/hello", params={"who": "<b>you</b>"})
        assert page.status_code == 200 and "問候 Hello" in page.text and "&lt;b&gt;you&lt;/b&gt;" in page.text
        assert page.headers["content-type"].startswith("text/html")
        sent = c.post("/echo", content=b"one")
        assert sent.text == "one" and sent.headers["cache-control"] == "no-store"
        assert c.post("/echo", content=b"two").text == "two"  # not kept
        assert c.get("/echo").status_code == 405
        assert c.get("/id/programme/shuangbai").status_code == 200  # the graph's own pages are still there
    for path in (page.path for page in PAGES):
        with pytest.raises(ValueError, match="two pages on one path"):
            create_app(kg, pages=[Page(path, greeting)])


def test_every_answer_says_how_it_may_be_read_kept_and_negotiated(kg):
    from starlette.testclient import TestClient

    from mzkg.interfaces.server import create_app

    with TestClient(create_app(kg)) as c:
        for path in ("/", "/id/programme/shuangbai", "/reports", "/query", "/sparql?query=ASK%20%7B%7D", "/nowhere"):
            res = c.get(path)
            assert res.headers["x-content-type-options"] == "nosniff", path
            assert "default-src 'none'" in res.headers["content-security-policy"], path
            assert res.headers["cache-control"] == "no-cache", path
        # a page negotiated by Accept and Accept-Language says so, from the cache too
        for _ in range(2):
            res = c.get("/id/programme/shuangbai", headers={"accept": "text/turtle"})
            assert res.headers["vary"] == "Accept, Accept-Language"
            assert res.headers["content-type"].startswith("text/turtle")


def test_a_figure_whose_value_is_no_number_stays_off_the_chart():
    from mzkg.interfaces.web import series_chart

    rows = [
        {"figure": "a", "place": "廣東", "kind": "rate", "target": "actual", "year": "2021", "value": "100"},
        {"figure": "a", "place": "廣東", "kind": "rate", "target": "actual", "year": "2022", "value": "全覆蓋"},
        {"figure": "a", "place": "廣東", "kind": "rate", "target": "actual", "year": "今年", "value": "90"},
        {"figure": "a", "place": "廣東", "kind": "rate", "target": "actual", "year": "2023", "value": "NaN"},
    ]
    svg = series_chart(rows)
    assert svg.count("<circle") == 1 and ">2021<" in svg
    assert series_chart(rows[1:]) == ""


def test_junk_query_parameters_are_the_same_page(kg, monkeypatch):
    from starlette.testclient import TestClient

    from mzkg.interfaces import web
    from mzkg.interfaces.server import create_app

    with TestClient(create_app(kg)) as c:
        first = c.get("/id/programme/shuangbai?utm_source=1")
        calls = []
        real = web.Site.entity
        monkeypatch.setattr(web.Site, "entity", lambda self, *a, **k: calls.append(a) or real(self, *a, **k))
        for n in range(2, 30):
            again = c.get(f"/id/programme/shuangbai?utm_source={n}&x={n}")
            assert again.content == first.content
        assert calls == []  # rendered once: junk never reaches the page again
        assert c.get("/id/programme/shuangbai?lang=en").content != first.content  # what the page reads still counts
        moved = c.get("/id/document/gd-work-report-2022?utm_source=9&lang=en", follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"].endswith("?lang=en")
