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
        ("assistance-funds", "gd-caizheng"),
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
    totals = {(r["kind"], r["funder"], r["funder_is"]): r["total_yuan"] for r in by_kind}
    for (kind, funder, how), total in totals.items():
        assert total == sum(r["yuan"] for r in by_kind if (r["kind"], r["funder"], r["funder_is"]) == (kind, funder, how))
    finance = "finance departments at every level in the province"
    assert totals[("fiscal input", finance, "stated")] == Decimal("13020000000")  # 全省各級財政投入…130.2億元
    assert totals[("fiscal input", finance, "inferred")] == Decimal("960000000")  # 投入財政資金共9.6億元: inferred
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


def test_describe_shuangbai_finds_the_programme_first(kg):
    best, _others = find_one(kg, "Shuangbai")
    assert best.iri == ID + "programme/shuangbai"
    with pytest.raises(NotFound):
        find_one(kg, "no such thing at all")


# --- the errors found by reading the packaged model against its text

M22 = f"{ID}report/guangdong-minzheng-2022/"


def test_the_lottery_raises_the_public_welfare_fund_and_is_not_funded_by_it(kg):
    """籌集公益金50.24億元: money raised by the lottery, not money put into it."""
    fund = f"{M22}measurement/2021/public-welfare-funds"
    assert not _ask(kg, f"ASK {{ ?p mzkg:funding <{fund}> }}")
    assert _ask(
        kg, f"ASK {{ <{ID}programme/fuli-caipiao> mzkg:raises <{fund}> . <{fund}> mzkg:raisedBy <{ID}programme/fuli-caipiao> }}"
    )
    assert _ask(kg, f"ASK {{ <{fund}> mzkg:moneyKind <{ID}money-kind/funds-raised> }}")


def test_the_campaign_for_the_public_targets_the_public(kg):
    """我為群眾辦實事 is for 群眾 (the public), not only for 困難群眾."""
    groups = {
        r["g"] for r in select(f"SELECT ?g WHERE {{ <{ID}programme/wo-wei-qunzhong> mzkg:targetGroup ?g }}", kg=kg).records()
    }
    assert groups == {f"{ID}group/qunzhong"}
    label = select(
        f"SELECT ?l WHERE {{ <{ID}group/qunzhong> skos:prefLabel ?l FILTER (langMatches(lang(?l), 'zh-Hant')) }}", kg=kg
    )
    assert [r["l"] for r in label.records()] == ["群眾"]


def test_the_exhaust_programme_builds_no_funeral_homes(kg):
    """改造殯儀館火化機尾氣凈化設備 refits equipment in existing funeral homes; it builds none."""
    assert not _ask(kg, f"ASK {{ <{ID}programme/huohuaji-weiqi> mzkg:buildsInstitution ?i }}")
    assert not _ask(kg, f"ASK {{ <{ID}institution/binyiguan> mzkg:builtByProgramme <{ID}programme/huohuaji-weiqi> }}")


def test_minor_protection_stations_are_not_put_in_the_four_tier_system(kg):
    """The text builds 鄉鎮(街道)未成年人保護工作站 as a 2022 task; it does not place them in 市縣鎮村."""
    assert not _ask(kg, f"ASK {{ <{ID}network/weichengnian-baohu/tier/3> mzkg:institution ?x }}")


@pytest.mark.parametrize(
    ("task", "achievement"),
    [("2022/poverty-gains-revitalisation", "2021/rural-revitalisation"), ("2022/party-building-lead", "2021/party-building")],
)
def test_doubtful_continuity_is_not_asserted(kg, task, achievement):
    """促進脫貧攻堅兜底保障成果與鄉村振興有效銜接 (social assistance) does not carry on 引導社會組織做好…銜接 (social
    organisations); 堅持黨建引領 of social organisations does not carry on the whole field's 黨的建設."""
    t, a = f"{M22}statement/{task}", f"{M22}statement/{achievement}"
    assert not _ask(kg, f"ASK {{ {{ <{t}> mzkg:continues <{a}> }} UNION {{ <{a}> mzkg:continuedBy <{t}> }} }}")


def test_both_figures_of_the_household_checks_measure_the_households(kg):
    """入戶核查81.8萬戶困難家庭并解決2.7萬個問題: both figures are about the households in difficulty (one counts the
    households, the other their problems, in pieces); neither measures the campaign."""
    for m in ("households-checked", "problems-solved"):
        got = {r["x"] for r in select(f"SELECT ?x WHERE {{ <{M22}measurement/2021/{m}> mzkg:measures ?x }}", kg=kg).records()}
        assert got == {f"{ID}group/kunnan-jiating"}, m


