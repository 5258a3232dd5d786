"""`mzkg draft` on the invented reports of tests/data (marked invented): reading any encoding or an HTML page, what a
draft holds, how good it is against hand-written gold, and that no readable report is ever refused.

Two sets: the tuning set (tests/data/corpus and tests/data/reports), whose scores are asserted here, and the
held-out set (tests/data/heldout), written by someone who never read the drafting code and never used for tuning:
here it must draft and validate; its scores are measured apart (`benchmarks/draft.py --heldout`)."""

from __future__ import annotations

import json
import logging
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from mzkg.core import resources
from mzkg.core.errors import LoadError
from mzkg.core.graph import load
from mzkg.core.namespaces import MZKG
from mzkg.features.draft import Overrides, draft_reports
from mzkg.features.draft.annotate import annotate
from mzkg.features.draft.gazetteer import build
from mzkg.features.draft.reading import read_document
from mzkg.features.validation import validate
from mzkg.interfaces.cli import main
from support.paths import DATA
from support.score import hand_gold, score_entities, score_entity_sets, score_figures, score_report, score_statements

pytestmark = pytest.mark.xdist_group("draft")  # its module fixtures are made once, on one worker

CORPUS = DATA / "corpus"
TUNED = [CORPUS, DATA / "reports"]
HELDOUT = DATA / "heldout"


def _golds(*folders):
    return {p.name.removesuffix(".gold.json"): (folder, json.loads(p.read_text(encoding="utf-8")))
            for folder in folders for p in sorted(folder.glob("*.gold.json"))}  # fmt: skip


GOLD = _golds(*TUNED)
HELD = _golds(HELDOUT)
PACKAGED_TEXT = resources.data_dir() / "source" / "guangdong-minzheng-2022.txt"
REPORT = "https://w3id.org/mzkg/id/report/guangdong-minzheng-2022"


@pytest.fixture(scope="module")
def drafted(kg, tmp_path_factory):
    """Every invented report, tuned and held out, drafted beside the packaged data in one run."""
    out = tmp_path_factory.mktemp("drafts")
    paths = [folder / g["source"] for folder, g in (GOLD | HELD).values()]
    run = draft_reports(paths, out, kg)
    assert run.failed == []
    return out, {d.slug: d for d in run.drafted}


def test_the_fixtures_cover_the_levels_scripts_and_forms():
    golds = [g for _f, g in (GOLD | HELD).values()]
    assert len(golds) >= 14 and len(HELD) >= 6
    assert {g.get("level") for g in golds} >= {"nation", "province", "prefecture", "county"}
    assert {g.get("script") for g in golds} == {"zh-Hans", "zh-Hant"}
    assert {g["encoding"] for g in golds} >= {"big5", "gb18030", "utf_8"}
    assert any(g["source"].endswith(".html") for g in golds)
    assert all("invented" in g["source"] for g in golds)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_reading_names_the_encoding_it_detected(name):
    folder, g = GOLD[name]
    doc = read_document(folder / g["source"])
    assert doc.encoding == g["encoding"]
    assert "民政" in doc.text


def test_an_html_page_gives_its_article_without_navigation_or_footer():
    doc = read_document(CORPUS / "hn-2024-invented.html")
    assert doc.kind == "html"
    assert "会议指出" in doc.text
    assert "关于我们" not in doc.text and "版权所有" not in doc.text and "<p>" not in doc.text


@pytest.mark.parametrize("name", sorted(GOLD))
def test_figures_against_gold(drafted, name):
    _folder, g = GOLD[name]
    d = drafted[1][g["slug"]].draft
    s = score_figures(d, g["figures"])
    assert s.precision >= 0.97 and s.recall >= 0.97, s.line("figures")
    assert s.attributes >= 0.75, f"value, unit, hedge, year (and change) right for {s.attributes:.0%}"


def test_figure_attributes_over_the_tuning_set(drafted):
    right = found = 0
    for _folder, g in GOLD.values():
        s = score_figures(drafted[1][g["slug"]].draft, g["figures"])
        right, found = right + s.attributes_right, found + s.found
    assert right / found >= 0.95, f"{right} of {found}"


