"""The ontology terms every helper codes against (the field's backbone: indicators, qualifiers, jurisdiction,
programme subtypes) are declared with three labels and definitions, domains and ranges, and their schemes hold
the concepts the drafter and the validator name."""

from __future__ import annotations

import opencc
import pytest

from mzkg.core.service import select

ID = "https://w3id.org/mzkg/id/"
T2S = opencc.OpenCC("t2s").convert

CLASSES = [
    "FieldConcept", "Indicator", "IndicatorKind", "Settlement", "ChangeDirection", "CompletionDegree", "TaskStrength",
    "Campaign", "Reform", "Platform", "Project", "Pilot", "Cooperation", "WorkModel", "LineOfWork",
]  # fmt: skip
PROPERTIES = {
    "indicator": ("Measurement", "Indicator"),
    "indicatorUnit": ("Indicator", "Unit"),
    "indicatorKind": ("Indicator", "IndicatorKind"),
    "perTime": ("Indicator", "Unit"),
    "settlement": ("Indicator", "Settlement"),
    "changeDirection": ("Measurement", "ChangeDirection"),
    "basePeriod": ("Measurement", "Period"),
    "changeOf": ("Measurement", "Measurement"),
    "completionDegree": ("Statement", "CompletionDegree"),
    "taskStrength": ("Task", "TaskStrength"),
    "deadline": ("Statement", "Period"),
    "jurisdiction": (None, "Place"),
    "raises": ("Programme", "Measurement"),
    "governs": ("PolicyDocument", None),
}
SCHEMES = {
    "indicator-kind": {"stock", "flow", "rate", "standard", "change"},
    "settlement": {"urban", "rural"},
    "change-direction": {"increase", "decrease"},
    "completion-degree": {"basically-built", "initially-formed", "fully-implemented", "completed-early", "completed"},
    "task-strength": {"must", "will", "strive", "ensure"},
    "figure-kind": {"stock", "flow", "rate", "duration", "change", "standard"},
}


def _langs(kg, iri: str, prop: str) -> dict[str, str]:
    rows = select(f"SELECT ?l (LANG(?l) AS ?lang) WHERE {{ <{iri}> {prop} ?l }}", kg=kg).records()
    return {r["lang"].lower(): r["l"] for r in rows}


@pytest.mark.parametrize("term", CLASSES + list(PROPERTIES) + ["cue", "startYear", "endYear", "funderStated"])
def test_term_is_declared_in_three_languages(kg, term):
    iri = f"https://w3id.org/mzkg/ontology#{term}"
    for prop in ("rdfs:label", "skos:definition"):
        got = _langs(kg, iri, prop)
        assert set(got) == {"zh-hant", "zh-hans", "en"}, (term, prop, got)
        assert got["zh-hans"] == T2S(got["zh-hant"]), (term, prop)
    assert select(f"ASK {{ <{iri}> rdfs:isDefinedBy <https://w3id.org/mzkg/ontology> }}", kg=kg).boolean


@pytest.mark.parametrize("term", CLASSES[7:])
def test_programme_subtypes_are_programmes(kg, term):
    assert select(f"ASK {{ mzkg:{term} rdfs:subClassOf mzkg:Programme }}", kg=kg).boolean


@pytest.mark.parametrize(("term", "ends"), PROPERTIES.items())
def test_property_domain_and_range(kg, term, ends):
    domain, range_ = ends
    if domain:
        assert select(f"ASK {{ mzkg:{term} rdfs:domain mzkg:{domain} }}", kg=kg).boolean, term
    if range_:
        assert select(f"ASK {{ mzkg:{term} rdfs:range mzkg:{range_} }}", kg=kg).boolean, term


def test_read_both_ways_relations_are_inverses(kg):
    assert select("ASK { mzkg:raises owl:inverseOf mzkg:raisedBy . mzkg:governs owl:inverseOf mzkg:governedBy }", kg=kg).boolean


def test_cue_is_a_hidden_label(kg):
    assert select("ASK { mzkg:cue rdfs:subPropertyOf skos:hiddenLabel }", kg=kg).boolean


@pytest.mark.parametrize(("scheme", "members"), SCHEMES.items())
def test_scheme_holds_its_concepts(kg, scheme, members):
    rows = select(
        f"SELECT ?c WHERE {{ <{ID}scheme/{scheme}> skos:hasTopConcept ?c . ?c skos:inScheme <{ID}scheme/{scheme}> }}", kg=kg
    )
    got = {r["c"].rsplit("/", 1)[1] for r in rows.records()}
    assert got == members
    for c in {r["c"] for r in rows.records()}:
        labels = _langs(kg, c, "skos:prefLabel")
        assert set(labels) == {"zh-hant", "zh-hans", "en"} and labels["zh-hans"] == T2S(labels["zh-hant"]), c
        assert set(_langs(kg, c, "skos:definition")) == {"zh-hant", "zh-hans", "en"}, c


def test_figure_kind_definition_names_every_kind(kg):
    text = _langs(kg, "https://w3id.org/mzkg/ontology#figureKind", "skos:definition")["en"]
    for kind in ("stock", "flow", "rate", "duration", "standard", "change"):
        assert kind in text, kind


def test_strength_and_completion_concepts_carry_their_cue_words(kg):
    rows = select("""SELECT ?c ?w WHERE { ?c mzkg:cue ?w FILTER (langMatches(lang(?w), "zh-Hant")) }""", kg=kg).records()
    cues = {(r["c"].removeprefix(ID), r["w"]) for r in rows}
    for c, w in [("strength/must", "要"), ("strength/will", "將"), ("strength/strive", "力爭"), ("strength/ensure", "確保"),
                 ("completion/basically-built", "基本建成"), ("completion/initially-formed", "初步形成"),
                 ("completion/fully-implemented", "全面實施"), ("completion/completed-early", "提前完成")]:  # fmt: skip
        assert (c, w) in cues


def test_a_service_of_the_national_vocabulary_needs_no_span_and_sits_under_its_chapter(kg):
    from rdflib import Graph

    from mzkg.features.validation import validate

    g = Graph().parse(
        data="""@prefix mzkg: <https://w3id.org/mzkg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/mzkg/id/fixture/s> a mzkg:PublicService, mzkg:FieldConcept, skos:Concept ;
          rdfs:label "測試"@zh-Hant, "测试"@zh-Hans, "test"@en ; skos:prefLabel "測試"@zh-Hant, "测试"@zh-Hans, "test"@en ;
          skos:definition "測試。"@zh-Hant, "测试。"@zh-Hans, "A test."@en ;
          skos:inScheme <https://w3id.org/mzkg/id/scheme/minzheng> ;
          mzkg:policyArea <https://w3id.org/mzkg/id/area/shehui-jiuzhu> .
        <https://w3id.org/mzkg/id/fixture/g> a mzkg:TargetGroup ; skos:prefLabel "測試"@zh-Hant, "测试"@zh-Hans, "test"@en ;
          skos:inScheme <https://w3id.org/mzkg/id/scheme/target-group> ;
          skos:broader <https://w3id.org/mzkg/id/area/shehui-jiuzhu> .""",
        format="turtle",
    )
    focus = [ID + "fixture/s", ID + "fixture/g"]
    from rdflib import URIRef

    report = validate(kg, extra=g, focus_nodes=[URIRef(f) for f in focus])
    assert report.results == [], report.text()
