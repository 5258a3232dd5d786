"""Many reports in one graph: report-scoped IRIs, the catalogue, questions across reports, moved IRIs.

The corpus: the packaged 2022 report, the hand-encoded invented 2023 report (tests/data/extension) and three
invented reports drafted on the fly (tests/data/corpus): two places, three years."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

import mzkg
from mzkg.core import resources
from mzkg.core.graph import load
from mzkg.features.draft import draft_reports
from mzkg.interfaces.cli import main
from support.paths import DATA

pytestmark = pytest.mark.xdist_group("corpus")  # its module fixtures are made once, on one worker

CORPUS = DATA / "corpus"
ID = "https://w3id.org/mzkg/id/"


@pytest.fixture(scope="module")
def corpus(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    base = load([resources.data_dir(), DATA / "extension"])
    first = draft_reports([CORPUS / "gd-2024-invented.big5.txt", CORPUS / "hn-2023-invented.gb18030.txt"], out, base)
    assert first.failed == []
    second = draft_reports([CORPUS / "hn-2024-invented.html"], out, load([resources.data_dir(), DATA / "extension", out]))
    assert second.failed == []
    paths = [resources.data_dir(), DATA / "extension", out]
    return paths, load(paths)


def _rows(result):
    return result.records()


def test_each_file_defines_only_its_own_reports_iris(corpus):
    """No collision: every subject under id/report/ in a file belongs to that file's one report, and the five
    reports have five different paths."""
    _paths, kg = corpus
    slugs_by_file = defaultdict(set)
    for name in kg.graph_names:
        for s in kg.dataset.graph(URIRef(name)).subjects():
            if str(s).startswith(ID + "report/"):
                slugs_by_file[name].add(str(s).removeprefix(ID + "report/").split("/")[0].split("#")[0])
    assert all(len(slugs) == 1 for slugs in slugs_by_file.values()), slugs_by_file
    assert len({next(iter(s)) for s in slugs_by_file.values()}) == 5


def test_reports_lists_all_five_with_counts(corpus, runner):
    paths, kg = corpus
    found = mzkg.reports(kg)
    assert [r.slug for r in found] == [
        "guangdong-minzheng-2022", "gd-2023-invented", "hn-2023-invented", "gd-2024-invented", "hn-2024-invented",
    ]  # fmt: skip
    assert {r.place for r in found} == {"廣東", "湖南"} and {r.plans for r in found} == {"2022", "2023", "2024"}
    packaged = found[0]
    assert (packaged.statements, packaged.figures, packaged.method) == (131, 24, "encoded by hand")
    assert all(r.method == "drafted, not reviewed" for r in found if "hn-" in r.slug)
    args = [a for p in paths for a in ("--data", str(p))]
    res = runner.invoke(main, [*args, "reports", "--format", "json"])
    assert res.exit_code == 0
    assert [r["slug"] for r in json.loads(res.output)] == [r.slug for r in found]
    text = runner.invoke(main, [*args, "reports"]).output
    assert "5 report(s)" in text and "hn-2024-invented" in text


def test_plan_outcome_gives_every_task_an_explicit_status(corpus, kg):
    _paths, big = corpus
    rows = _rows(mzkg.query("plan-outcome", kg=big))
    allowed = {"fulfilled", "continued", "changed", "proposed, to review", "not mentioned", "no later report"}
    assert rows and {r["status"] for r in rows} <= allowed
    tasks_2022 = {
        r["task"] for r in _rows(mzkg.query("plan-outcome", kg=kg))
    }  # the packaged report alone: every task, nothing later
    assert {r["status"] for r in _rows(mzkg.query("plan-outcome", kg=kg))} == {"no later report"}
    guangdong_2022 = [r for r in rows if str(r["year"]) == "2022"]
    assert {r["task"] for r in guangdong_2022} == tasks_2022
    statuses = {r["status"] for r in guangdong_2022}
    assert "fulfilled" in statuses and "not mentioned" in statuses
    hunan = [r for r in rows if r["place"] == "湖南" and str(r["year"]) == "2023"]
    assert hunan and {r["status"] for r in hunan} == {"proposed, to review"}
    assert all(r["later"] for r in hunan)


def test_packaged_tasks_each_have_a_row(kg):
    res = mzkg.query(
        "SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?t a mzkg:Task ; prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q "
        "FILTER NOT EXISTS { ?t mzkg:restates ?x } }",
        kg=kg,
    )
    expected = int(res.rows[0][0].value)
    assert len({r["task"] for r in _rows(mzkg.query("plan-outcome", kg=kg))}) == expected


def test_indicator_series_puts_one_indicator_from_several_reports_side_by_side(corpus):
    _paths, kg = corpus
    rows = _rows(mzkg.query("indicator-series", kg=kg, label="社工站"))
    reports = {r["report"] for r in rows}
    places = {r["place"] for r in rows}
    assert len(reports) >= 3 and places == {"廣東", "湖南"}
    assert {r["target"] for r in rows} == {"actual", "target"}  # kept apart
    frame = mzkg.series("社工站", kg)
    assert len(frame) == len(rows) and frame["year"].dtype.kind == "i" and frame["value"].dtype.kind == "f"


def test_programme_spread_and_new_in_report(corpus):
    _paths, kg = corpus
    spread = _rows(mzkg.query("programme-spread", kg=kg))
    ageing = {(r["place"], str(r["year"])) for r in spread if r["programme"] == "特殊困難老年人家庭適老化改造"}
    assert ("湖南", "2022") in ageing and ("湖南", "2023") in ageing
    new = _rows(mzkg.query("new-in-report", kg=kg, report="hn-2024-invented"))
    first_time = {r["entity"] for r in new}
    assert "社工站" not in first_time  # named by earlier reports
    assert _rows(mzkg.query("new-in-report", kg=kg, report="guangdong-minzheng-2022"))  # the first report: all new


def test_every_moved_iri_points_to_one_that_exists(kg):
    g = kg.union()
    moved = list(g.subject_objects(DCTERMS.isReplacedBy))
    assert len(moved) == 461  # the 460 report-owned IRIs 0.2.0 moved, and agency/gd-finance (an actor group now)
    for old, new in moved:
        assert (new, None, None) in g, new
        assert not list(g.predicate_objects(old))[1:], f"{old} says more than where it went"


def test_the_release_carries_the_catalogue_and_the_moves(packaged_release):
    out = packaged_release[0]
    void = Graph().parse(out / "void.ttl")
    assert (None, DCTERMS.hasPart, URIRef(ID + "report/guangdong-minzheng-2022/dataset")) in void
    dump = (out / f"mzkg-{mzkg.__version__}.ttl").read_text(encoding="utf-8")
    assert "isReplacedBy" in dump


def test_the_corpus_passes_the_ontology_lint(corpus):
    """Each report has its own 工作報告 and sections: labels repeat across reports, never within one."""
    from mzkg.features.checks import run_checks

    _paths, kg = corpus
    errors = [v for v in run_checks(kg) if v.severity == "error"]
    assert errors == []