def test_funders_are_named_or_marked_inferred_and_finance_is_a_collective(kg):
    rows = {
        r["m"].rsplit("/", 1)[1]: (r["f"].removeprefix(ID), r["stated"])
        for r in select("SELECT ?m ?f ?stated WHERE { ?m mzkg:funder ?f ; mzkg:funderStated ?stated }", kg=kg).records()
    }
    assert rows["assistance-funds"] == ("actor/gd-caizheng", True)
    assert rows["shuangbai-funding"] == ("actor/gd-caizheng", False)  # 投入財政資金: the funder is inferred
    assert rows["enterprise-burden-reduced"] == ("institution/shehui-zuzhi", True)  # 動員社會組織減輕企業負擔2.77億元
    assert not _ask(kg, "ASK { ?m mzkg:funder ?f FILTER NOT EXISTS { ?m mzkg:funderStated ?s } }")
    finance = f"{ID}actor/gd-caizheng"
    assert _ask(kg, f"ASK {{ <{finance}> a mzkg:ActorGroup }}")
    assert not _ask(kg, f"ASK {{ <{finance}> a ?c FILTER (?c IN (mzkg:Agency, org:Organization, org:FormalOrganization)) }}")
    assert _ask(kg, f"ASK {{ <{ID}agency/gd-finance> dcterms:isReplacedBy <{finance}> }}")


def test_money_by_kind_never_totals_a_named_funder_with_an_inferred_one(kg):
    rows = select("money-by-kind", kg=kg).records()
    finance = [r for r in rows if r["funder"] == "finance departments at every level in the province"]
    assert {(r["funder_is"], r["total_yuan"]) for r in finance} == {
        ("stated", Decimal("13020000000")),
        ("inferred", Decimal("960000000")),
    }
    assert Decimal("13980000000") not in {r["total_yuan"] for r in rows}


def test_groups_in_difficulty_sit_under_people_in_difficulty(kg):
    kq = f"{ID}group/kunnan-qunzhong"
    assert not _ask(kg, f"ASK {{ <{ID}group/di-shouru> skos:topConceptOf ?s }}")
    assert not _ask(kg, f"ASK {{ ?s skos:hasTopConcept <{ID}group/di-shouru> }}")
    # a top concept of a scheme has no broader concept in that scheme (the national vocabulary may place it lower)
    assert not _ask(kg, "ASK { ?g a mzkg:TargetGroup ; skos:topConceptOf ?s ; skos:broader ?b . ?b skos:inScheme ?s }")
    for g in ("di-shouru", "fang-fanpin", "liulang-qitao", "kunnan-jiating", "teshu-kunnan-laonian", "kunjing-ertong"):
        assert _ask(kg, f"ASK {{ <{ID}group/{g}> skos:broader <{kq}> }}"), g


def test_rural_burial_facilities_are_rural_not_at_the_village_tier(kg):
    assert not _ask(kg, f"ASK {{ <{ID}institution/anzang-sheshi> mzkg:atTier <{ID}tier/cun> }}")


def test_the_hand_in_hand_campaign_has_only_the_groups_its_sentence_names(kg):
    """加強孤兒保障,開展孤兒、事實無人撫養兒童認定…,持續開展“牽手行動”: 孤兒 and 事實無人撫養兒童, not every child."""
    got = {
        r["g"].removeprefix(ID)
        for r in select(f"SELECT ?g WHERE {{ <{ID}programme/qianshou> mzkg:targetGroup ?g }}", kg=kg).records()
    }
    assert got == {"group/guer", "group/shishi-wuren-fuyang"}


def test_cultivate_is_never_the_action_of_a_bare_count(kg):
    """登記注冊慈善組織1746家 and 慈善信托資金7.8億元 report counts; 培育 is not in their words."""
    rows = select(
        """SELECT ?q WHERE { ?s mzkg:actionType <https://w3id.org/mzkg/id/action/cultivate> ;
        prov:wasDerivedFrom/oa:hasSelector/oa:exact ?q }""",
        kg=kg,
    ).records()
    assert rows and all("培育" in r["q"] for r in rows)


def test_the_ministry_rating_is_a_relation_both_ways(kg):
    rating = f"{ID}rating/mca-assessment-2021"
    assert _ask(kg, f"ASK {{ <{ID}agency/mca> mzkg:gaveRating <{rating}> . <{ID}agency/gd-dca> mzkg:receivedRating <{rating}> }}")
    rows = select("ministry-assessment", kg=kg).records()
    assert [(r["rated"], r["grade"], r["year"], r["again"]) for r in rows] == [("廣東省民政廳", "優秀", 2021, True)]


# --- jurisdiction, programme subtypes, policy documents


def test_everything_that_belongs_to_a_place_names_it(kg):
    missing = select(
        """SELECT ?x WHERE { ?x a ?c FILTER (?c IN (mzkg:Programme, mzkg:ServiceChannel, mzkg:PublicService, mzkg:Agency,
        mzkg:WorkingMechanism, mzkg:Policy, mzkg:PolicyDocument, mzkg:InformationSystem, mzkg:CoordinationBody))
        FILTER NOT EXISTS { ?x mzkg:jurisdiction ?p }
        FILTER NOT EXISTS { ?x a mzkg:FieldConcept } }""",  # a concept of the national vocabulary is national by definition
        kg=kg,
    ).records()
    assert missing == []
    assert _ask(kg, f"ASK {{ <{ID}programme/fuli-caipiao> mzkg:jurisdiction <{ID}place/guangdong> }}")
    assert _ask(kg, f"ASK {{ <{ID}agency/mca> mzkg:jurisdiction <{ID}place/china> }}")
    assert _ask(kg, f"ASK {{ <{ID}policy/laolinghua-zhanlue> mzkg:jurisdiction <{ID}place/china> }}")  # 國家戰略


