"""`mzkg review`: every decision on a draft made here from an invented report (tests/data, marked invented), the file
it leaves, the PROV trail it records, and validation agreeing with it."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import mzkg
from mzkg.core import resources
from mzkg.core.graph import load
from mzkg.core.prefixes import ID, PREFIXES
from mzkg.features.draft import draft_reports
from mzkg.features.review import Refused, default_reviewer, open_draft, reviewer_iri
from mzkg.interfaces.cli import main
from support.paths import DATA, ROOT

pytestmark = pytest.mark.xdist_group("review-draft")  # its module fixtures are made once, on one worker

WENZHOU = "wenzhou-2023-invented"
GD = "gd-2024-invented"
SOURCES = {WENZHOU: DATA / "reports" / "wenzhou-2023-invented.txt", GD: DATA / "corpus" / "gd-2024-invented.big5.txt"}
WHEN = datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC)


def _iri(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


NEEDS = _iri("mzkg", "needsReview")
NOTE = _iri("skos", "editorialNote")


@pytest.fixture(scope="module")
def pristine(kg, tmp_path_factory):
    """Each invented report drafted once beside the packaged data; tests review copies."""
    out = tmp_path_factory.mktemp("pristine")
    run = draft_reports(list(SOURCES.values()), out, kg)
    assert run.failed == []
    return out


def _copy(pristine: Path, tmp_path: Path) -> Path:
    out = tmp_path / "drafts"
    shutil.copytree(pristine, out)
    return out


def _graph(path: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}


def _about(triples: set[ox.Triple], iri: str) -> list[ox.Triple]:
    """The triples that mention a node, outside the review's own records."""
    node = ox.NamedNode(iri)
    return [t for t in triples if node in (t.subject, t.object) and "/review/" not in t.subject.value]


def _values(triples: set[ox.Triple], s: str, p: ox.NamedNode) -> set[str]:
    return {t.object.value for t in triples if t.subject.value == s and t.predicate == p}


def _validate(out: Path):
    return mzkg.validate(load([resources.data_dir(), out]))


def _report(slug: str) -> str:
    return f"{ID}report/{slug}"


def test_an_opened_draft_writes_back_byte_identical(pristine):
    ttl = pristine / f"{WENZHOU}.ttl"
    assert open_draft(ttl).turtle() == ttl.read_bytes()


def test_list_gives_every_marked_node_with_its_words_marked_where_why_and_what(pristine):
    ttl = pristine / f"{WENZHOU}.ttl"
    marked = {t.subject.value for t in _graph(ttl) if t.predicate == NEEDS}
    items = open_draft(ttl).items()
    assert {i.iri for i in items} == marked and len(items) == 16
    by_id = {i.id: i for i in items}
    figure = by_id["measurement/2022/002-2"]
    text = (pristine / "source" / f"{WENZHOU}.txt").read_text(encoding="utf-8")
    assert figure.kind == "mzkg:Measurement"
    assert text[figure.start : figure.end] == "1,850户"
    assert figure.line == text.count("\n", 0, figure.start) + 1 == 4
    assert "对【1,850户】因病因灾" in figure.sentence
    assert dict(figure.values)["value"] == "1850" and dict(figure.values)["unit"] == "unit/household"
    assert "no indicator in the graph" in figure.note
    agency = by_id["agency/330300-dca"]
    assert "【市民政局】局长陈柏林" in agency.sentence and agency.kind == "mzkg:Agency"


def test_list_as_json_from_the_command_line(runner, pristine):
    res = runner.invoke(main, ["review", "list", str(pristine / f"{WENZHOU}.ttl"), "--format", "json"])
    assert res.exit_code == 0, res.output
    items = json.loads(res.output)
    assert len(items) == 16
    one = next(i for i in items if i["id"] == "measurement/2022/003-1")
    assert one["values"]["value"] == "1130" and "【1,130元】" in one["sentence"] and one["line"] == 4


