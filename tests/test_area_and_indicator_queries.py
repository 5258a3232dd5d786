"""tasks-by-area finds a policy area by any of its labels; indicator-series joins figures on the indicator they
point to (mzkg:indicator), never on the words of their labels; the short forms the field writes find their
concepts."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from mzkg.core.graph import KnowledgeGraph
from mzkg.core.namespaces import ID, MZKG
from mzkg.core.service import select
from mzkg.features.lookup import find_one

M22 = "report/guangdong-minzheng-2022/measurement/"


def _tasks(kg, area: str) -> set[str]:
    return {r["quote"] for r in select("tasks-by-area", {"area": area}, kg=kg).records()}


def test_tasks_by_area_answers_to_any_label_of_the_area(kg):
    zh_hant, zh_hans, en = (
        _tasks(kg, "兒童福利和未成年人保護"),
        _tasks(kg, "儿童福利和未成年人保护"),
        _tasks(kg, "child welfare and minor protection"),
    )
    assert zh_hant == zh_hans == en and len(zh_hant) == 10
    assert "推進鄉鎮(街道)未成年人保護工作站建設" in zh_hant


def test_tasks_by_area_gives_year_and_quote_of_every_task_of_the_area(kg):
    rows = select("tasks-by-area", kg=kg).records()  # default: 社會救助
    every = select(
        """SELECT DISTINCT ?t WHERE { ?t a mzkg:Task ; mzkg:policyArea <https://w3id.org/mzkg/id/area/shehui-jiuzhu> }""", kg=kg
    )
    assert {r["task"] for r in rows} == {r["t"] for r in every.records()}
    assert all(r["year"] == 2022 or str(r["year"]) == "2022" for r in rows) and all(r["quote"] for r in rows)
    assert not select("tasks-by-area", {"area": "no such area"}, kg=kg).records()


def _with_indicator(kg) -> KnowledgeGraph:
    """The packaged graph with one indicator, pointed to by the coverage figure of social-work stations only."""
    g = Graph() + kg.union()
    ind = URIRef(ID + "indicator/test-coverage")
    g.add((ind, RDF.type, MZKG.Indicator))
    for text, lang in (("測試覆蓋率", "zh-Hant"), ("测试覆盖率", "zh-Hans"), ("test coverage", "en")):
        g.add((ind, SKOS.prefLabel, Literal(text, lang=lang)))
        g.add((ind, RDFS.label, Literal(text, lang=lang)))
    g.add((URIRef(ID + M22 + "2021/social-work-station-coverage"), MZKG.indicator, ind))
    return KnowledgeGraph.from_graph(g)


def test_indicator_series_joins_on_the_indicator_not_on_words(kg):
    coverage = URIRef(ID + M22 + "2021/social-work-station-coverage")
    assert (coverage, RDF.type, MZKG.Measurement) in kg.union()
    with_ind = _with_indicator(kg)
    for label in ("測試覆蓋率", "测试覆盖率", "test coverage"):
        rows = select("indicator-series", {"label": label}, kg=with_ind).records()
        assert [r["written"] for r in rows] == ["100%"], label
        assert rows[0]["indicator"] == ID + "indicator/test-coverage"
    # the words of what an indicator counts select its indicators, and the figures come by the indicator node
    about = select("indicator-series", {"label": "社工站"}, kg=kg).records()
    assert about and {r["indicator"] for r in about} <= {
        str(r["i"])
        for r in select(
            "SELECT ?i WHERE { ?i mzkg:aboutConcept <https://w3id.org/mzkg/id/institution/shegongzhan> }", kg=kg
        ).records()
    }
    assert not select("indicator-series", {"label": "覆蓋"}, kg=kg).records()  # never by part of a word


def test_the_query_text_never_matches_label_words_of_figures_or_things():
    from mzkg.core.sparql.catalogue import named_queries

    text = " ".join(named_queries()["indicator-series"].text.split())
    assert "mzkg:indicator ?indicator" in text
    assert "mzkg:measures" not in text


def test_the_field_short_forms_find_their_concepts(kg):
    for word, iri in (
        ("老人", "group/laonianren"),
        ("養老院", "institution/yanglao-jigou"),
        ("养老院", "institution/yanglao-jigou"),
    ):
        best, _ = find_one(kg, word)
        assert best.iri == ID + iri, word
