"""Validation that reads the source: every single, well-formed change that makes the data disagree with its text is
rejected, naming the changed node; the packaged data passes; the rules give the same verdicts in pySH."""

from __future__ import annotations

from collections.abc import Callable

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from mzkg.core import resources
from mzkg.core.graph import KnowledgeGraph, load
from mzkg.core.namespaces import ID, MZKG, OA, SH
from mzkg.features.validation import load_shapes, validate
from mzkg.interfaces.cli import main
from support.paths import DATA

NIF_STRING = URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString")
SOURCE = ID["report/guangdong-minzheng-2022/text"]


@pytest.fixture(scope="module")
def union(kg) -> Graph:
    return kg.union()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _selector(g: Graph, span: URIRef, kind: URIRef) -> URIRef:
    return next(s for s in g.objects(span, OA.hasSelector) if (s, RDF.type, kind) in g)


def _span_of(g: Graph, node: URIRef) -> URIRef:
    return next(iter(sorted(g.objects(node, PROV.wasDerivedFrom))))


def _set(g: Graph, s: URIRef, p: URIRef, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


# Each mutation changes one thing and returns the node it changed; every one keeps the graph well-formed.
def period_2022(g: Graph) -> URIRef:
    """a 2021 achievement (and its figure) moved to period 2022"""
    s = ID["report/guangdong-minzheng-2022/statement/2021/assistance-funds"]
    _set(g, s, MZKG.period, ID["period/2022"])
    _set(g, ID["report/guangdong-minzheng-2022/measurement/2021/assistance-funds"], MZKG.period, ID["period/2022"])
    return s


def hedge_dropped(g: Graph) -> URIRef:
    """the hedge of 3億多元 dropped"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/cremator-investment"]
    g.remove((m, MZKG.hedge, None))
    return m


def more_than_to_nearly(g: Graph) -> URIRef:
    """ "more than" turned into "nearly\""""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/cremator-investment"]
    _set(g, m, MZKG.hedge, ID["hedge/nearly"])
    return m


def person_time_to_person(g: Graph) -> URIRef:
    """人次 turned into 人"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/vagrants-assisted"]
    _set(g, m, MZKG.unit, ID["unit/person"])
    return m


def yi_to_wan(g: Graph) -> URIRef:
    """億 turned into 萬, with the base value changed to match"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/assistance-funds"]
    _set(g, m, MZKG.scale, ID["scale/wan"])
    _set(g, m, MZKG.value, Literal("1302000", datatype=XSD.decimal))
    return m


def figure_changed(g: Graph) -> URIRef:
    """130.2 changed to 131.2 in both its written and its base value"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/assistance-funds"]
    _set(g, m, MZKG.writtenValue, Literal("131.2", datatype=XSD.decimal))
    _set(g, m, MZKG.value, Literal("13120000000", datatype=XSD.decimal))
    return m


def achievement_to_task(g: Graph) -> URIRef:
    """a 2021 achievement retyped as a task"""
    s = ID["report/guangdong-minzheng-2022/statement/2021/orphan-support"]
    g.remove((s, RDF.type, MZKG.Achievement))
    g.add((s, RDF.type, MZKG.Task))
    return s


def task_to_2021(g: Graph) -> URIRef:
    """a 2022 task moved to period 2021"""
    s = ID["report/guangdong-minzheng-2022/statement/2022/eco-burial"]
    _set(g, s, MZKG.period, ID["period/2021"])
    return s


def tiers_swapped(g: Graph) -> URIRef:
    """the order of 街道 and 社區 swapped in the 街道-社區-小區-家庭 network"""
    net = ID["network/chengshi-yanglao"]
    first, second = URIRef(f"{net}/tier/1"), URIRef(f"{net}/tier/2")
    for pos in (first, second):
        g.remove((pos, MZKG.rank, None))
    g.add((first, MZKG.rank, Literal("2", datatype=XSD.positiveInteger)))
    g.add((second, MZKG.rank, Literal("1", datatype=XSD.positiveInteger)))
    g.remove((first, MZKG.nextPosition, second))
    g.add((second, MZKG.nextPosition, first))
    g.remove((second, MZKG.nextPosition, URIRef(f"{net}/tier/3")))
    g.add((first, MZKG.nextPosition, URIRef(f"{net}/tier/3")))
    return net


def tier_concepts_swapped(g: Graph) -> URIRef:
    """the tier concepts at ranks 1 and 2 of 街道-社區-小區-家庭 swapped, their written tiers kept"""
    net = ID["network/chengshi-yanglao"]
    first, second = URIRef(f"{net}/tier/1"), URIRef(f"{net}/tier/2")
    _set(g, first, MZKG.tier, ID["tier/shequ"])
    _set(g, second, MZKG.tier, ID["tier/jiedao"])
    return first


def completion_not_in_quote(g: Graph) -> URIRef:
    """基本建成“市縣鎮村”四級未成年人保護體系 marked fully implemented (全面實施), a degree its words do not say"""
    s = ID["report/guangdong-minzheng-2022/statement/2021/minor-protection-system"]
    _set(g, s, MZKG.completionDegree, ID["completion/fully-implemented"])
    return s


def strength_not_in_quote(g: Graph) -> URIRef:
    """將實現全省村(居)社會工作服務點100%覆蓋 marked ensure (確保), a cue its words do not hold"""
    s = ID["report/guangdong-minzheng-2022/statement/2022/service-point-coverage-headline"]
    _set(g, s, MZKG.taskStrength, ID["strength/ensure"])
    return s


def name_not_in_text(g: Graph) -> URIRef:
    """a programme's Chinese name replaced by a name the text does not contain"""
    p = ID["programme/qianshou"]
    g.remove((p, RDFS.label, Literal("牽手行動", lang="zh-Hant")))
    g.add((p, RDFS.label, Literal("牽手工程", lang="zh-Hant")))
    return p


