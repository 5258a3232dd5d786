"""The one figure reader: figures as Chinese reports write them — 3億多元, 將近3萬名, 1,850戶, 約2,300萬元,
三千二百人次, 一萬零六百名, 百分之八, 1000多萬, 18.3個百分點, 80周歲以上 — read into their parts: the number as
written, the scale word (萬, 億), the unit word and the hedge. `mzkg draft`, `mzkg validate` and `mzkg coverage`
all read figures here, so what drafting writes and what validation accepts cannot disagree.

The words come from their SKOS concepts in the packaged data (`data/concepts.ttl`): a unit's, hedge's and scale's
zh labels and alternative labels are the words that write it, a scale's `mzkg:multiplier` its value. A new unit is
one concept there. What stays here is the grammar: an optional qualifier and hedge before the number, the number
(Arabic with or without thousands separators, or Chinese numerals), an optional 多/余 and scale word, an optional
hedge, an optional unit word, an optional hedge after the unit — or 百分之 before a number.

`find` gives every written figure of a text; `figures_in` keeps those that are figures of the report (not years,
dates, times, month ranges, ordinals, list numbers, anniversaries, periods such as 過去5年, or small Chinese
numerals inside names such as 兩項補貼, 四級, 十件實事); `context` reads what the words before a figure say of it
(a change and its base, a standard per person and period).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

import cn2an
import pyoxigraph as ox

from ..core import resources
from ..core.prefixes import PREFIXES

# hedge words that follow the number (3億多元, 2000人左右, 80周歲以上); every other hedge word goes before it
AFTER = {"多", "余", "餘", "左右", "以上", "以下", "以內", "以内", "許", "许"}
AFTER_SCALE = {"多", "余", "餘"}
QUALIFIERS = ("連續", "连续", "累計", "累计", "共計", "共计", "共")  # belong to a written figure, say nothing of its value
PERCENT_WORDS = ("百分之",)
_CN = "〇零一二兩两三四五六七八九十百千"
_CN_BIG = "萬万億亿"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = rf"[{_CN}]+(?:[{_CN_BIG}][{_CN}]+)*"

_LEXICON = """
SELECT ?c ?kind ?w ?multiplier WHERE {
  VALUES ?kind { mzkg:Unit mzkg:Hedge mzkg:Scale mzkg:MoneyKind mzkg:SectionKind }
  ?c a ?kind ; skos:prefLabel|skos:altLabel|mzkg:cue ?w .
  FILTER (langMatches(lang(?w), "zh-Hant") || langMatches(lang(?w), "zh-Hans"))
  OPTIONAL { ?c mzkg:multiplier ?multiplier }
}"""


@dataclass(frozen=True)
class Lexicon:
    """The words of units, hedges, scales, kinds of money and section markers, each to the slug of its concept."""

    units: dict[str, str]
    hedges: dict[str, str]
    scales: dict[str, str]
    multipliers: dict[str, Decimal]  # scale slug → its value
    money: dict[str, str]
    sections: dict[str, list[str]] = field(default_factory=dict)  # section kind slug → its cue words
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        before = [w for w in self.hedges if w not in AFTER]
        after_scale = [w for w in self.hedges if w in AFTER_SCALE]
        after = [w for w in self.hedges if w in AFTER]
        pattern = re.compile(
            rf"(?P<qualifier>{_alternatives(QUALIFIERS)})?"
            rf"(?P<before>{_alternatives(before)})?"
            rf"(?:(?P<percent>{_alternatives(PERCENT_WORDS)})(?P<pnumber>{_ARABIC}|{_CHINESE})"
            rf"|(?P<number>{_ARABIC}|{_CHINESE})"
            rf"(?P<mid>{_alternatives(after_scale)})?"
            rf"(?P<scale>{_alternatives(list(self.scales))})?"
            rf"(?P<after>{_alternatives(after_scale)})?"
            rf"(?P<unit>{_alternatives(list(self.units))})?)"
            rf"(?P<tail>{_alternatives(after)})?"
        )
        object.__setattr__(self, "pattern", pattern)

    @classmethod
    def of_store(cls, store: ox.Store) -> Lexicon:
        units: dict[str, str] = {"%": "percent", "％": "percent"}
        hedges: dict[str, str] = {}
        scales: dict[str, str] = {}
        multipliers: dict[str, Decimal] = {}
        money: dict[str, str] = {}
        sections: dict[str, list[str]] = {}
        solutions = store.query(_LEXICON, prefixes=PREFIXES)
        assert isinstance(solutions, ox.QuerySolutions)
        for s in solutions:
            concept, kind, word = s["c"].value, s["kind"].value.rsplit("#", 1)[1], s["w"].value
            slug = concept.rsplit("/", 1)[1]
            if kind == "Unit" and slug != "number":  # "number" is no unit written
                units[word] = slug
            elif kind == "Hedge":
                hedges[word] = slug
            elif kind == "Scale":
                scales[word] = slug
                if s["multiplier"] is not None:
                    multipliers[slug] = Decimal(s["multiplier"].value)
            elif kind == "MoneyKind":
                money[word] = slug
            elif kind == "SectionKind":
                sections.setdefault(slug, []).append(word)
        for words in sections.values():
            words.sort(key=lambda w: (-len(w), w))
        return cls(units, hedges, scales, multipliers, money, sections)


def _alternatives(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) or "(?!)"


@cache
def lexicon() -> Lexicon:
    """The lexicon of the packaged concepts (read once)."""
    store = ox.Store()
    store.bulk_load(path=str(resources.data_dir() / "concepts.ttl"), format=ox.RdfFormat.TURTLE)
    return Lexicon.of_store(store)


@dataclass(frozen=True)
class Figure:
    """One figure as written, and what the writing says."""

    text: str
    number: Decimal  # the number as written (130.2 in 130.2億元, 1850 in 1,850戶, 10600 in 一萬零六百名)
    scale: str | None  # the scale word as written (萬, 億)
    unit: str | None  # the unit word as written
    hedge: str | None  # the hedge word as written
    start: int = 0
    end: int = 0
    arabic: bool = True  # written in Arabic digits

    @property
    def multiplier(self) -> Decimal:
        lex = lexicon()
        return lex.multipliers[lex.scales[self.scale]] if self.scale else Decimal(1)

    @property
    def value(self) -> Decimal:
        """The value in base units (130.2億元 → 13020000000)."""
        return self.number * self.multiplier

    @property
    def unit_slug(self) -> str | None:
        return lexicon().units.get(self.unit) if self.unit else None

    @property
    def hedge_slug(self) -> str | None:
        return lexicon().hedges.get(self.hedge) if self.hedge else None

    @property
    def scale_slug(self) -> str | None:
        return lexicon().scales.get(self.scale) if self.scale else None


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    try:
        return Decimal(str(cn2an.cn2an(text, "normal")))
    except ValueError:  # not a well-formed Chinese numeral (十十)
        return None


def _figure(m: re.Match[str]) -> Figure | None:
    written = m.group("pnumber") or m.group("number")
    number = _number(written)
    if number is None:
        return None
    hedges = [h for h in (m.group("before"), m.group("mid"), m.group("after"), m.group("tail")) if h]
    if len(hedges) > 1:
        return None
    if number == number.to_integral_value() and "." not in written:
        number = number.quantize(Decimal(1))
    return Figure(
        m.group(0),
        number,
        m.group("scale"),
        m.group("percent") or m.group("unit"),
        hedges[0] if hedges else None,
        m.start(),
        m.end(),
        written[0].isdigit(),
    )


def parse(written: str, lex: Lexicon | None = None) -> Figure | None:
    """A whole written form read as one figure, or None if it is not one (or has two hedges)."""
    m = (lex or lexicon()).pattern.fullmatch(written.strip())
    return _figure(m) if m is not None else None


def find(text: str, lex: Lexicon | None = None) -> Iterator[Figure]:
    """Every written figure in a text, with its offsets (code points). A bare Chinese numeral without a unit or
    scale is left out: it is part of a name (雙百, 五社, 十四五) far more often than a figure."""
    for m in (lex or lexicon()).pattern.finditer(text):
        number = m.group("pnumber") or m.group("number")
        if not number[0].isdigit() and not (m.group("unit") or m.group("scale") or m.group("percent")):
            continue
        figure = _figure(m)
        if figure is not None:
            yield figure


# --- which written figures are figures of the report

_DATE_TIME = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?|\d{4}年\d{1,2}月(?:\d{1,2}[日號号])?"
)
_RANGE = re.compile(r"\d+\s*[—–\-－~～至到]\s*\d+\s*(?:月|日|年|周歲|周岁|歲|岁)")
_PERIOD_BEFORE = ("過去", "过去", "近", "前", "後", "后", "這", "这", "今後", "今后", "未來", "未来")
_PERIOD_AFTER = ("來", "来", "以來", "以来", "內", "内", "間", "间", "中")
_NOT_AFTER = set("月日號号時时屆届期批級级")
_LIST_AFTER = set("、.．)）")


def _excluded(text: str) -> list[tuple[int, int]]:
    """The spans of dates, times and ranges, sorted (for `_inside`)."""
    return sorted([m.span() for m in _DATE_TIME.finditer(text)] + [m.span() for m in _RANGE.finditer(text)])


def _inside(spans: list[tuple[int, int]], i: int) -> bool:
    """Whether offset `i` lies in one of the sorted spans (which may overlap): a binary search, then a short walk."""
    k = bisect.bisect_right(spans, (i, 1 << 62))
    while k > 0:
        k -= 1
        a, b = spans[k]
        if a <= i < b:
            return True
        if b <= i and a < i - 64:
            return False  # no date, time or range is longer than this
    return False


def is_figure(text: str, f: Figure, excluded: list[tuple[int, int]] | None = None) -> bool:
    """Whether a written figure found in `text` is a figure of the report."""
    spans = _excluded(text) if excluded is None else excluded
    if _inside(spans, f.start):
        return False  # a date, a time, a range of months or years
    if f.unit in ("年",) and not f.scale and not f.hedge and f.arabic and 1900 <= f.number < 2100:
        return False  # a year (2022年)
    after = text[f.end : f.end + 2]
    if f.unit is None and not f.scale and after[:1] in _NOT_AFTER:
        return False  # 1月10日, 3屆
    if after.startswith(("周年", "週年")):
        return False  # 建軍90周年
    before = text[max(0, f.start - 2) : f.start]
    if before.endswith("第"):
        return False  # an ordinal
    if f.unit is None and not f.scale and not f.hedge and (after[:1] in _LIST_AFTER or before.endswith(("(", "（"))):
        return False  # a list number: 1、 (2)
    periodic = f.unit in ("年", "个月", "個月", "天") and (not f.hedge or (f.hedge in ("近",) and f.number <= 10))
    if periodic and (before.endswith(_PERIOD_BEFORE) or after.startswith(_PERIOD_AFTER) or f.text.startswith("近")):
        return False  # 過去5年, 近3年, 5年來: a period, not a figure
    if not f.arabic and not f.scale and not f.hedge and f.unit not in PERCENT_WORDS and f.number <= 10:
        return False  # 兩項補貼, 四級, 十件實事, 三次分配: a count inside a name
    return not _in_quoted_name(text, f)


def _in_quoted_name(text: str, f: Figure) -> bool:
    """A number without a unit inside “…”: part of a name (“雙百”, “12345”熱線)."""
    if f.unit and f.arabic:
        return False
    line_start = text.rfind("\n", 0, f.start) + 1
    before = text[line_start : f.start]
    return before.count("“") > before.count("”")


def figures_in(text: str, lex: Lexicon | None = None) -> list[Figure]:
    """The figures of a report's text, in order."""
    excluded = _excluded(text)
    return [f for f in find(text, lex) if is_figure(text, f, excluded)]


