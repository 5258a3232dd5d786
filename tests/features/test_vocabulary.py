"""The field's backbone: the national civil-affairs vocabulary (data/vocabulary.ttl) and its indicators
(data/indicators.ttl), as the packaged graph holds them."""

from __future__ import annotations

import pytest

from mzkg.core.service import select
from mzkg.core.sparql.catalogue import NamedQuery
from mzkg.features.lookup import find_one
from mzkg.interfaces.cli import main

ID = "https://w3id.org/mzkg/id/"


def _rows(kg, text):
    return select(NamedQuery.parse("t", text, trusted=True), kg=kg).records()


def test_the_scheme_has_the_fields_chapters_on_top_and_150_concepts(kg):
    tops = _rows(kg, f"SELECT ?c WHERE {{ <{ID}scheme/minzheng> skos:hasTopConcept ?c . ?c a mzkg:PolicyArea }}")
    assert len(tops) >= 11
    [count] = _rows(kg, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c skos:inScheme <{ID}scheme/minzheng> }}")
    assert int(count["n"]) >= 150


def test_every_concept_has_three_labels_a_definition_and_its_place(kg):
    rows = _rows(
        kg,
        f"""SELECT ?c (COUNT(DISTINCT ?l) AS ?labels) (COUNT(DISTINCT ?d) AS ?defs) (COUNT(DISTINCT ?up) AS ?ups) WHERE {{
  ?c a mzkg:FieldConcept ; skos:inScheme <{ID}scheme/minzheng> .
  OPTIONAL {{ ?c skos:prefLabel ?l }} OPTIONAL {{ ?c skos:definition ?d }}
  OPTIONAL {{ {{ ?c skos:broader ?up }} UNION {{ ?c skos:topConceptOf ?up }} }}
}} GROUP BY ?c""",
    )
    assert len(rows) >= 150
    bad = [r["c"] for r in rows if int(r["labels"]) < 3 or int(r["defs"]) < 3 or int(r["ups"]) < 1]
    assert bad == []


def test_broader_and_narrower_are_both_asserted(kg):
    one_way = _rows(
        kg,
        f"""SELECT ?c ?b WHERE {{ ?c skos:inScheme <{ID}scheme/minzheng> ; skos:broader ?b .
  ?b skos:inScheme <{ID}scheme/minzheng> FILTER NOT EXISTS {{ ?b skos:narrower ?c }} }}""",
    )
    assert one_way == []


def test_sixty_indicators_each_with_unit_kind_and_what_it_counts(kg):
    rows = _rows(
        kg,
        """SELECT ?i ?unit ?kind ?about WHERE { ?i a mzkg:Indicator ; skos:inScheme <https://w3id.org/mzkg/id/scheme/indicator> .
  OPTIONAL { ?i mzkg:indicatorUnit ?unit } OPTIONAL { ?i mzkg:indicatorKind ?kind } OPTIONAL { ?i mzkg:aboutConcept ?about } }""",
    )
    indicators = {r["i"] for r in rows}
    assert len(indicators) >= 60
    assert all(r["unit"] and r["kind"] and r["about"] for r in rows)
    kinds = {r["kind"].rsplit("/", 1)[1] for r in rows}
    assert kinds >= {"stock", "flow", "rate", "standard", "change"}


def test_every_packaged_measurement_has_an_indicator_in_its_unit(kg):
    rows = _rows(
        kg,
        """SELECT ?m ?i ?mu ?iu WHERE { ?m a mzkg:Measurement ; mzkg:unit ?mu .
  OPTIONAL { ?m mzkg:indicator ?i . ?i mzkg:indicatorUnit ?iu } }""",
    )
    assert rows and all(r["i"] is not None for r in rows), [r["m"] for r in rows if r["i"] is None]
    assert [r["m"] for r in rows if r["iu"] != r["mu"]] == []


def test_every_concept_the_packaged_report_names_links_into_the_scheme(kg):
    loose = _rows(
        kg,
        f"""SELECT DISTINCT ?e WHERE {{ ?s mzkg:reportedIn ?r ; mzkg:involves ?e . ?e a ?cls
  FILTER (?cls IN (mzkg:TargetGroup, mzkg:InstitutionType, mzkg:ActorGroup, mzkg:PolicyArea))
  FILTER NOT EXISTS {{ ?e mzkg:jurisdiction ?place }}  # one place's own (its finance departments) is no national concept
  FILTER NOT EXISTS {{ ?e skos:broader*/skos:inScheme <{ID}scheme/minzheng> }} }}""",
    )
    assert [r["e"] for r in loose] == []


@pytest.mark.parametrize(
    "words", ["低保", "特困人員", "臨時救助", "養老床位", "老人", "社工", "福彩", "兩項補貼", "低保边缘家庭"]
)
def test_describe_finds_the_fields_everyday_words(kg, runner, words):
    best, _others = find_one(kg, words)
    assert best.iri.startswith(ID)
    res = runner.invoke(main, ["describe", words])
    assert res.exit_code == 0 and "Traceback" not in res.output


def test_no_triple_is_said_in_two_packaged_files():
    """Oxigraph's union of named graphs answers a triple once per file that says it, rdflib once: say it once."""
    from collections import defaultdict

    import pyoxigraph as ox

    from mzkg.core import resources

    files = defaultdict(set)
    for path in resources.turtle_files(resources.data_dir()):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            files[(t.subject, t.predicate, t.object)].add(path.name)
    assert [k for k, v in files.items() if len(v) > 1] == []
