"""Each stage of `mzkg draft` on its own, with invented snippets: the figure reader, periods, segments, the place."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mzkg.features import figures
from mzkg.features.draft.periods import own_period, report_date, years
from mzkg.features.draft.place import report_place
from mzkg.features.draft.reading import clean
from mzkg.features.draft.segment import clauses, sections, tables, title


@pytest.mark.parametrize(
    ("written", "value", "unit", "hedge"),
    [
        ("1,850户", "1850", "household", None),
        ("约2,300万元", "23000000", "cny", "about"),
        ("三千二百人次", "3200", "person-time", None),
        ("九百六十名", "960", "person", None),
        ("一万零六百名", "10600", "person", None),
        ("一万一千人", "11000", "person", None),
        ("百分之八", "8", "percent", None),
        ("百分之六十五", "65", "percent", None),
        ("1000多萬", "10000000", None, "more-than"),
        ("360多万", "3600000", None, "more-than"),
        ("18.3個百分點", "18.3", "percentage-point", None),
        ("80周歲以上", "80", "age", "at-least"),
        ("5.2萬對", "52000", "pair", None),
        ("326次", "326", "time", None),
        ("418單", "418", "order", None),
        ("5類", "5", "category", None),
        ("62件", "62", "item", None),
        ("3,600平方米", "3600", "square-metre", None),
        ("12場", "12", "event", None),
        ("3萬餘人", "30000", "person", "more-than"),
        ("不超過5%", "5", "percent", "at-most"),
        ("1.2萬億元", "1200000000000", "cny", None),
    ],
)
def test_the_reader_reads_every_form_reports_write(written, value, unit, hedge):
    fig = figures.parse(written)
    assert fig is not None
    assert (fig.value, fig.unit_slug, fig.hedge_slug) == (Decimal(value), unit, hedge)


def test_every_unit_and_hedge_word_comes_from_a_concept_of_the_data():
    lex = figures.lexicon()
    assert lex.units["件"] == "item" and lex.units["名"] == "person" and lex.units["個百分點"] == "percentage-point"
    assert lex.hedges["餘"] == "more-than" and lex.scales["萬"] == "wan"
    assert lex.multipliers == {"wan": Decimal(10**4), "yi": Decimal(10**8), "wanyi": Decimal(10**12)}
    assert "會議指出" in lex.sections["review"] and "下一步" in lex.sections["plan"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("全年救助1,850户。", ["1,850户"]),
        ("1—3月,全市辦理婚姻登記1,026對。", ["1,026對"]),
        ("1-9月累計救助3,000人次。", ["3,000人次"]),
        ("發布時間:2023-03-31 14:39", []),
        ("過去5年,全州新增床位1,450張。", ["1,450張"]),
        ("慶祝建軍90周年,走訪退役軍人300名。", ["300名"]),
        ("第3批試點", []),
        ("落實兩項補貼,健全四級網絡,辦好十件實事。", []),
        ("連續14年保持全國第一。", ["連續14年"]),
        ("2020—2022年,全州新增床位1,450張。", ["1,450張"]),
        ("近三年共建成社工站36個。", ["36個"]),
        ("救助三千二百人次,培訓九百六十名。", ["三千二百人次", "九百六十名"]),
    ],
)
def test_what_is_a_figure_of_the_report(text, kept):
    assert [f.text for f in figures.figures_in(text)] == kept


@pytest.mark.parametrize(
    ("text", "change", "per"),
    [
        ("城市低保標準同比增長12.5%", "increase", None),
        ("覆蓋率提高18.3個百分點", "increase", None),
        ("較上年減少百分之八", "decrease", None),
        ("覆蓋率提高到98%", None, None),
        ("新增養老床位1200張", None, None),
        ("保障標準每人每月1120元", None, "month"),
    ],
)
def test_the_words_before_a_figure_say_whether_it_is_a_change_or_a_standard(text, change, per):
    [fig] = figures.figures_in(text)
    ctx = figures.context(text, fig)
    assert (ctx.change, ctx.per) == (change, per)


def test_the_years_come_from_the_words_then_the_date_and_guesses_are_noted():
    found = years("總結了2022年工作,部署2023年任務。", 100)
    assert (found.reviewed, found.planned) == (2022, 2023)
    summary = years("2023年工作總結\n全年救助1,850户。", 100, has_plan=False)
    assert (summary.reviewed, summary.planned) == (2023, None)
    guessed = years("1月12日召開會議。全年救助1,850户。\n2023年1月12日", 100)
    assert (guessed.reviewed, guessed.planned) == (2022, 2023) and guessed.notes
    nothing = years("全年救助1,850户。", 100)
    assert nothing.reviewed is not None and any("guess" in n or "latest" in n for n in nothing.notes)


def test_a_date_from_the_lead_a_page_or_a_signature():
    assert report_date("1月12日,會議召開。", 100, None, 2023) == ("2023-01-12", "1月12日")
    assert report_date("發布時間:2023-03-31 14:39", 100)[0] == "2023-03-31"
    assert report_date("正文。\n某某縣民政局\n2023年1月6日\n", 5)[0] == "2023-01-06"
    assert report_date("13月40日召開", 100, None, 2023) == (None, "")


@pytest.mark.parametrize(
    ("words", "period"),
    [
        ("2021年,全市", (2021, 2021)),
        ("截至今年3月", (2023, 2023)),
        ("去年", (2022, 2022)),
        ("2020—2022年", (2020, 2022)),
        ("十四五以來", (2021, 2025)),
        ("過去5年", (2018, 2022)),
        ("比去年增加", None),
        ("到2025年", None),
        ("2023年全市民政工作會議", None),
    ],
)
def test_a_clause_names_its_own_period(words, period):
    own = own_period(words, 2023)
    assert (own.start, own.end) == period if period else own is None


def test_clean_drops_page_chrome_and_glosses_but_keeps_the_report():
    text, removed = clean("首頁 > 新聞\n瀏覽次數: 1024\n全鄉(xiāng)鎮社工站覆蓋100%。\u202e\n分享到\n")
    assert text == "全鄉鎮社工站覆蓋100%。\n"
    assert len(removed) == 5


def test_sections_without_markers_and_with_a_plan_at_the_end_of_a_paragraph():
    lex = figures.lexicon()
    text = "某市召開2023年全市民政工作會議\n全年救助1,850户。新建社工站12個。2023年,全市要重點抓好以下工作。\n新增床位1000張。\n"
    head = title(text, None)
    assert head is not None and text[slice(*head)] == "某市召開2023年全市民政工作會議"
    found = sections(text, len(text), lex, after=head[1], reviewed=2022, planned=2023)
    kinds = {s.kind: text[s.start : s.end] for s in found}
    assert kinds["review"].startswith("全年救助") and kinds["plan"].startswith("2023年,全市要")


def test_each_item_is_a_clause_and_a_heading_is_none():
    text = "一、社會救助\n全縣一是加強低保,二是推進臨時救助,三是做好五保供養。\n"
    found = [(text[c.start : c.end], c.heading) for c in clauses(text, 0, len(text))]
    assert found == [
        ("一、社會救助", True),
        ("全縣一是加強低保", False),
        ("二是推進臨時救助", False),
        ("三是做好五保供養", False),
    ]


def test_a_table_gives_each_column_its_year_and_each_row_its_unit():
    text = "指標 | 2021年 | 2022年\n低保對象(人) | 1,532 | 1,478\n"
    [t] = tables(text)
    cells = {year: [text[a:b] for a, b in spans] for year, spans in t.columns.items()}
    assert cells == {2021: ["1,532"], 2022: ["1,478"]}
    assert list(t.units.values()) == ["person"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("湖南省民政廳召開會議。", "430000"),
        ("全國民政工作會議在長沙召開。", "100000"),
        ("瀏陽市民政局召開會議,總結工作。", "430181"),
        ("湘西州民政局召開全州民政工作會議。", "433100"),
        ("會議在長沙召開,與江西、湖北等六省簽約。長沙市民政局作報告。", "430100"),
        ("省民政廳副廳長出席。市民政局局長作報告,部署洛陽市民政工作。", "410300"),
        ("2023年全省民政工作會議在綿陽召開。", "510000"),
    ],
)
def test_the_place_is_the_reporting_agencys_never_the_venue_or_a_list(text, code):
    assert report_place(text, len(text)).division.code == code


def test_a_place_given_by_flag_wins():
    assert report_place("湖南省民政廳召開會議。", 20, "440100").division.code == "440100"