def test_accept_removes_the_mark_and_note_and_records_what_it_was(runner, pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    agency = f"{ID}agency/330300-dca"
    note = _values(_graph(ttl), agency, NOTE)
    res = runner.invoke(main, ["review", "accept", str(ttl), "agency/330300-dca", "person/chen-bolin", "--reviewer", "Li Ming"])
    assert res.exit_code == 0, res.output
    g = _graph(ttl)
    assert _values(g, agency, NEEDS) == set() and _values(g, agency, NOTE) == set()
    assert _values(g, f"{ID}person/chen-bolin", NEEDS) == set()
    acts = sorted({t.subject.value for t in g if t.subject.value.endswith(("/review/001", "/review/002"))})
    assert len(acts) == 2
    was = f"{acts[0]}/was/review-mark"
    assert _values(g, was, _iri("prov", "value")) == note
    assert _values(g, was, _iri("prov", "specializationOf")) == {agency}
    assert len(open_draft(ttl).items()) == 14
    report = _validate(out)
    assert report.conforms, report.text()


def test_a_split_figure_is_fixed_and_a_wrong_fix_refused_before_anything_is_written(pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    m = f"{_report(WENZHOU)}/measurement/2022/002-2"
    # the figure split as a reader once split it: 「850户」 of 「1,850户」
    split = (
        ttl.read_text(encoding="utf-8")
        .replace('"1,850户"@zh-hans', '"850户"@zh-hans')
        .replace(
            'mzkg:value "1850"^^xsd:decimal ;\n\tmzkg:writtenValue "1850"',
            'mzkg:value "850"^^xsd:decimal ;\n\tmzkg:writtenValue "850"',
        )
    )
    ttl.write_text(split, encoding="utf-8")
    assert _values(_graph(ttl), m, _iri("mzkg", "value")) == {"850"}
    d = open_draft(ttl)
    d.clock = lambda: WHEN
    with pytest.raises(Refused, match=r"「850户」 reads 850 in base units, not 1850"):
        d.fix("measurement/2022/002-2", {"value": "1850"}, reviewer="Li Ming")
    with pytest.raises(Refused, match=r"「1,850人」 is not in the span it cites"):
        d.fix("measurement/2022/002-2", {"value": "1,850人"}, reviewer="Li Ming")
    assert ttl.read_text(encoding="utf-8") == split  # refused: nothing written
    d.fix("measurement/2022/002-2", {"value": "1,850户"}, reviewer="Li Ming")
    g = _graph(ttl)
    assert _values(g, m, _iri("mzkg", "asWritten")) == {"1,850户"}
    assert _values(g, m, _iri("mzkg", "value")) == _values(g, m, _iri("mzkg", "writtenValue")) == {"1850"}
    assert _values(g, m, NEEDS) == set()
    act = f"{_report(WENZHOU)}/review/001"
    assert _values(g, f"{act}/was/asWritten", _iri("prov", "value")) == {"850户"}
    assert _values(g, f"{act}/now/asWritten", _iri("prov", "value")) == {"1,850户"}
    assert _values(g, f"{act}/was/value", _iri("prov", "value")) == {"850"}
    assert _values(g, f"{act}/now/value", _iri("prov", "wasRevisionOf")) == {f"{act}/was/value"}
    report = _validate(out)
    assert report.conforms, report.text()


def test_a_wrong_fix_on_the_command_line_is_one_line_and_exit_1(runner, pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    before = ttl.read_bytes()
    res = runner.invoke(main, ["review", "fix", str(ttl), "measurement/2022/005-3", "hedge=about"])
    assert res.exit_code == 1
    assert res.stderr.startswith("mzkg: error: measurement/2022/005-3: 「2,700余户」 has the hedge 余, not about")
    assert res.stderr.count("\n") == 1
    for bad in (["colour=red"], ["value"]):
        res = runner.invoke(main, ["review", "fix", str(ttl), "measurement/2022/005-3", *bad])
        assert res.exit_code == 2 and res.stderr.startswith("mzkg: error: ")
    res = runner.invoke(main, ["review", "accept", str(ttl), "measurement/2099/001-1"])
    assert res.exit_code == 1 and "no node 'measurement/2099/001-1'" in res.stderr
    assert ttl.read_bytes() == before
    res = runner.invoke(main, ["review", "fix", str(ttl), "measurement/2022/007-1", "unit=person", "period=2022"])
    assert res.exit_code == 0, res.output
    assert _values(_graph(ttl), f"{_report(WENZHOU)}/measurement/2022/007-1", _iri("mzkg", "unitImplied")) == {"true"}


def test_reject_a_false_figure_removes_it_and_what_only_it_needed(pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    # the headline's 2300万元 is the body's 约2,300万元 restated: no figure of its own
    m = f"{_report(WENZHOU)}/measurement/2022/001-1"
    indicator = f"{ID}indicator/drafted-group-kunnan-jiating-cny-flow"
    assert _about(_graph(ttl), indicator)
    open_draft(ttl).reject("measurement/2022/001-1", reviewer="Li Ming")
    g = _graph(ttl)
    assert _about(g, m) == []
    assert _about(g, indicator) == []  # the drafted indicator only it used
    assert _values(g, f"{_report(WENZHOU)}/span/0-35", _iri("oa", "hasSource"))  # still the headline statement's
    dump = _values(g, f"{_report(WENZHOU)}/review/001/was/triples", _iri("prov", "value")).pop()
    assert f'<{m}> <https://w3id.org/mzkg/ontology#asWritten> "2300万元"@zh-hans .' in dump
    # a person rejected takes the span only they were cited from, and the report's creator link
    open_draft(ttl).reject("person/chen-bolin", reviewer="Li Ming")
    g = _graph(ttl)
    assert _about(g, f"{ID}person/chen-bolin") == []
    span = f"{_report(WENZHOU)}/span/119-122"
    assert _about(g, span) == [] and _about(g, f"{span}#quote") == []
    report = _validate(out)
    assert report.conforms, report.text()


def test_link_a_candidate_to_a_known_programme(kg, runner, pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{GD}.ttl"
    candidate = f"{ID}programme/guangdong-yin-ling-hu-zhu-xing-dong"
    known = f"{ID}programme/linli-shouwang"
    mentions = {t.subject.value for t in _graph(ttl) if t.object == ox.NamedNode(candidate)}
    assert mentions
    res = runner.invoke(main, ["review", "link", str(ttl), "programme/guangdong-yin-ling-hu-zhu-xing-dong", "programme/nowhere"])
    assert res.exit_code == 1 and "is not in the draft or the graph" in res.stderr
    res = runner.invoke(main, ["review", "link", str(ttl), "dataset", known])
    assert res.exit_code == 2 and "is the report's own node" in res.stderr
    res = runner.invoke(
        main, ["review", "link", str(ttl), "programme/guangdong-yin-ling-hu-zhu-xing-dong", known, "--reviewer", "王芳"]
    )
    assert res.exit_code == 0, res.output
    g = _graph(ttl)
    assert _about(g, candidate) == []
    assert mentions <= {t.subject.value for t in g if t.object == ox.NamedNode(known)}
    assert not any(t.subject == ox.NamedNode(known) for t in g)  # the known programme is described elsewhere
    act = next(t.subject.value for t in g if t.predicate == _iri("rdfs", "comment") and "link programme/" in t.object.value)
    assert _values(g, f"{act}/was/iri", _iri("prov", "value")) == {candidate}
    assert _values(g, f"{act}/now/iri", _iri("prov", "value")) == {known}
    assert _values(g, act, _iri("prov", "wasAssociatedWith")) == {reviewer_iri("王芳")}
    report = _validate(out)
    assert report.conforms, report.text()


def _review_everything(ttl: Path) -> None:
    d = open_draft(ttl)
    d.clock = lambda: WHEN
    d.reject("measurement/2022/001-1", reviewer="Li Ming")
    for item in d.items():
        d.accept(item.id, reviewer="Li Ming")


def test_done_is_refused_while_items_are_open_then_marks_the_report_reviewed(runner, pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    before = ttl.read_bytes()
    res = runner.invoke(main, ["review", "done", str(ttl), "--reviewer", "Li Ming"])
    assert res.exit_code == 1 and "16 item(s) still open" in res.stderr
    assert ttl.read_bytes() == before
    _review_everything(ttl)
    res = runner.invoke(main, ["review", "done", str(ttl), "--reviewer", "Li Ming"])
    assert res.exit_code == 0, res.output
    g = _graph(ttl)
    dataset = f"{_report(WENZHOU)}/dataset"
    assert _values(g, dataset, _iri("mzkg", "encodingMethod")) == {f"{ID}encoding-method/drafted-reviewed"}
    assert _values(g, dataset, _iri("prov", "wasAttributedTo")) == {reviewer_iri("Li Ming")}
    (modified,) = [t.object for t in g if t.subject.value == dataset and t.predicate == _iri("dcterms", "modified")]
    assert modified.datatype == _iri("xsd", "dateTime")
    assert not any(t.predicate == NEEDS for t in g)
    res = runner.invoke(main, ["review", "list", str(ttl)])
    assert res.exit_code == 0 and res.output.startswith("nothing is open for review")
    report = _validate(out)
    assert report.conforms, report.text()
    res = runner.invoke(main, ["--data", str(resources.data_dir()), "--data", str(out), "reports", "--format", "json"])
    assert res.exit_code == 0, res.output
    methods = {r["slug"]: r["method"] for r in json.loads(res.output)}
    assert methods[WENZHOU] == "drafted and reviewed" and methods[GD] == "drafted, not reviewed"


def test_the_prov_trail_says_who_when_and_what_before(pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    d = open_draft(ttl)
    d.clock = lambda: WHEN
    decision = d.fix("measurement/2022/004-3", {"indicator": "indicator/tekun-zhichu", "period": "2022"}, reviewer="Li Ming")
    g = _graph(ttl)
    act = decision.activity
    assert act == f"{_report(WENZHOU)}/review/001"
    assert _values(g, act, _iri("rdf", "type")) == {PREFIXES["prov"] + "Activity"}
    assert _values(g, act, _iri("prov", "endedAtTime")) == {"2026-12-03T09:30:00Z"}
    agent = reviewer_iri("Li Ming")
    assert _values(g, act, _iri("prov", "wasAssociatedWith")) == {agent}
    assert _values(g, agent, _iri("rdf", "type")) == {PREFIXES["prov"] + "Agent"}
    assert _values(g, agent, _iri("rdfs", "label")) == {"Li Ming"}
    was = f"{act}/was/review-mark"
    assert _values(g, act, _iri("prov", "used")) == {was}  # indicator and period unchanged: only the mark went
    assert _values(g, was, _iri("prov", "value")) == {"kind of money not named near the figure: taken as an investment"}
    assert _values(g, f"{_report(WENZHOU)}/dataset", _iri("dcterms", "modified")) == {"2026-12-03T09:30:00Z"}
    d.fix("measurement/2022/003-1", indicator="indicator/dibao-biaozhun", reviewer="Zhang Wei")
    g = _graph(ttl)
    act2 = f"{_report(WENZHOU)}/review/002"
    assert _values(g, f"{act2}/was/indicator", _iri("prov", "value")) == {
        f"{ID}indicator/drafted-indicator-dibao-biaozhun-cny-standard"
    }
    assert _values(g, f"{act2}/now/indicator", _iri("prov", "value")) == {f"{ID}indicator/dibao-biaozhun"}
    assert _values(g, f"{_report(WENZHOU)}/dataset", _iri("prov", "wasAttributedTo")) == {agent, reviewer_iri("Zhang Wei")}


def test_the_reviewer_defaults_to_the_git_user_then_the_login(monkeypatch, tmp_path):
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Chen Jing\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)
    assert default_reviewer() == "Chen Jing"
    monkeypatch.setenv("PATH", str(tmp_path))  # no git
    monkeypatch.setenv("LOGNAME", "reviewer1")
    assert default_reviewer() == "reviewer1"


def test_validation_refuses_a_reviewed_report_with_a_mark_left(pristine, tmp_path):
    """The mutation: a reviewed draft with one review mark put back on a figure, and on a drafted indicator only
    its figures name, each fails ReviewChecksShape on the catalogue entry."""
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    _review_everything(ttl)
    open_draft(ttl).done(reviewer="Li Ming")
    reviewed = ttl.read_text(encoding="utf-8")
    for node in (f"{_report(WENZHOU)}/measurement/2022/003-1", f"{ID}indicator/drafted-place-330300-person-stock"):
        ttl.write_text(reviewed + f"<{node}> <{NEEDS.value}> true .\n", encoding="utf-8")
        report = _validate(out)
        assert not report.conforms
        hits = [v for v in report.results if v.shape == "shape:ReviewChecksShape-noOpenItems"]
        assert [v.value for v in hits] == [f"<{node}>"], report.text()
        assert hits[0].focus == f"<{_report(WENZHOU)}/dataset>"
        assert hits[0].message_en and hits[0].message_zh


def test_a_node_that_needed_what_was_rejected_is_open_again(pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    m = f"{_report(WENZHOU)}/measurement/2022/007-1"
    d = open_draft(ttl)
    d.accept("measurement/2022/007-1", reviewer="Li Ming")
    assert _values(_graph(ttl), m, NEEDS) == set()
    d.reject("indicator/drafted-place-330300-person-stock", reviewer="Li Ming")
    g = _graph(ttl)
    assert _values(g, m, _iri("mzkg", "indicator")) == set()
    assert _values(g, m, NEEDS) == {"true"}
    assert _values(g, m, NOTE) == {
        "its mzkg:indicator indicator/drafted-place-330300-person-stock was rejected: set another with `mzkg review fix`"
    }
    assert "measurement/2022/007-1" in {i.id for i in open_draft(ttl).items()}


@pytest.mark.slow
def test_the_installed_entry_point_reviews(pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{WENZHOU}.ttl"
    exe = shutil.which("mzkg", path=str(Path(sys.executable).parent))
    assert exe, "the mzkg console script is not installed next to this Python"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, "review", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    res = run("done", str(ttl), "--reviewer", "Li Ming")
    assert res.returncode == 1 and res.stderr.startswith("mzkg: error: ") and res.stderr.count("\n") == 1
    res = run("accept", str(ttl), "agency/330300-dca", "--reviewer", "Li Ming")
    assert res.returncode == 0, res.stderr
    assert res.stdout == "accept agency/330300-dca\n"
    assert _values(_graph(ttl), f"{ID}agency/330300-dca", NEEDS) == set()


def test_fix_the_title_and_place_of_the_catalogue_entry(kg, pristine, tmp_path):
    out = _copy(pristine, tmp_path)
    ttl = out / f"{GD}.ttl"
    dataset = f"{_report(GD)}/dataset"
    d = open_draft(ttl, kg)
    assert dataset in {i.iri for i in d.items()}
    with pytest.raises(mzkg.UsageError, match="title is a field of the catalogue entry"):
        d.fix("programme/guangdong-yin-ling-hu-zhu-xing-dong", {"title": "x"})
    with pytest.raises(mzkg.NotFound, match="is not in the draft or the graph"):
        d.fix("dataset", {"place": "place/atlantis"})
    d.fix("dataset", {"title": "2024年廣東省民政工作會議報告", "place": "440000"}, reviewer="Li Ming")
    g = _graph(ttl)
    titles = {
        (t.object.value, t.object.language) for t in g if t.subject.value == dataset and t.predicate == _iri("dcterms", "title")
    }
    assert titles == {
        ("2024年廣東省民政工作會議報告", "zh-hant"),
        ("2024年广东省民政工作会议报告", "zh-hans"),
        ("(drafted) report gd-2024-invented", "en"),
    }
    assert _values(g, dataset, _iri("dcterms", "spatial")) == {f"{ID}place/guangdong"}
    assert _values(g, dataset, NEEDS) == set()
    report = _validate(out)
    assert report.conforms, report.text()


def test_a_missing_or_broken_draft_is_a_one_line_load_error(runner, tmp_path):
    res = runner.invoke(main, ["review", "list", str(tmp_path / "nope.ttl")])
    assert (
        res.exit_code == 2
        and res.stderr == f"mzkg: error: {tmp_path / 'nope.ttl'}: no such draft (give DIR/SLUG.ttl as `mzkg draft` wrote it)\n"
    )
    bad = tmp_path / "bad.ttl"
    bad.write_text("garbage <<\n", encoding="utf-8")
    res = runner.invoke(main, ["review", "done", str(bad)])
    assert (
        res.exit_code == 2 and res.stderr.startswith(f"mzkg: error: {bad}: not Turtle mzkg can read") and "line 1" in res.stderr
    )
