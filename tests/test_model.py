"""The model of programmes and institutions: the questions a researcher asks are answered by direct relations, and
the errors found when the data was checked against its text stay fixed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mzkg.core.errors import NotFound
from mzkg.core.service import select
from mzkg.features.lookup import find_one

ID = "https://w3id.org/mzkg/id/"


def _ask(kg, text: str) -> bool:
    result = select(text, kg=kg)
    assert result.boolean is not None
    return result.boolean


# --- the five questions


def test_every_2022_task_and_policy_document_has_a_responsible_actor(kg):
    rows = select("responsibility", kg=kg).records()
    tasks = {r["what"] for r in rows if r["kind"] == "task"}
    assert len(tasks) == len(select("SELECT DISTINCT ?t WHERE { ?t a mzkg:Task }", kg=kg))
    documents = [r for r in rows if r["kind"] == "policy document"]
    assert len(documents) == 4 and all(r["actor"] for r in documents)
    named = select("""SELECT ?s ?a WHERE { ?s mzkg:responsibilityStated true ; mzkg:responsibleActor ?a }""", kg=kg).records()
    assert {(r["s"].rsplit("/", 1)[1], r["a"].rsplit("/", 1)[1]) for r in named} == {
        ("assistance-funds", "gd-finance"),
        ("shuangbai-social-workers", "shuangbai-shegong"),
        ("poverty-relief-day", "shehui-zuzhi"),
    }


def test_continued_and_new_tasks_are_told_apart(kg):
    rows = select("continued-tasks", kg=kg).records()
    assert {r["status"] for r in rows} == {"continues", "new"}
    continued = {r["task"] for r in rows if r["status"] == "continues"}
    assert "繼續開展殯儀館火化機尾氣排放治理" in continued and "繼續做好婚姻登記“跨省通辦”試點工作" in continued
    assert "開展救助管理區域中心站試點工作" in {r["task"] for r in rows if r["status"] == "new"}
    # every task whose own words say it continues (繼續, 持續, 不斷深化, 鞏固) carries a continues link or says why not
    explicit = select(
        """SELECT ?q WHERE { ?t a mzkg:Task ; prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q ;
        mzkg:actionType <https://w3id.org/mzkg/id/action/continue> FILTER NOT EXISTS { ?t mzkg:continues ?a } }""",
        kg=kg,
    )
    assert {r["q"] for r in explicit.records()} == {"持續深化“五社聯動”模式"}  # 2021's report has no 五社聯動 achievement


def test_the_campaign_has_its_items(kg):
    items = select("campaign-items", kg=kg).records()
    assert len({r["item"] for r in items}) == 8  # the 8 statements of the 為民實事 sentence, naming 12 of the 13 items
    assert "入戶核查81.8萬戶困難家庭并解決2.7萬個問題" in {r["item"] for r in items}


def test_everything_for_children_reaches_every_child_welfare_task(kg):
    rows = select("for-group", {"group": "兒童"}, kg=kg).records()
    tasks = {r["quote"] for r in rows if r["kind"] == "task"}
    area_tasks = {
        r["q"]
        for r in select(
            """SELECT ?q WHERE { ?t a mzkg:Task ; mzkg:policyArea <https://w3id.org/mzkg/id/area/ertong> ;
        prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q }""",
            kg=kg,
        ).records()
    }
    assert len(area_tasks) == 10
    assert area_tasks <= tasks


def test_money_is_grouped_by_kind_and_never_added_across_kinds(kg):
    by_kind = select("money-by-kind", kg=kg).records()
    totals = {(r["kind"], r["funder"]): r["total_yuan"] for r in by_kind}
    for (kind, funder), total in totals.items():
        assert total == sum(r["yuan"] for r in by_kind if (r["kind"], r["funder"]) == (kind, funder))
    assert totals[("fiscal input", "finance departments at every level in the province")] == Decimal("13980000000")
    by_area = select("money-by-area", kg=kg).records()
    charity = {r["kind"]: r["total_yuan"] for r in by_area if r["area"] == "charity and volunteering"}
    assert charity == {
        "sales": Decimal("16183000000"),
        "funds raised": Decimal("5024000000"),
        "trust assets": Decimal("780000000"),
        "donations": Decimal("150000000"),
    }
    assert "Party leadership and Party building" not in {r["area"] for r in by_area}
    assert not _ask(kg, """ASK { ?m mzkg:unit <https://w3id.org/mzkg/id/unit/cny> FILTER NOT EXISTS { ?m mzkg:moneyKind ?k } }""")


# --- direct relations


