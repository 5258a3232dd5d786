"""The review page of `mzkg serve --review DIR`, in a real browser and over HTTP: a reviewer takes an invented draft
(tests/data/review, marked invented) from drafted to reviewed — a split figure corrected, a false figure rejected,
a new candidate linked to a known programme, the rest accepted, done — and the file it leaves validates, names
its reviewer in `reports`, and differs from the draft by exactly those decisions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

import mzkg
from mzkg.core import resources
from mzkg.core.errors import UsageError
from mzkg.core.graph import load
from mzkg.core.prefixes import ID, PREFIXES
from mzkg.features.draft import draft_reports
from mzkg.features.review import open_draft
from mzkg.interfaces.review_page import ReviewDesk, check_host, marked_text, review_routes
from mzkg.interfaces.server import create_app
from support import servers
from support.browser import chromium
from support.paths import DATA, ROOT

pytestmark = pytest.mark.xdist_group("review-page-draft")  # its module fixtures are made once, on one worker

SLUG = "huzhou-2024-invented"
SOURCE = DATA / "review" / f"{SLUG}.txt"
REPORT = f"{ID}report/{SLUG}"
SPLIT = "measurement/2024/004-2"  # 「2,400万元」, split here as a reader once split figures: 「400万元」
FALSE = "measurement/2024/006-1"  # 「80周岁以上」: an age bound, not a figure the report gives
CANDIDATE = "programme/330500-yin-ling-hu-zhu-xing-dong"  # the city's name for its part of a known campaign
KNOWN = "programme/linli-shouwang"
REVIEWER = "Li Ming"


@pytest.fixture(scope="module")
def drafted(kg, tmp_path_factory) -> Path:
    """The invented report drafted once beside the packaged data, with one figure split; tests review copies."""
    out = tmp_path_factory.mktemp("drafted")
    run = draft_reports([SOURCE], out, kg)
    assert run.failed == []
    ttl = out / f"{SLUG}.ttl"
    text = ttl.read_text(encoding="utf-8")
    node = f"<{REPORT}/{SPLIT}> a mzkg:Measurement ;"
    head, sep, rest = text.partition(node)
    block, dot, tail = rest.partition(" .\n")
    assert sep and '"2,400万元"@zh-hans' in block
    block = (
        block.replace("2,400万元", "400万元")
        .replace("2,400萬元", "400萬元")
        .replace('"24000000"^^xsd:decimal', '"4000000"^^xsd:decimal')
        .replace('mzkg:writtenValue "2400"', 'mzkg:writtenValue "400"')
    )
    ttl.write_text(head + sep + block + dot + tail, encoding="utf-8")
    return out


def _copy(drafted: Path, tmp_path: Path) -> Path:
    out = tmp_path / "drafts"
    shutil.copytree(drafted, out)
    return out


def _git(folder: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True, env={**env, "PATH": "/usr/bin:/bin"}
    )
    return done.stdout


def _triples(path: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}


def _facts(triples: set[ox.Triple]) -> set[ox.Triple]:
    """The triples of a draft outside the review's own records (its activities, reviewers, the catalogue entry's
    review dates), which hold times."""
    prov = PREFIXES["prov"]
    review = (f"{REPORT}/review/", f"{ID}reviewer/")
    return {
        t
        for t in triples
        if not t.subject.value.startswith(review)
        and t.predicate.value not in (PREFIXES["dcterms"] + "modified", prov + "wasAttributedTo")
    }


def _decide_on_the_command_line(folder: Path) -> None:
    """The same decisions made with the review library, as `mzkg review` makes them."""
    d = open_draft(folder / f"{SLUG}.ttl", mzkg.load())
    d.fix(SPLIT, {"value": "2,400万元"}, reviewer=REVIEWER)
    d.reject(FALSE, reviewer=REVIEWER)
    d.link(CANDIDATE, KNOWN, reviewer=REVIEWER)
    for item in d.items():
        d.accept(item.id, reviewer=REVIEWER)
    d.done(reviewer=REVIEWER)


@pytest.mark.slow
def test_a_reviewer_takes_a_draft_to_reviewed_in_a_real_browser(drafted, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    folder = _copy(drafted, tmp_path)
    ttl = folder / f"{SLUG}.ttl"
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "commit", "-q", "-m", "drafted")
    items = len(open_draft(ttl).items())
    assert items >= 40
    port = servers.free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "mzkg"),
            "serve",
            "--port",
            str(port),
            "--review",
            str(folder),
            "--reviewer",
            REVIEWER,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    actions = 0  # what the reviewer does: each click, key press or field typed in
    try:
        servers.wait_for(base + "/review", proc)
        with chromium(tmp_path / "profile", 1400, 1000) as browser:
            wait = WebDriverWait(browser, 30)

            def act(element, keys: str | None = None, *, loads: bool = True) -> None:
                """One action; when it loads a page, wait for the new one."""
                nonlocal actions
                actions += 1
                old = browser.find_element(By.TAG_NAME, "html")
                if keys is None:
                    element.click()
                else:
                    element.send_keys(keys)
                if loads:
                    wait.until(ec.staleness_of(old))
                    wait.until(ec.presence_of_element_located((By.ID, "progress")))

            def at(item: str):
                """The highlighted words of an item in the text."""
                return browser.find_element(By.CSS_SELECTOR, f'#text [data-item="{item}"]')

            def key(k: str) -> None:
                act(browser.find_element(By.TAG_NAME, "body"), k)

            browser.get(base + "/review")
            act(browser.find_element(By.LINK_TEXT, SLUG))
            assert browser.find_element(By.ID, "progress").text.startswith(f"已審 0 / {items}")
            assert {e.get_attribute("class").split()[0] for e in browser.find_elements(By.CSS_SELECTOR, "#text [data-item]")} >= {
                "k-figure",
                "k-statement",
                "k-entity",
            }
            # the split figure: its words clicked in the text, the whole figure typed, fixed
            act(at(SPLIT))
            assert browser.find_element(By.ID, "item-id").text == SPLIT
            assert "【400万元】" not in browser.find_element(By.ID, "sentence").text  # marked, not bracketed
            browser.save_screenshot(str(artifacts / "review-page.png"))
            act(browser.find_element(By.ID, "fix-value"), "1,400万元", loads=False)
            act(browser.find_element(By.ID, "fix"))
            assert "is not in the span it cites" in browser.find_element(By.ID, "error").text  # a wrong fix refused
            browser.save_screenshot(str(artifacts / "review-refused.png"))
            field = browser.find_element(By.ID, "fix-value")
            act(field, "2,400万元", loads=False)
            act(browser.find_element(By.ID, "fix"))
            assert "fix value" in browser.find_element(By.ID, "said").text
            # the false figure: clicked, rejected with its key
            act(at(FALSE))
            key("r")
            # the candidate: searched for by a name of the known campaign, linked
            act(at(CANDIDATE))
            act(browser.find_element(By.ID, "link-q"), "邻里守望" + Keys.ENTER)
            act(browser.find_elements(By.CSS_SELECTOR, "#matches button.link-to")[0])
            assert "link " + CANDIDATE in browser.find_element(By.ID, "said").text
            # the rest accepted, one key each, from the first open item
            act(browser.find_element(By.CSS_SELECTOR, ".items a"))
            while browser.find_elements(By.ID, "accept"):
                key("a")
            assert browser.find_element(By.ID, "progress").text.startswith("已審")
            key("d")
            assert browser.find_element(By.ID, "finished").text.startswith("已審核")
            browser.save_screenshot(str(artifacts / "review-done.png"))
    finally:
        servers.stop(proc)
    # two minutes of clicks, at two seconds an action
    print(f"review of {items} items in the browser: {actions} actions")
    assert actions <= 60, actions
    report = mzkg.validate(load([resources.data_dir(), folder]))
    assert report.conforms, report.text()
    listed = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mzkg",
                "--data",
                str(resources.data_dir()),
                "--data",
                str(folder),
                "reports",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    mine = next(r for r in listed if r["slug"] == SLUG)
    assert mine["reviewers"] == [REVIEWER] and mine["method"] == "drafted and reviewed"
    # the diff is the decisions: the same file as the same decisions made on the command line, times aside
    by_hand = _copy(drafted, tmp_path / "by-hand")
    _decide_on_the_command_line(by_hand)
    assert _facts(_triples(ttl)) == _facts(_triples(by_hand / f"{SLUG}.ttl"))
    diff = _git(folder, "diff", "--unified=0", "--", ttl.name)
    (artifacts / "review.diff").write_text(diff, encoding="utf-8")
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert any("2,400万元" in line for line in added) and any('"400万元"' in line for line in removed)
    # what was there before is named in the review's own PROV records only
    kept = [line for line in added if "prov:" not in line and "rdfs:comment" not in line]
    assert any("80周岁以上" in line for line in removed) and not any("80周岁以上" in line for line in kept)
    assert any(CANDIDATE in line for line in removed) and not any(f"<{ID}{CANDIDATE}>" in line for line in kept)
    assert any(f"<{ID}{KNOWN}>" in line for line in added)
    assert sum("mzkg:needsReview true" in line for line in removed) >= items - 2
    assert not any("mzkg:needsReview true" in line for line in added)


@pytest.fixture
def desk(kg, drafted, tmp_path):
    return ReviewDesk(_copy(drafted, tmp_path), kg, REVIEWER)


def _form(desk: ReviewDesk, **fields: str) -> dict[str, str]:
    return {"token": desk.token, **fields}


def test_two_tabs_never_lose_an_edit_and_a_stale_form_is_refused(desk):
    with TestClient(
        create_app(desk.kg, pages=review_routes(desk)), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)
    ) as one:
        page = one.get(f"/review/{SLUG}")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        first, second = (i.id for i in open_draft(desk.folder / f"{SLUG}.ttl").items()[:2])
        # two tabs, each deciding on the page it loaded: both decisions are in the file
        a = one.post(f"/review/{SLUG}", data=_form(desk, action="accept", item=first), follow_redirects=False)
        b = one.post(f"/review/{SLUG}", data=_form(desk, action="accept", item=second), follow_redirects=False)
        assert a.status_code == b.status_code == 303
        left = {i.id for i in open_draft(desk.folder / f"{SLUG}.ttl").items()}
        assert first not in left and second not in left
        # the first tab again on what the other already decided: refused with the reason, nothing written
        before = (desk.folder / f"{SLUG}.ttl").read_bytes()
        again = one.post(f"/review/{SLUG}", data=_form(desk, action="accept", item=first))
        assert again.status_code == 409 and "is not open for review" in again.text
        assert (desk.folder / f"{SLUG}.ttl").read_bytes() == before


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"token": "forged"}, 403),
        ({"action": "explode"}, 400),
        ({"item": "measurement/2099/001-1"}, 404),
    ],
)
def test_a_forged_or_bad_form_writes_nothing(desk, change, status):
    ttl = desk.folder / f"{SLUG}.ttl"
    before = ttl.read_bytes()
    with TestClient(
        create_app(desk.kg, pages=review_routes(desk)), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)
    ) as c:
        form = {**_form(desk, action="accept", item=SPLIT), **change}
        assert c.post(f"/review/{SLUG}", data=form).status_code == status
        cross = c.post(
            f"/review/{SLUG}", data=_form(desk, action="accept", item=SPLIT), headers={"origin": "http://evil.example"}
        )
        assert cross.status_code == 403
        assert c.get("/review/..%2F..%2Fetc%2Fpasswd").status_code == 404
        assert c.get("/review/static/../review_page.py").status_code == 404
    assert ttl.read_bytes() == before


def test_the_review_page_is_for_this_machine_only(desk):
    for host in ("0.0.0.0", "192.168.1.5", "example.org", "::"):
        with pytest.raises(UsageError, match="loopback only"):
            check_host(host)
    for host in ("127.0.0.1", "::1", "localhost"):
        check_host(host)
    with TestClient(create_app(desk.kg, pages=review_routes(desk)), client=("10.0.0.7", 5000)) as far:
        assert far.get(f"/review/{SLUG}").status_code == 403


def test_the_command_refuses_another_host_in_one_line(runner, drafted):
    from mzkg.interfaces.cli import main

    res = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--review", str(drafted)])
    assert res.exit_code == 2
    assert res.stderr.startswith("mzkg: error: --review writes drafts and is served on loopback only")
    assert res.stderr.count("\n") == 1


def test_spans_nest_and_are_escaped():
    from mzkg.features.review import Span

    text = "甲<b>乙丙丁戊"
    spans = [
        Span(0, 6, ("statement/1",), "statement", False),
        Span(1, 4, ("x",), "entity", True),
        Span(5, 8, ("y",), "figure", True),
    ]
    html = str(marked_text(text, spans, "x"))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count("<span") == html.count("</span>") == 3
    assert 'class="k-entity open current"' in html
    # a span crossing the one it starts in is cut at that one's end: 丙 marked, 丁 after both
    assert html.endswith('title="figure: y">丙</span></span>丁戊')


def test_a_decision_url_names_the_next_open_item(desk):
    with TestClient(
        create_app(desk.kg, pages=review_routes(desk)), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)
    ) as c:
        items = [i.id for i in open_draft(desk.folder / f"{SLUG}.ttl").items()]
        res = c.post(f"/review/{SLUG}", data=_form(desk, action="accept", item=items[3]), follow_redirects=False)
        assert res.headers["location"] == f"/review/{SLUG}?item=" + urllib.parse.quote(items[4], safe="/")
        listed = c.get("/review")
        assert SLUG in listed.text and ">1<" in listed.text


def test_drafted_entities_carry_a_banner_and_the_report_page_names_its_reviewer(drafted, tmp_path):
    folder = _copy(drafted, tmp_path)
    agency = "agency/330500-dca"
    with TestClient(create_app(load([resources.data_dir(), folder]))) as c:
        page = c.get(f"/id/{agency}")
        assert page.status_code == 200
        assert "草稿,尚未審核 Drafted, not yet reviewed" in page.text
        assert "needsReview" not in page.text and "待審核" not in page.text.split("</div>", 1)[1]
        assert "Drafted, not yet reviewed" in c.get(f"/id/{agency}?lang=en").text
        assert "Drafted, not yet reviewed" not in c.get("/id/programme/shuangbai").text  # hand-encoded: no banner
    _decide_on_the_command_line(folder)
    with TestClient(create_app(load([resources.data_dir(), folder]))) as c:
        assert "Drafted, not yet reviewed" not in c.get(f"/id/{agency}").text
        report = c.get(f"/reports/{SLUG}").text
        assert f"reviewed by {REVIEWER}" in report
        assert f"({REVIEWER})" in c.get("/reports").text
