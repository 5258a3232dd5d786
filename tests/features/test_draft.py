"""`mzkg draft`: reading any encoding or an HTML page, what a draft holds, how good it is against gold, and how it
fails. The invented reports in tests/data/corpus/ (marked invented) have hand-written gold."""

from __future__ import annotations

import json
import logging
import re

import pytest
from rdflib import Graph, Literal, URIRef

from mzkg.core import resources
from mzkg.core.errors import LoadError
from mzkg.core.graph import load
from mzkg.core.namespaces import MZKG
from mzkg.features.draft import draft_reports
from mzkg.features.draft.reading import read_document
from mzkg.features.draft.score import hand_gold, score_entities, score_entity_sets, score_figures, score_statements
from mzkg.features.validation import validate
from mzkg.interfaces.cli import main
from support.paths import DATA

CORPUS = DATA / "corpus"
GOLD = {p.name.split(".")[0]: json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.gold.json"))}
PACKAGED_TEXT = resources.data_dir() / "source" / "guangdong-minzheng-2022.txt"
REPORT = "https://w3id.org/mzkg/id/report/guangdong-minzheng-2022"


@pytest.fixture(scope="module")
def drafted(kg, tmp_path_factory):
    """The three invented reports drafted beside the packaged data, the way the README shows."""
    out = tmp_path_factory.mktemp("drafts")
    paths = [CORPUS / g["source"] for g in GOLD.values()]
    run = draft_reports(paths, out, kg)
    assert run.failed == []
    return out, {d.slug: d for d in run.drafted}


def test_three_invented_reports_in_two_scripts_and_three_forms():
    assert len(GOLD) >= 3
    assert {g["encoding"] for g in GOLD.values()} >= {"big5", "gb18030", "utf_8"}
    assert any(g["source"].endswith(".html") for g in GOLD.values())
    for g in GOLD.values():
        assert "invented" in g["source"]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_reading_names_the_encoding_it_detected(name):
    g = GOLD[name]
    doc = read_document(CORPUS / g["source"])
    assert doc.encoding == g["encoding"]
    assert "民政工作" in doc.text


def test_an_html_page_gives_its_article_without_navigation_or_footer():
    doc = read_document(CORPUS / "hn-2024-invented.html")
    assert doc.kind == "html"
    assert "会议指出" in doc.text
    assert "关于我们" not in doc.text and "版权所有" not in doc.text and "<p>" not in doc.text


@pytest.mark.parametrize("name", sorted(GOLD))
def test_figures_against_gold(drafted, name):
    g = GOLD[name]
    d = drafted[1][g["slug"]].draft
    s = score_figures(d, g["figures"])
    assert s.precision >= 0.95 and s.recall >= 0.95, s.line("figures")
    assert s.attributes >= 0.95, f"value, unit, hedge and year right for {s.attributes:.0%}"


@pytest.mark.parametrize("name", sorted(GOLD))
def test_entity_links_against_gold(drafted, name):
    g = GOLD[name]
    d = drafted[1][g["slug"]].draft
    s = score_entities(d, g["entities"])
    assert s.recall >= 0.90, s.line("entities")


@pytest.mark.parametrize("name", sorted(GOLD))
def test_years_place_and_date_are_read_from_the_text(drafted, name):
    g = GOLD[name]
    d = drafted[1][g["slug"]].draft
    assert (d.reviewed, d.planned, d.date) == (g["reviews"], g["plans"], g["date"])
    assert d.place is not None and d.place.iri.endswith(g["place"])


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


def test_drafts_validate_beside_the_packaged_data(drafted):
    out, _ = drafted
    report = validate(load([resources.data_dir(), DATA / "extension", out]))
    assert report.conforms, report.text()


def test_what_the_draft_is_unsure_of_is_marked_and_listed(drafted):
    _out, done = drafted
    d = done["hn-2023-invented"]
    g = Graph().parse(d.ttl, format="turtle")
    marked = set(g.subjects(MZKG.needsReview, Literal(True)))
    listed = set(re.findall(r"^- `([^`]+)`", d.review.read_text(encoding="utf-8"), re.MULTILINE))
    assert marked and {str(m).removeprefix("https://w3id.org/mzkg/id/") for m in marked} == listed
    assert URIRef("https://w3id.org/mzkg/id/agency/hunan-dca") in marked  # a new agency, guessed
    assert any("programme/hunan-" in str(m) for m in marked)  # the quoted “湘情暖童行动”, a candidate


def test_the_text_written_is_the_text_annotated(drafted):
    _out, done = drafted
    d = done["gd-2024-invented"]
    text = d.text.read_text(encoding="utf-8")
    g = Graph().parse(d.ttl, format="turtle")
    for pos in g.subjects(URIRef("http://www.w3.org/ns/oa#start"), None):
        start, end = (
            int(g.value(pos, URIRef("http://www.w3.org/ns/oa#start"))),
            int(g.value(pos, URIRef("http://www.w3.org/ns/oa#end"))),
        )
        quote = g.value(URIRef(str(pos).replace("#position", "#quote")), URIRef("http://www.w3.org/ns/oa#exact"))
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


def test_a_text_without_years_asks_for_the_flags(runner, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("会议指出,全省民政工作取得新进展。\n", encoding="utf-8")
    res = runner.invoke(main, ["draft", str(plain), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert "--reviewed-year" in res.output and "Traceback" not in res.output


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
    labels = {
        lit.language: str(lit)
        for lit in g.objects(by_written["超过8600名"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    }
    assert labels["zh-hans"] == "社会工作者超过8600名"  # one script per label


INVENTED_BODY = "會議指出,2022年全省民政工作取得新進展,建成社工站1930個。\n2023年重點任務\n2023年,要推動社工站實現100%覆蓋。\n"


def _draft_text(kg, tmp_path, name: str, lead: str, encoding: str = "utf-8", prefix: bytes = b""):
    src = tmp_path / name
    src.write_bytes(prefix + (lead + INVENTED_BODY).encode(encoding))
    out = tmp_path / "out"
    run = draft_reports([src], out, kg)
    return run, out


def test_the_place_is_the_known_one_before_its_civil_affairs_department(kg, tmp_path):
    """(invented) 「由湖南省民政廳主辦」: the place is 湖南, not a new place called 由湖南."""
    run, out = _draft_text(
        kg, tmp_path, "a.txt", "1月12日,2023年全省民政工作會議在長沙召開,由湖南省民政廳主辦。總結了2022年工作,部署2023年任務。\n"
    )
    assert run.drafted[0].draft.place.iri.endswith("/place/hunan")
    assert validate(load([resources.data_dir(), out])).conforms


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


def test_slugs_never_collide(kg, tmp_path, runner):
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
