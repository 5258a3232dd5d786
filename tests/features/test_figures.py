"""Written figures read into number, scale, unit and hedge (the parser `mzkg validate` and `mzkg draft` use)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mzkg.features import figures


@pytest.mark.parametrize(
    ("written", "number", "scale", "unit", "hedge", "value"),
    [
        ("130.2億元", "130.2", "億", "元", None, "13020000000"),
        ("3億多元", "3", "億", "元", "多", "300000000"),
        ("將近3萬名", "3", "萬", "名", "將近", "30000"),
        ("5.1萬余人次", "5.1", "萬", "人次", "余", "51000"),
        ("超1.5億元", "1.5", "億", "元", "超", "150000000"),
        ("100%", "100", None, "%", None, "100"),
        ("連續14年", "14", None, "年", None, "14"),
        ("十三項", "13", None, "項", None, "13"),
        ("404萬", "404", "萬", None, None, "4040000"),
        ("2000人左右", "2000", None, "人", "左右", "2000"),
        ("不少于3万户", "3", "万", "户", "不少于", "30000"),
        ("一百二十個", "120", None, "個", None, "120"),
    ],
)
def test_a_written_figure_says_its_parts(written, number, scale, unit, hedge, value):
    fig = figures.parse(written)
    assert fig is not None
    assert (fig.number, fig.scale, fig.unit, fig.hedge) == (Decimal(number), scale, unit, hedge)
    assert fig.value == Decimal(value)


def test_slugs_name_the_unit_and_hedge_concepts():
    fig = figures.parse("將近3萬名")
    assert fig is not None
    assert (fig.unit_slug, fig.hedge_slug) == ("person", "nearly")


@pytest.mark.parametrize("written", ["約3萬多人", "社工站", "", "3億元資金", "十十個"])
def test_what_is_not_one_figure_is_refused(written):
    """Two hedges, no number, trailing words, a malformed Chinese numeral: not a figure."""
    assert figures.parse(written) is None


def test_find_gives_each_figure_with_its_offsets():
    text = "全省投入資金130.2億元,培訓社工將近3萬名。雙百工程覆蓋三級。"
    found = list(figures.find(text))
    assert [(f.text, text[f.start : f.end]) for f in found] == [("130.2億元", "130.2億元"), ("將近3萬名", "將近3萬名")]


def test_find_leaves_out_bare_chinese_numerals_which_are_parts_of_names():
    assert [f.text for f in figures.find("雙百工程、五社聯動、建成十三個站")] == ["十三個"]