def test_a_programme_without_its_place_is_refused(kg):
    from rdflib import Graph, URIRef

    from mzkg.core.graph import KnowledgeGraph
    from mzkg.core.namespaces import MZKG
    from mzkg.features.validation import validate

    g = Graph() + kg.union()
    p = URIRef(f"{ID}programme/shuangbai")
    g.remove((p, MZKG.jurisdiction, None))
    report = validate(KnowledgeGraph.from_graph(g), focus_nodes=[p])
    assert any(v.shape.startswith("shape:ProgrammeJurisdictionShape") for v in report.results), report.text()


SUBTYPES = {
    "Campaign": {"wo-wei-qunzhong", "linli-shouwang", "qianshou", "shehui-zuzhi-zhengzhi", "fupin-jikun-ri", "dangshi-xuexi",
                 "wannengzhang", "diming-wenhua"},
    "Reform": {"hunsu-gaige", "nianbao-gaige", "ertong-fuli-tizhi", "xingzheng-quhua"},
    "Platform": {"yangyu-yiti-pingtai"},
    "Project": {"shuangbai", "jiuzhu-nengli-tisheng", "shi-jian-minsheng", "shilaohua-gaizao", "huohuaji-weiqi",
                "hunyin-dangan-dianzihua"},
    "Pilot": {"quyu-zhongxinzhan-shidian", "zhiyuan-jilu-choucha"},
    "Cooperation": {"lvju-yanglao"},
    "WorkModel": {"wushe-liandong"},
    "LineOfWork": {"fuli-caipiao", "cishan-xintuo-yewu", "zhiyuan-fuwu", "xinfang", "shouyang-pinggu", "jiedi-shengtai-anzang",
                   "zhiyuan-zuzhi-biaoshi", "fenlei-guanli"},
}  # fmt: skip


def test_every_programme_has_exactly_one_subtype(kg):
    rows = select(
        """SELECT ?p (COUNT(?c) AS ?n) (SAMPLE(?c) AS ?cls) WHERE { ?p a mzkg:Programme .
        OPTIONAL { ?p a ?c . ?c rdfs:subClassOf mzkg:Programme } } GROUP BY ?p""",
        kg=kg,
    ).records()
    assert len(rows) == 31 and all(r["n"] == 1 for r in rows), [r for r in rows if r["n"] != 1]
    got = {r["p"].removeprefix(f"{ID}programme/"): r["cls"].rsplit("#", 1)[1] for r in rows}
    assert got == {p: cls for cls, ps in SUBTYPES.items() for p in ps}


def test_every_policy_document_says_what_it_governs_and_who_issues_it(kg):
    rows = select(
        """SELECT ?d (COUNT(DISTINCT ?g) AS ?n) (COUNT(DISTINCT ?who) AS ?w) WHERE { ?d a mzkg:PolicyDocument .
        OPTIONAL { ?d mzkg:governs ?g . ?g mzkg:governedBy ?d } OPTIONAL { ?d dcterms:publisher ?who } } GROUP BY ?d""",
        kg=kg,
    ).records()
    assert len(rows) == 4 and all(r["n"] >= 1 and r["w"] == 1 for r in rows), rows
    assert _ask(kg, f"ASK {{ <{ID}document/fengxian-qingdan> mzkg:governs <{ID}mechanism/weichengnian-baohu> }}")


# --- qualifiers from the text


def test_completion_degrees_and_task_strengths_are_read_from_the_words(kg):
    rows = select(
        """SELECT ?s ?c WHERE { ?s mzkg:completionDegree|mzkg:taskStrength ?c }""",
        kg=kg,
    ).records()
    got = {(r["s"].rsplit("/", 1)[1], r["c"].removeprefix(ID)) for r in rows}
    assert got == {
        ("ten-livelihood-projects", "completion/completed-early"),  # 提前完成省十件民生實事涉民政提標任務
        ("minor-protection-system", "completion/basically-built"),  # 基本建成“市縣鎮村”四級未成年人保護體系
        ("adoption-assessment", "completion/fully-implemented"),  # 全面實施收養評估工作
        ("fifteen-minute-circle", "completion/initially-formed"),  # 初步形成“15分鐘”城市社區養老服務
        ("party-history-education", "completion/completed"),  # 高質量完成黨史學習教育任務
        ("service-point-coverage-headline", "strength/will"),  # 將實現全省村(居)社會工作服務點100%覆蓋
    }