@pytest.mark.parametrize(
    ("s", "p", "o"),
    [
        ("programme/shuangbai", "buildsInstitution", "institution/shegongzhan"),
        ("programme/shuangbai", "buildsInstitution", "institution/shegong-fuwudian"),
        ("programme/shuangbai", "deploysWorkforce", "actor/shuangbai-shegong"),
        ("programme/shuangbai", "deliversService", "service/shehui-gongzuo-fuwu"),
        ("programme/shuangbai", "targetGroup", "group/kunnan-qunzhong"),
        ("programme/shuangbai", "funding", "report/guangdong-minzheng-2022/measurement/2021/shuangbai-funding"),
        ("service/hunyin-dengji", "availableThrough", "programme/kuasheng-tongban"),
        ("institution/weichengnian-gongzuozhan", "targetGroup", "group/ertong"),
        ("coordination/minor-protection-shi", "coordinates", "mechanism/weichengnian-baohu"),
        ("network/weichengnian-baohu/tier/3", "institution", "institution/weichengnian-gongzuozhan"),
        ("network/shegong-fuwu/tier/2", "institution", "institution/shegong-fuwudian"),
    ],
)
def test_direct_relation(kg, s, p, o):
    assert _ask(kg, f"ASK {{ <{ID}{s}> mzkg:{p} <{ID}{o}> }}")


def test_inverse_relations_are_asserted_both_ways(kg):
    pairs = select(
        """SELECT ?p ?inv WHERE { ?p owl:inverseOf ?inv . FILTER (STRSTARTS(STR(?p), STR(mzkg:))) }""", kg=kg
    ).records()
    assert len(pairs) >= 8
    for pair in pairs:
        missing = select(f"""SELECT ?s ?o WHERE {{ ?s <{pair["p"]}> ?o FILTER NOT EXISTS {{ ?o <{pair["inv"]}> ?s }} }}""", kg=kg)
        assert len(missing) == 0, (pair, missing.records()[:3])


# --- the errors found when checking the data against the text


def test_one_pass_is_not_for_the_elderly_allowance_group(kg):
    assert not _ask(kg, f"ASK {{ <{ID}service/yizheng-tongxing> mzkg:targetGroup ?g }}")
    assert _ask(kg, f"ASK {{ <{ID}service/gaoling-jintie> mzkg:targetGroup <{ID}group/gaoling> }}")


def test_a_tier_is_never_a_participant(kg):
    assert not _ask(kg, "ASK { ?p mzkg:hasParticipant ?x . ?x a mzkg:Tier }")
    participants = select("wushe-participants", kg=kg).records()
    assert len(participants) == 5


def test_every_unit_cites_its_own_character_inside_a_figure(kg):
    """A unit's span is the unit written in a figure (the 戶 of 81.8萬戶, not of 入戶)."""
    rows = select(
        """SELECT ?u ?start ?end ?label WHERE {
        ?u a mzkg:Unit ; skos:prefLabel ?label ; prov:wasDerivedFrom/oa:hasSelector/oa:start ?start ;
           prov:wasDerivedFrom/oa:hasSelector/oa:end ?end . FILTER (langMatches(lang(?label), "zh-Hant")) }""",
        kg=kg,
    ).records()
    figures = select(
        """SELECT ?u ?start ?end WHERE { ?m mzkg:unit ?u ; prov:wasDerivedFrom/oa:hasSelector ?pos .
        ?pos oa:start ?start ; oa:end ?end }""",
        kg=kg,
    ).records()
    assert rows
    for r in rows:
        assert any(f["u"] == r["u"] and f["start"] <= r["start"] and r["end"] <= f["end"] for f in figures), r


def test_problems_solved_count_problems_in_pieces(kg):
    row = select(
        f"""SELECT ?unit WHERE {{ <{ID}report/guangdong-minzheng-2022/measurement/2021/problems-solved> mzkg:unit/skos:prefLabel ?unit
        FILTER (langMatches(lang(?unit), "zh-Hant")) }}""",
        kg=kg,
    ).records()
    assert row == [{"unit": "個"}]
    assert not _ask(
        kg,
        f"ASK {{ <{ID}report/guangdong-minzheng-2022/measurement/2021/problems-solved> mzkg:measures <{ID}group/kunnan-jiating> }}",
    )


def test_describe_shuangbai_finds_the_programme_first(kg):
    best, _others = find_one(kg, "Shuangbai")
    assert best.iri == ID + "programme/shuangbai"
    with pytest.raises(NotFound):
        find_one(kg, "no such thing at all")
