"""Figures as Chinese reports write them — 3億多元, 將近3萬名, 5.1萬余人次, 超1.5億元, 100%, 連續14年, 十三項 — read into
their parts: the number as written, the scale word (萬, 億), the unit word, and the hedge.

The written forms make a small regular language: an optional hedge or qualifier before the number, the number
(Arabic, or Chinese numerals read by cn2an), an optional scale word, an optional hedge, an optional unit word, and
an optional hedge after the unit. Both scripts are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import cn2an

# unit word → the slug of its unit concept (id/unit/<slug>)
UNITS = {
    "元": "cny", "人次": "person-time", "人": "person", "名": "person", "位": "person", "戶": "household", "户": "household",
    "個": "piece", "个": "piece", "家": "organisation", "項": "item", "项": "item", "件": "item", "%": "percent", "％": "percent",
    "分鐘": "minute", "分钟": "minute", "年": "year", "省市": "province-or-city", "張": "bed", "张": "bed", "所": "institution",
    "處": "site", "处": "site", "噸": "tonne", "吨": "tonne",
}  # fmt: skip
# hedge word → the slug of its hedge concept (id/hedge/<slug>)
HEDGES = {
    "將近": "nearly", "将近": "nearly", "近": "nearly", "超過": "more-than", "超过": "more-than", "超": "more-than",
    "逾": "more-than", "多": "more-than", "余": "more-than", "餘": "more-than", "約": "about", "约": "about",
    "左右": "about", "以上": "at-least", "不低於": "at-least", "不低于": "at-least", "不少於": "at-least", "不少于": "at-least",
}  # fmt: skip
SCALES = {"萬": Decimal(10) ** 4, "万": Decimal(10) ** 4, "億": Decimal(10) ** 8, "亿": Decimal(10) ** 8}
QUALIFIERS = ("連續", "连续", "累計", "累计", "共")  # words that belong to a written figure but say nothing of its value


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_BEFORE = [w for w in HEDGES if w not in ("多", "余", "餘", "左右", "以上")]
_AFTER_SCALE = ["多", "余", "餘"]
_AFTER_UNIT = ["左右", "以上", "多", "余", "餘"]
_NUMBER = r"\d+(?:\.\d+)?|[〇零一二兩两三四五六七八九十百千]+"
FIGURE = re.compile(
    rf"(?P<qualifier>{_alternatives(list(QUALIFIERS))})?"
    rf"(?P<before>{_alternatives(_BEFORE)})?"
    rf"(?P<number>{_NUMBER})"
    rf"(?P<scale>{_alternatives(list(SCALES))})?"
    rf"(?P<after>{_alternatives(_AFTER_SCALE)})?"
    rf"(?P<unit>{_alternatives(list(UNITS))})?"
    rf"(?P<tail>{_alternatives(_AFTER_UNIT)})?"
)


@dataclass(frozen=True)
class Figure:
    """One figure as written, and what the writing says."""

    text: str
    number: Decimal  # the number as written (130.2 in 130.2億元)
    scale: str | None  # 萬 or 億
    unit: str | None  # the unit word as written
    hedge: str | None  # the hedge word as written
    start: int = 0
    end: int = 0

    @property
    def multiplier(self) -> Decimal:
        return SCALES[self.scale] if self.scale else Decimal(1)

    @property
    def value(self) -> Decimal:
        """The value in base units (130.2億元 → 13020000000)."""
        return self.number * self.multiplier

    @property
    def unit_slug(self) -> str | None:
        return UNITS.get(self.unit) if self.unit else None

    @property
    def hedge_slug(self) -> str | None:
        return HEDGES.get(self.hedge) if self.hedge else None


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        return Decimal(text)
    try:
        return Decimal(str(cn2an.cn2an(text, "normal")))
    except ValueError:  # not a well-formed Chinese numeral (十十)
        return None


def _figure(m: re.Match[str], offset: int = 0) -> Figure | None:
    number = _number(m.group("number"))
    if number is None:
        return None
    hedges = [h for h in (m.group("before"), m.group("after"), m.group("tail")) if h]
    return Figure(
        m.group(0),
        number,
        m.group("scale"),
        m.group("unit"),
        hedges[0] if len(hedges) == 1 else None,
        offset + m.start(),
        offset + m.end(),
    )


def parse(written: str) -> Figure | None:
    """A whole written form read as one figure, or None if it is not one (or has two hedges)."""
    m = FIGURE.fullmatch(written.strip())
    if m is None:
        return None
    hedges = [h for h in (m.group("before"), m.group("after"), m.group("tail")) if h]
    if len(hedges) > 1:
        return None
    return _figure(m)


def find(text: str) -> Iterator[Figure]:
    """Every figure in a text, with its offsets (code points). Bare Chinese numerals without a unit are left out:
    they are parts of names (雙百, 五社, 三級) far more often than figures."""
    for m in FIGURE.finditer(text):
        if not m.group("number")[0].isdigit() and not m.group("unit"):
            continue
        figure = _figure(m)
        if figure is not None:
            yield figure