def figure_cites_wrong_span(g: Graph) -> URIRef:
    """a figure made to cite a span that does not hold it"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/lottery-sales"]
    _set(g, m, PROV.wasDerivedFrom, _span_of(g, ID["report/guangdong-minzheng-2022/statement/2021/public-welfare-funds"]))
    return m


def quote_edited(g: Graph) -> URIRef:
    """a span's quote edited away from the text"""
    span = _span_of(g, ID["report/guangdong-minzheng-2022/statement/2021/orphan-support"])
    _set(g, _selector(g, span, OA.TextQuoteSelector), OA.exact, Literal("加強孤兒保護"))
    return span


def offsets_shifted(g: Graph) -> URIRef:
    """a span's offsets shifted by one character"""
    span = _span_of(g, ID["report/guangdong-minzheng-2022/statement/2021/orphan-support"])
    pos = _selector(g, span, OA.TextPositionSelector)
    for p in (OA.start, OA.end):
        value = int(str(g.value(pos, p)))
        _set(g, pos, p, Literal(str(value + 1), datatype=XSD.nonNegativeInteger))
    return span


def written_form_changed(g: Graph) -> URIRef:
    """a figure's written form changed to words its quote does not hold"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/charitable-organisations"]
    _set(g, m, MZKG.asWritten, Literal("1746個", lang="zh-Hant"))
    return m


def base_value_changed(g: Graph) -> URIRef:
    """a base value that is not the written value times the scale"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/charitable-trust-funds"]
    _set(g, m, MZKG.value, Literal("78000000", datatype=XSD.decimal))
    return m


def target_flag_flipped(g: Graph) -> URIRef:
    """a 2022 target marked as a result"""
    m = ID["report/guangdong-minzheng-2022/measurement/2022/service-point-coverage"]
    _set(g, m, MZKG.isTarget, Literal(False))
    return m


def cites_the_byline(g: Graph) -> URIRef:
    """a statement made to cite the byline, which lies in no section"""
    s = ID["report/guangdong-minzheng-2022/statement/2021/neighbourhood-watch"]
    _set(g, s, PROV.wasDerivedFrom, _span_of(g, ID["report/guangdong-minzheng-2022/article"]))
    return s


def alt_label_not_in_text(g: Graph) -> URIRef:
    """a normalised name whose text words are not the text's"""
    a = ID["agency/gd-dca"]
    g.remove((a, SKOS.altLabel, Literal("省民政廳", lang="zh-Hant")))
    g.add((a, SKOS.altLabel, Literal("民政廳本部", lang="zh-Hant")))
    return a


def tier_written_elsewhere(g: Graph) -> URIRef:
    """a tier written in a way its network's quote does not hold"""
    net = ID["network/nongcun-yanglao"]
    _set(g, URIRef(f"{net}/tier/2"), MZKG.tierAsWritten, Literal("鄉", lang="zh-Hant"))
    return net


def text_changed(g: Graph) -> URIRef:
    """the text in the graph changed by one character"""
    text = str(g.value(SOURCE, NIF_STRING))
    _set(g, SOURCE, NIF_STRING, Literal(text.replace("130.2億元", "130.3億元")))
    return SOURCE


def own_year_not_in_quote(g: Graph) -> URIRef:
    """a statement claiming a year of its own that its quote does not say"""
    s = ID["report/guangdong-minzheng-2022/statement/2021/orphan-support"]
    g.add((s, MZKG.periodAsWritten, Literal("2020年", lang="zh-Hant")))
    _set(g, s, MZKG.period, ID["period/2022"])
    return s


