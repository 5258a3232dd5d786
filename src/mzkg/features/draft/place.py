"""Stage *place*: the division of China a report is about, and its reporting agency.

The place is the subject of the reporting agency (湖南省民政廳, 長沙市民政局, 瀏陽市民政局, 湘西州民政局, 民政部)
or of the conference (全國民政工作會議, "長沙市召開2023年全市民政工作會議"), never the venue (在長沙召開) or one of a
list (與湖南、江西等六省). An agency written relative to the report (省民政廳, 市民政局) means the division of that
level that contains the places the report names. Divisions come from `mzkg.features.places` (every division with
its GB/T 2260 code); the first, best-placed candidate wins and the others are noted for review.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..places import NATION, Division, Divisions, divisions
from ..scripts import s2t

LEVEL_WORD = {"省": "province", "自治區": "province", "自治区": "province", "市": "prefecture", "州": "prefecture",
              "地區": "prefecture", "地区": "prefecture", "盟": "prefecture", "縣": "county", "县": "county", "區": "county",
              "区": "county", "旗": "county"}  # fmt: skip
AGENCY = re.compile(
    r"(?P<place>[\u4e00-\u9fff]{2,12}?)?(?P<level>省|自治區|自治区|市|州|地區|地区|盟|縣|县|區|区|旗)?"
    r"(?P<body>民政廳|民政厅|民政局)"
)
MINISTRY = re.compile(r"民政部|全國民政|全国民政|國務院|国务院")
CONFERENCE = re.compile(r"全(?P<level>省|市|州|縣|县|區|区|旗|國|国)民政(?:工作)?(?:會議|会议|系統|系统)")
HEAD = 3000  # places are counted in the opening of a report: enough to tell its subject, linear in a long one
VENUE_BEFORE = ("在", "於", "于", "赴", "到")
LIST_AFTER = ("、", "等", "和", "及", "與", "与")


@dataclass(frozen=True)
class PlaceGuess:
    """The report's place, the words it was read from, the agency's words, and what was guessed."""

    division: Division
    words: tuple[int, int] | None  # the words naming the place
    agency_words: tuple[int, int] | None  # the words naming the reporting agency
    notes: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        return self.division.level


def _candidates(table: Divisions, name: str, level: str | None) -> list[Division]:
    found = table.find(name)
    if level:
        wanted = LEVEL_WORD.get(level)
        exact = [d for d in found if d.level == wanted]
        if exact:
            return exact
    return found


def _is_venue_or_list(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2) : start]
    after = text[end : end + 1]
    return before.endswith(VENUE_BEFORE) or after in LIST_AFTER or text[start - 1 : start] in ("、",)


def _mentions(text: str, table: Divisions, end: int, *, venues: bool = False) -> Counter[str]:
    """How often each division's name occurs outside venues and lists (full names count, short ones if 3+ chars or
    followed by a level word)."""
    counts: Counter[str] = Counter()
    for m in re.finditer(r"[\u4e00-\u9fff]{2,}", text[:end]):
        run = m.group(0)
        for i in range(len(run)):
            for j in range(min(len(run), i + 12), i + 1, -1):
                name = run[i:j]
                found = table.find(name)
                if not found:
                    continue
                start, stop = m.start() + i, m.start() + j
                if not venues and _is_venue_or_list(text, start, stop):
                    break
                best = found[0]
                full = name in (best.name, _t(best.name))
                if full or venues or len(name) >= 3 or text[stop : stop + 1] in LEVEL_WORD:
                    counts[best.code] += 1
                break
    return counts


def _t(name: str) -> str:
    return s2t(name)


def _relative(level: str, counts: Counter[str], table: Divisions) -> Division | None:
    """省民政廳 in a city's report: the province containing the places the report names. 市民政局 may be a
    prefecture's bureau or a county-level city's: the city (of either level) the report names most."""
    wanted = LEVEL_WORD.get(level)
    if level == "市":
        cities = Counter(
            {
                c: n
                for c, n in counts.items()
                if (d := table.get(c)) is not None and d.level in ("prefecture", "county") and d.name.endswith("市")
            }
        )
        if cities:
            return table.get(max(cities, key=lambda c: (cities[c], _level_rank(table, c))))
    votes: Counter[str] = Counter()
    for code, n in counts.items():
        d = table.get(code)
        if d is None:
            continue
        for a in [d, *table.ancestors(code)]:
            if a.level == wanted:
                votes[a.code] += n
    return table.get(votes.most_common(1)[0][0]) if votes else None


def report_place(text: str, head: int, override: str | None = None) -> PlaceGuess:
    """The place a report is about (`override`: a name or a GB/T 2260 code, from --place)."""
    table = divisions()
    if override:
        chosen = table.get(override) if override.isdigit() else next(iter(table.find(override)), None)
        if chosen is not None:
            return PlaceGuess(chosen, None, None, [])
    notes: list[str] = []
    counts = _mentions(text, table, min(len(text), HEAD))
    found: list[tuple[int, int, PlaceGuess]] = []  # (level rank, order, guess): the most local agency wins
    for m in AGENCY.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] in ("各",) or (m.group("place") or "").startswith("各"):
            continue  # 各市民政局: the agencies below the report's own
        if m.group("place"):
            name = m.group("place")
            # the longest tail of the words before the body that names a division (湘西州民政局, 長沙市民政局)
            for k in range(len(name)):
                tail = name[k:]
                cands = _candidates(table, tail, m.group("level"))
                if cands and not _is_venue_or_list(text, m.start("place") + k, m.end("place")):
                    chosen, why = cands[0], []
                    if len(cands) > 1:
                        chosen = _closest(cands, counts, table)
                        why.append(f"「{tail}」 names {len(cands)} divisions: {chosen.name} ({chosen.code}) chosen")
                    end = m.end("level") if m.group("level") else m.end("place")
                    found.append(
                        (
                            -_level_rank(table, chosen.code),
                            len(found),
                            PlaceGuess(chosen, (m.start("place") + k, end), m.span(), why),
                        )
                    )
                    break
            else:
                name = ""
            if name:
                continue
        if m.group("level"):
            relative = _relative(m.group("level"), counts, table)
            if relative is not None:
                why = [f"「{m.group(0)}」 names no place: taken as {relative.name}, which holds the places the report names"]
                found.append((-_level_rank(table, relative.code), len(found), PlaceGuess(relative, None, m.span(), why)))
    if found:
        best = min(found, key=lambda f: (f[0], f[1]))[2]
        return PlaceGuess(best.division, best.words, best.agency_words, notes + best.notes)
    if MINISTRY.search(text, 0, max(head, 400)) or re.search(r"全[國国]民政", text):
        ministry = MINISTRY.search(text)
        return PlaceGuess(table.get(NATION) or _nation(table), None, ministry.span() if ministry else None, notes)
    conf = CONFERENCE.search(text)
    if conf is not None and conf.group("level") in LEVEL_WORD:
        everywhere = _mentions(text, table, min(len(text), HEAD), venues=True)
        relative = _relative(conf.group("level"), everywhere, table)
        if relative is not None:
            notes.append(f"「{conf.group(0)}」 names no place: taken as {relative.name}, which holds the places the report names")
            return PlaceGuess(relative, None, None, notes)
    if counts:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], _level_rank(table, kv[0])))
        if conf is not None:
            wanted = LEVEL_WORD.get(conf.group("level"))
            at_level = [c for c, _n in ranked if (d := table.get(c)) is not None and d.level == wanted]
            if at_level:
                ranked = [(at_level[0], counts[at_level[0]])]
        chosen = table.get(ranked[0][0])
        assert chosen is not None
        notes.append(f"no reporting agency named with its place: taken as {chosen.name}, the place the text names most")
        return PlaceGuess(chosen, None, None, notes)
    notes.append("the text names no place: the nation is a guess")
    return PlaceGuess(table.get(NATION) or _nation(table), None, None, notes)


def _nation(table: Divisions) -> Division:
    found = table.find("全国")
    assert found, "the divisions table holds the nation"
    return found[0]


def _level_rank(table: Divisions, code: str) -> int:
    d = table.get(code)
    return ("nation", "province", "prefecture", "county").index(d.level) if d else 9


def _closest(found: list[Division], counts: Counter[str], table: Divisions) -> Division:
    """Of namesakes, the one inside the divisions the report names most."""

    def score(d: Division) -> int:
        return sum(n for code, n in counts.items() if code != d.code and table.contains(code, d.code))

    return max(found, key=score)
