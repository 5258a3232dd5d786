"""China's divisions: known codes, names and levels; municipalities without a prefecture level; containment; lookup
in both scripts and by short name, namesakes ranked; the whole table."""

from __future__ import annotations

import re

import pytest

from mzkg.features.places import NATION, Division, divisions, short_name


@pytest.fixture(scope="module")
def table():
    return divisions()


@pytest.mark.parametrize(
    ("code", "name", "short", "level", "parent"),
    [
        ("430000", "湖南省", "湖南", "province", NATION),
        ("430100", "长沙市", "长沙", "prefecture", "430000"),
        ("430181", "浏阳市", "浏阳", "county", "430100"),
        ("433100", "湘西土家族苗族自治州", "湘西", "prefecture", "430000"),
        ("440000", "广东省", "广东", "province", NATION),
        ("440100", "广州市", "广州", "prefecture", "440000"),
        ("110000", "北京市", "北京", "province", NATION),
        ("110105", "朝阳区", "朝阳", "county", "110000"),  # a district of Beijing hangs from Beijing itself
        ("450000", "广西壮族自治区", "广西", "province", NATION),
        ("810000", "香港特别行政区", "香港", "province", NATION),
        ("152500", "锡林郭勒盟", "锡林郭勒", "prefecture", "150000"),
        ("429004", "仙桃市", "仙桃", "county", "420000"),  # a county-level city directly under its province
    ],
)
def test_known_divisions(table, code, name, short, level, parent):
    assert table.get(code) == Division(code, name, short, level, parent)


def test_the_nation(table):
    nation = table.get(NATION)
    assert nation == Division(NATION, "中华人民共和国", "全国", "nation", None)
    for form in ("中华人民共和国", "中華人民共和國", "全国", "全國", "中国", "中國"):
        assert table.find(form) == [nation], form
    assert table.ancestors(NATION) == []
    assert [d.code for d in table.ancestors("430000")] == [NATION]


@pytest.mark.parametrize("municipality", ["110000", "120000", "310000", "500000"])
def test_municipalities_have_no_prefecture_level(table, municipality):
    parts = [d for d in table if d.parent == municipality]
    assert len(parts) >= 9
    assert {d.level for d in parts} == {"county"}
    assert table.get(municipality[:3] + "100") is None  # the 市辖区 placeholder of the code list is no division


def test_no_placeholder_is_named(table):
    assert not [d for d in table if d.name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}]


def test_containment(table):
    assert table.contains("430000", "433100")
    assert table.contains("430100", "430181")
    assert table.contains("430000", "430181")
    assert table.contains(NATION, "430181")
    assert table.contains("110000", "110105")
    assert not table.contains("440000", "430181")
    assert not table.contains("430181", "430100")  # the other way round
    assert not table.contains("430100", "430100")  # a division does not contain itself
    assert not table.contains("430000", "999999")
    assert [d.code for d in table.ancestors("430181")] == ["430100", "430000", NATION]
    assert table.ancestors("999999") == []


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("湖南", "430000"),
        ("湖南省", "430000"),
        ("長沙", "430100"),
        ("長沙市", "430100"),
        ("廣州", "440100"),
        ("廣東省", "440000"),
        ("湘西", "433100"),
        ("湘西土家族苗族自治州", "433100"),
        ("北京", "110000"),
        ("瀏陽市", "430181"),
        (" 广州 ", "440100"),
    ],
)
def test_lookup_in_either_script(table, written, code):
    assert table.find(written)[0].code == code


def test_namesakes_are_all_returned_and_ranked(table):
    chaoyang = [d.code for d in table.find("朝阳")]
    assert chaoyang[0] == "211300"  # the prefecture before the districts and the county of the same short name
    assert set(chaoyang) >= {"211300", "110105", "211321", "220104"}
    assert [d.code for d in table.find("河南")] == ["410000", "632324"]  # the province, then 河南蒙古族自治县
    assert [d.code for d in table.find("吉林")][:2] == ["220000", "220200"]
    assert table.find("吉林市")[0].code == "220200"  # a full name before a short one, whatever the level
    assert [d.code for d in table.find("城区")] == sorted(d.code for d in table if d.name == "城区")
    assert table.find("不是地名") == []


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("忠县", "忠县"),  # never below two characters
        ("城区", "城区"),
        ("清新区", "清新"),  # 新区 would leave one character, so only 区 goes
        ("峰峰矿区", "峰峰矿区"),
        ("浦东新区", "浦东"),
        ("六枝特区", "六枝"),
        ("神农架林区", "神农架"),
        ("万柏林区", "万柏林"),
        ("大兴安岭地区", "大兴安岭"),
        ("西藏自治区", "西藏"),  # 藏 is the place here, not the people
        ("内蒙古自治区", "内蒙古"),
        ("新疆维吾尔自治区", "新疆"),
        ("伊犁哈萨克自治州", "伊犁"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("龙胜各族自治县", "龙胜"),
        ("东乡族自治县", "东乡"),  # named after its people alone
        ("鄂温克族自治旗", "鄂温克"),
        ("鄂伦春自治旗", "鄂伦春"),
        ("正蓝旗", "正蓝"),
        ("芒市", "芒市"),
    ],
)
def test_short_names(name, short):
    assert short_name(name) == short


def test_the_whole_table(table):
    assert len(table) >= 3000
    levels = [d.level for d in table]
    assert levels.count("nation") == 1
    assert levels.count("province") >= 31
    assert levels.count("prefecture") >= 300
    assert levels.count("county") >= 2800
    order = ["nation", "province", "prefecture", "county"]
    for d in table:
        assert re.fullmatch(r"\d{6}", d.code), d
        assert len(d.short) >= 2, d
        if d.parent is not None:
            parent = table.get(d.parent)
            assert parent is not None, d
            assert order.index(parent.level) < order.index(d.level), d
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table.as_of)
    assert divisions() is table  # read once


def test_names_for_a_gazetteer(table):
    names = list(table.names())
    forms = {form for form, _ in names}
    assert {"湖南", "湖南省", "長沙市", "廣州", "湘西", "中國", "全国"} <= forms
    assert len(names) >= 2 * len(table)
    for form, d in names:
        assert d in table.find(form), form
    assert sum(form == "朝阳" for form, _ in names) == 4  # a shared form comes once for each division