def implied_unit_unmarked(g: Graph) -> URIRef:
    """a figure written without a unit (404萬) no longer marked as having an implied unit"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/low-income-monitored"]
    g.remove((m, MZKG.unitImplied, None))
    return m


def scale_dropped(g: Graph) -> URIRef:
    """the scale of 3億多元 dropped, the base value changed to match"""
    m = ID["report/guangdong-minzheng-2022/measurement/2021/cremator-investment"]
    g.remove((m, MZKG.scale, None))
    _set(g, m, MZKG.value, Literal("3", datatype=XSD.decimal))
    return m


def section_removed(g: Graph) -> URIRef:
    """the review section removed: its achievements lie in no section"""
    g.remove((ID["report/guangdong-minzheng-2022/section/review"], None, None))
    return ID["report/guangdong-minzheng-2022/statement/2021/orphan-support"]


def no_sections(g: Graph) -> URIRef:
    """every section removed: the text's structure is gone, so nothing can be checked against it"""
    for section in list(g.subjects(RDF.type, MZKG.ReportSection)):
        g.remove((section, None, None))
    return SOURCE


MUTATIONS: list[Callable[[Graph], URIRef]] = [
    period_2022, hedge_dropped, more_than_to_nearly, person_time_to_person, yi_to_wan, figure_changed,
    achievement_to_task, task_to_2021, tiers_swapped, tier_concepts_swapped, name_not_in_text,
    figure_cites_wrong_span, quote_edited, offsets_shifted, written_form_changed, base_value_changed,
    target_flag_flipped, cites_the_byline, alt_label_not_in_text, tier_written_elsewhere, text_changed,
    own_year_not_in_quote, implied_unit_unmarked, scale_dropped, section_removed, no_sections,
    completion_not_in_quote, strength_not_in_quote,
]  # fmt: skip


def test_the_packaged_data_agrees_with_its_text(packaged_report):
    assert packaged_report.conforms and packaged_report.results == [], packaged_report.text()


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda f: f.__name__)
def test_a_mutation_is_rejected_naming_its_node(union, shapes, mutate):
    g = Graph() + union
    node = mutate(g)
    # Only the changed node's results are asked for: a violation found on it is one of the whole graph's, so the
    # graph does not conform; the shapes are not run over the thousands of nodes the change left alone.
    report = validate(KnowledgeGraph.from_graph(g), shapes, focus_nodes=[node])
    assert not report.conforms, f"{mutate.__doc__}: not caught"
    named = [v for v in report.results if str(node) in (v.node, v.node.strip("<>")) or str(node) in v.message_en]
    assert named, report.text()
    assert all(v.message_en and v.message_zh for v in named)


def test_at_least_twenty_mutations_of_every_kind_the_issue_lists():
    assert len(MUTATIONS) >= 20


def test_the_cli_exits_1_and_names_node_span_and_quote(tmp_path, runner, union):
    g = Graph() + union
    figure_cites_wrong_span(g)
    bad = tmp_path / "mutated.ttl"
    bad.write_text(g.serialize(format="turtle"), encoding="utf-8")
    res = runner.invoke(main, ["--data", str(bad), "validate"])
    assert res.exit_code == 1
    line = next(line for line in res.output.splitlines() if "lottery-sales" in line and "figureInQuote" in line)
    assert "161.83億元" in line and "/span/" in line and "籌集公益金50.24億元" in line
    assert "不見" in line or "沒有" in line  # the Chinese half of the message


@pytest.mark.slow
@pytest.mark.parametrize(
    "mutate", [None, figure_cites_wrong_span, tiers_swapped, cites_the_byline], ids=lambda f: f.__name__ if f else "unmutated"
)
def test_pyshacl_gives_the_same_verdicts_as_mzkg(union, shapes, mutate):
    """The source checks are standard SHACL-SPARQL: pySHACL, run on the same graph and shapes, finds the same."""
    g = Graph() + union
    if mutate is not None:
        mutate(g)
    ours = validate(KnowledgeGraph.from_graph(g), shapes)
    conforms, results, _text = pyshacl.validate(g, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert conforms == ours.conforms
    theirs = {
        (str(results.value(r, SH.sourceConstraint) or results.value(r, SH.sourceShape)), str(results.value(r, SH.value)))
        for r in results.subjects(RDF.type, SH.ValidationResult)
        if str(results.value(r, SH.sourceShape)).endswith("SourceChecksShape")
    }
    mine = {(v.shape, v.value) for v in ours.results if v.runs_in == "SHACL-SPARQL" and "SourceChecksShape" in v.shape}
    assert {(s.rsplit("#", 1)[1], v.strip("<>")) for s, v in theirs} == {(s.split(":", 1)[1], v.strip("<>")) for s, v in mine}


def test_an_invented_report_with_planted_mistakes():
    """tests/data/invented/broken-2023.* is invented (marked so): the validator reports exactly the planted mistakes."""
    kg = load([resources.data_dir(), DATA / "invented" / "broken-2023.ttl"])
    report = validate(kg)
    assert not report.conforms
    found = {
        (v.node.strip("<>").rsplit("/", 1)[-1], v.shape.split(":", 1)[1].removeprefix("SourceChecksShape-"))
        for v in report.results
    }
    planted = {
        ("funds", "figure-written-form"),
        ("centre-pilot", "sectionAndPeriod"),
        ("stations", "names"),
        ("61-66", "selectors"),
        ("workers", "figureInQuote"),
    }
    assert found == planted, report.text()