@pytest.mark.parametrize("name", sorted(GOLD))
def test_place_years_date_and_title_against_gold(drafted, name):
    _folder, g = GOLD[name]
    d = drafted[1][g["slug"]].draft
    got = score_report(d, g)
    assert all(got.values()), (got, d.division.code, d.reviewed, d.planned, d.date, d.text[slice(*d.title_span)])


@pytest.mark.parametrize("name", sorted(GOLD))
def test_entity_links_against_gold(drafted, name):
    _folder, g = GOLD[name]
    s = score_entities(drafted[1][g["slug"]].draft, g["entities"])
    assert s.recall >= 0.75, s.line("entities")


def test_entity_links_over_the_tuning_set(drafted):
    found = wanted = 0
    for _folder, g in GOLD.values():
        s = score_entities(drafted[1][g["slug"]].draft, g["entities"])
        found, wanted = found + s.found, wanted + s.gold
    assert found / wanted >= 0.90, f"{found} of {wanted}"


def test_the_packaged_report_redrafted_against_its_hand_encoding(kg, tmp_path):
    run = draft_reports([PACKAGED_TEXT], tmp_path, kg, slug="gd-redraft")
    d = run.drafted[0].draft
    gold = hand_gold(kg, REPORT, REPORT + "/text")
    figures = score_figures(d, gold["figures"])
    assert figures.precision >= 0.95 and figures.recall >= 0.95 and figures.attributes >= 0.95, figures.line("figures")
    statements = score_statements(d, gold["spans"])
    assert statements.recall >= 0.95, statements.line("statements")
    entities = score_entity_sets(d, gold["entities"])
    assert entities.recall >= 0.90, entities.line("entities")
    assert d.division.code == "440000" and (d.reviewed, d.planned) == (2021, 2022)


def test_every_draft_validates_beside_the_packaged_data(drafted):
    out, _ = drafted
    report = validate(load([resources.data_dir(), DATA / "extension", out]))
    assert report.conforms, report.text()


def test_held_out_reports_draft_with_their_place(drafted):
    """Not tuned on: each drafts (above), and its place is a division of the right level or better."""
    for _folder, g in HELD.values():
        d = drafted[1][g["slug"]].draft
        assert d.statements, g["slug"]


def test_what_the_draft_is_unsure_of_is_marked_and_listed(drafted):
    _out, done = drafted
    d = done["hn-2023-invented"]
    g = Graph().parse(d.ttl, format="turtle")
    marked = set(g.subjects(MZKG.needsReview, Literal(True)))
    listed = set(re.findall(r"^- `([^`]+)`", d.review.read_text(encoding="utf-8"), re.MULTILINE))
    assert marked and {str(m).removeprefix("https://w3id.org/mzkg/id/") for m in marked} == listed
    assert URIRef("https://w3id.org/mzkg/id/agency/hunan-dca") in marked  # a new agency, guessed
    assert any("programme/hunan-" in str(m) for m in marked)  # the quoted “湘情暖童行动”, a candidate


def test_every_measurement_has_an_indicator(drafted):
    _out, done = drafted
    for d in done.values():
        g = Graph().parse(d.ttl, format="turtle")
        measurements = set(g.subjects(URIRef(str(MZKG) + "asWritten"), None))
        assert all(g.value(m, MZKG.indicator) is not None for m in measurements), d.slug


def test_the_text_written_is_the_text_annotated(drafted):
    _out, done = drafted
    oa = "http://www.w3.org/ns/oa#"
    for name in ("gd-2024-invented", "xihu-2023-invented"):
        d = done[name]
        text = d.text.read_text(encoding="utf-8")
        g = Graph().parse(d.ttl, format="turtle")
        for pos in g.subjects(URIRef(oa + "start"), None):
            start, end = int(g.value(pos, URIRef(oa + "start"))), int(g.value(pos, URIRef(oa + "end")))
            quote = g.value(URIRef(str(pos).replace("#position", "#quote")), URIRef(oa + "exact"))
            assert text[start:end] == str(quote)