# --- what the words before a figure say of it

_BASE = r"同比|較上年|较上年|比上年|較去年|较去年|比去年|環比|环比"  # the year before is the base
_CHANGE = re.compile(
    rf"(?P<base>{_BASE})?[^,，。;；\d]{{0,6}}?"
    r"(?P<verb>增長|增长|增加|提高|上升|提升|減少|减少|下降|降低|下降了|增長了|增长了|提高了|減少了|减少了)了?$"
)
_DECREASE = ("減", "减", "下降", "降低")
_PER = re.compile(r"每(?:人|戶|户)?每?(?P<per>月|年|天|日)[^\d,,。]{0,4}$")
_PER_TIME = {"月": "month", "年": "year", "天": "day", "日": "day"}


@dataclass(frozen=True)
class Context:
    """What the words right before a figure say: a change (its direction and how many years before its base is) or
    a standard paid per person and period."""

    change: str | None = None  # increase or decrease
    base_offset: int | None = None  # 同比 / 較上年: 1 (the year before)
    per: str | None = None  # month, year, day: a standard per person and period
    words: str = ""  # the words that said it

    @property
    def standard(self) -> bool:
        return self.per is not None


def context(text: str, f: Figure) -> Context:
    """A change needs its verb right before the figure (提高18.3個百分點, 同比增長12.5%, 較上年減少百分之八) and either a
    base (同比, 較上年) or a rate (% or 個百分點); 提高到 / 增長至 say the level reached, which is no change."""
    before = text[max(0, f.start - 14) : f.start]
    m = _CHANGE.search(before)
    if m is not None and (m.group("base") or (f.unit_slug in ("percent", "percentage-point"))):
        direction = "decrease" if m.group("verb").startswith(_DECREASE) else "increase"
        base = re.search(_BASE, text[max(0, f.start - 24) : f.start])
        return Context(direction, 1 if base else None, None, before[m.start() :])
    p = _PER.search(before)
    if p is not None and f.unit_slug == "cny":
        return Context(None, None, _PER_TIME[p.group("per")], before[p.start() :])
    return Context()