def test_a_later_report_proposes_links_to_an_earlier_one(kg, tmp_path):
    first = draft_reports([CORPUS / "hn-2023-invented.gb18030.txt"], tmp_path, kg)
    assert first.failed == []
    both = load([resources.data_dir(), tmp_path])
    second = draft_reports([CORPUS / "hn-2024-invented.html"], tmp_path, both)
    assert second.drafted[0].links >= 1
    g = Graph().parse(second.drafted[0].ttl, format="turtle")
    targets = {str(o) for o in g.objects(None, MZKG.possibleOutcomeOf)}
    assert targets and all("/report/hn-2023-invented/statement/2023/" in t for t in targets)
    assert validate(load([resources.data_dir(), tmp_path])).conforms


def test_many_files_one_bad_one_named_and_the_others_drafted(runner, tmp_path, caplog):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    with caplog.at_level(logging.INFO, logger="mzkg"):
        res = runner.invoke(main, ["draft", str(CORPUS / "gd-2024-invented.big5.txt"), str(bad), "-o", str(out)])
    assert res.exit_code == 1
    errors = [line for line in res.output.splitlines() if line.startswith("mzkg: error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0] and "empty" in errors[0]
    assert (out / "gd-2024-invented.ttl").is_file() and (out / "source" / "gd-2024-invented.txt").is_file()
    assert "[1/2]" in caplog.text  # progress, on the mzkg logger (stderr under the CLI)


def test_a_text_without_years_place_or_sections_still_drafts_and_says_what_it_guessed(runner, tmp_path):
    """(invented) no year, no date, no place, no section marker: a draft with every guess marked, which validates."""
    plain = tmp_path / "plain.txt"
    plain.write_text("全年救助困難群眾1,850户,新建社工站32個。\n", encoding="utf-8")
    res = runner.invoke(main, ["draft", str(plain), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    review = (tmp_path / "out" / "plain.review.md").read_text(encoding="utf-8")
    assert "guess" in review and "no date" in review
    assert validate(load([resources.data_dir(), tmp_path / "out"])).conforms


def test_flags_override_place_years_and_date(kg, tmp_path):
    src = tmp_path / "o.txt"
    src.write_text("全年救助困難群眾1,850户。\n", encoding="utf-8")
    run = draft_reports([src], tmp_path / "out", kg, overrides=Overrides(2020, 2021, "2021-01-05", "430100"))
    d = run.drafted[0].draft
    assert (d.reviewed, d.planned, d.date, d.division.code) == (2020, 2021, "2021-01-05", "430100")


def test_id_names_one_report_only(runner, tmp_path):
    res = runner.invoke(
        main, ["draft", str(CORPUS / "gd-2024-invented.big5.txt"), str(PACKAGED_TEXT), "-o", str(tmp_path), "--id", "x"]
    )
    assert res.exit_code == 2 and "one REPORT" in res.output


def test_a_binary_file_is_refused(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError):
        read_document(junk)


def test_only_a_regular_file_is_read_and_only_up_to_the_limit(tmp_path):
    with pytest.raises(LoadError, match="not a regular file"):
        read_document(tmp_path)
    with pytest.raises(LoadError, match="size limit"):
        read_document(CORPUS / "gd-2024-invented.big5.txt", max_bytes=100)


def test_slug_from_a_chinese_file_name(kg, tmp_path):
    named = tmp_path / "湖南民政2023.txt"
    named.write_bytes((CORPUS / "hn-2023-invented.gb18030.txt").read_bytes())
    run = draft_reports([named], tmp_path / "out", kg)
    assert run.drafted[0].slug == "hu-nan-min-zheng-2023"


def test_a_figure_measures_the_thing_its_phrase_names_or_says_it_guessed(drafted):
    _out, done = drafted
    g = Graph().parse(done["hn-2023-invented"].ttl, format="turtle")
    by_written = {str(g.value(m, MZKG.asWritten)): m for m in g.subjects(MZKG.asWritten, None)}
    shegongzhan = URIRef("https://w3id.org/mzkg/id/institution/shegongzhan")
    assert g.value(by_written["1930个"], MZKG.measures) == shegongzhan  # named in its own phrase
    coverage = by_written["98.5%"]  # 覆盖率达到98.5%: the station named before it, and a note saying so
    assert g.value(coverage, MZKG.measures) == shegongzhan and (coverage, MZKG.needsReview, Literal(True)) in g


def test_a_thousands_separated_figure_is_one_node(drafted):
    _out, done = drafted
    g = Graph().parse(done["wenzhou-2023-invented"].ttl, format="turtle")
    written = {str(o) for o in g.objects(None, MZKG.asWritten)}
    assert "1,850户" in written and "约2,300万元" in written and "850户" not in written


def test_a_change_is_drafted_as_a_change_with_its_base(drafted):
    _out, done = drafted
    g = Graph().parse(done["nation-2023-invented"].ttl, format="turtle")
    changes = set(g.subjects(MZKG.figureKind, URIRef("https://w3id.org/mzkg/id/figure-kind/change")))
    assert changes
    assert all(g.value(m, MZKG.changeDirection) is not None for m in changes)


INVENTED_BODY = "會議指出,2022年全省民政工作取得新進展,建成社工站1930個。\n2023年重點任務\n2023年,要推動社工站實現100%覆蓋。\n"


def _draft_text(kg, tmp_path, name: str, lead: str, encoding: str = "utf-8", prefix: bytes = b""):
    src = tmp_path / name
    src.write_bytes(prefix + (lead + INVENTED_BODY).encode(encoding))
    out = tmp_path / "out"
    run = draft_reports([src], out, kg)
    return run, out


def test_the_place_is_the_known_one_before_its_civil_affairs_department(kg, tmp_path):
    """(invented) 「由湖南省民政廳主辦」 in 長沙: the place is 湖南, not the venue and not a place called 由湖南."""
    run, out = _draft_text(
        kg, tmp_path, "a.txt", "1月12日,2023年全省民政工作會議在長沙召開,由湖南省民政廳主辦。總結了2022年工作,部署2023年任務。\n"
    )
    assert run.drafted[0].draft.division.code == "430000"
    g = Graph().parse(run.drafted[0].ttl, format="turtle")
    assert (None, URIRef("http://purl.org/dc/terms/spatial"), URIRef("https://w3id.org/mzkg/id/place/hunan")) in g
    assert validate(load([resources.data_dir(), out])).conforms


def test_a_place_the_graph_does_not_know_is_keyed_by_its_code_with_its_province(kg, tmp_path):
    """(invented) a county's bureau: the county by its GB/T 2260 code, inside its prefecture and province."""
    run, out = _draft_text(kg, tmp_path, "d.txt", "瀏陽市民政局召開會議,總結了2022年工作,部署2023年任務。\n")
    d = run.drafted[0]
    assert d.draft.division.code == "430181"
    g = Graph().parse(d.ttl, format="turtle")
    schema = "https://schema.org/containedInPlace"
    place = URIRef("https://w3id.org/mzkg/id/place/430181")
    assert g.value(place, URIRef(schema)) == URIRef("https://w3id.org/mzkg/id/place/430100")
    assert validate(load([resources.data_dir(), out])).conforms


def test_a_national_report_is_the_nations_not_its_venues(kg, tmp_path):
    run, _out = _draft_text(kg, tmp_path, "n.txt", "全國民政工作會議在長沙召開,民政部部署2023年任務。\n")
    assert run.drafted[0].draft.division.code == "100000"


def test_a_report_that_names_no_conference_still_validates(kg, tmp_path):
    """(invented) no 民政工作會議, no 工作報告, an impossible date: names are made up and marked, the date flagged."""
    run, out = _draft_text(kg, tmp_path, "b.txt", "湖南省民政廳召開視頻會議,總結了2022年工作,部署2023年任務。13月40日舉行。\n")
    assert run.failed == [] and run.drafted[0].draft.date is None
    report = validate(load([resources.data_dir(), out]))
    assert report.conforms, report.text()
    review = run.drafted[0].review.read_text(encoding="utf-8")
    assert "made up" in review and "no date" in review


def test_a_lying_byte_order_mark_falls_back_to_detection(kg, tmp_path):
    run, _out = _draft_text(
        kg, tmp_path, "c.txt", "湖南省民政廳召開會議,總結了2022年工作,部署2023年任務。\n", "gb18030", b"\xef\xbb\xbf"
    )
    assert run.failed == [] and run.drafted[0].encoding == "gb18030"


def test_slugs_never_collide(kg, tmp_path):
    for name in ("report.2023.txt", "report.2024.txt", "guangdong-minzheng-2022.txt"):
        (tmp_path / name).write_bytes((CORPUS / "hn-2023-invented.gb18030.txt").read_bytes())
    out = tmp_path / "out"
    run = draft_reports(
        [tmp_path / "report.2023.txt", tmp_path / "report.2024.txt", tmp_path / "guangdong-minzheng-2022.txt"], out, kg
    )
    assert [d.slug for d in run.drafted] == ["report-2023", "report-2024"]
    assert len(run.failed) == 1 and "already holds a report" in run.failed[0].error
    dup = draft_reports([CORPUS / "hn-2023-invented.gb18030.txt", tmp_path / "report.2023.txt"], tmp_path / "o2", kg, slug=None)
    assert len(dup.drafted) == 2


# --- never a refusal, never a traceback: truncations, concatenations and shuffled paragraphs of the fixtures

TEXTS = [read_document(folder / g["source"]).text for folder, g in (GOLD | HELD).values()]


@pytest.fixture(scope="module")
def gaz(kg):
    return build(kg)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_cut_join_or_shuffle_of_the_fixtures_drafts(gaz, data):
    a, b = data.draw(st.sampled_from(TEXTS)), data.draw(st.sampled_from(TEXTS))
    how = data.draw(st.sampled_from(["cut", "join", "shuffle"]))
    if how == "cut":
        i, j = sorted(data.draw(st.tuples(st.integers(0, len(a)), st.integers(0, len(a)))))
        text = a[i:j]
    elif how == "join":
        text = a + b
    else:
        lines = a.split("\n")
        random.Random(data.draw(st.integers(0, 10**6))).shuffle(lines)
        text = "\n".join(lines)
    draft = annotate(text, gaz, len(text))
    assert draft.division.code
    assert all(0 <= s.start <= s.end <= len(text) for s in draft.statements)


# --- hardening: what drafting writes, reads and how long it takes


def test_drafting_again_is_refused_unless_forced_and_never_over_an_edit(kg, tmp_path, runner):
    src, out = CORPUS / "gd-2024-invented.big5.txt", tmp_path / "out"
    assert runner.invoke(main, ["draft", str(src), "-o", str(out)]).exit_code == 0
    again = runner.invoke(main, ["draft", str(src), "-o", str(out)])
    assert again.exit_code == 1 and "--force" in again.output
    assert runner.invoke(main, ["draft", str(src), "-o", str(out), "--force"]).exit_code == 0  # untouched: replaced
    ttl = out / "gd-2024-invented.ttl"
    ttl.write_bytes(ttl.read_bytes() + b"\n# a reviewer's edit\n")
    edited = runner.invoke(main, ["draft", str(src), "-o", str(out), "--force"])
    assert edited.exit_code == 1 and "edited" in edited.output
    assert ttl.read_bytes().endswith(b"# a reviewer's edit\n")


def test_a_link_planted_where_draft_writes_is_refused(kg, tmp_path):
    out = tmp_path / "shared"
    (out / "source").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("only root may write this\n", encoding="utf-8")
    (out / "source" / "gd-2024-invented.txt").symlink_to(victim)
    run = draft_reports([CORPUS / "gd-2024-invented.big5.txt"], out, kg)
    assert run.drafted == [] and "symbolic link" in run.failed[0].error
    assert victim.read_text(encoding="utf-8") == "only root may write this\n"


def test_a_device_is_refused_at_once(tmp_path):
    with pytest.raises(LoadError, match="not a regular file"):
        read_document(Path("/dev/zero"))


def test_drafting_time_grows_linearly_with_the_text(gaz):
    import time

    base = "".join(TEXTS)
    timings = []
    for size in (60_000, 240_000):
        text = (base * (size // len(base) + 1))[:size]
        start = time.perf_counter()
        annotate(text, gaz, len(text))
        timings.append(time.perf_counter() - start)
    assert timings[1] < 8 * timings[0] + 1.0, timings  # four times the text: far less than sixteen times the time
