"""Stage *periods*: the report's date, the years it reviews and plans, and a clause's or figure's own year.

Nothing here refuses: what the text does not say is guessed and the guess comes back with a note naming the words
it was taken from (or that there were none), which the writer turns into a review mark.

- **Date**: a full date in the opening lines (2023年1月12日), a page date (2023-03-31 14:39), the page's own date
  (HTML), or a month and day (1月12日) in the year the report plans.
- **Years**: explicit words first — 總結/回顧…2022年, 2022年工作總結/進展/成效, "2022年…取得"; 部署/安排…2023年,
  2023年工作計劃/要點/重點任務; the conference's own year (2023年全市民政工作會議) is the year planned. Then words
  relative to the date: 去年, 今年, 明年. Failing those, the date: a report given in the first quarter reviews the
  year before and plans its own year. Failing that, the years the text names most.
- **Own years**: a clause or figure that names its own year (2021年以來, 截至今年3月, 去年, 2020—2022年, 十四五)
  takes it; otherwise its section's.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

DATE_FULL = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
DATE_SHORT = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
REVIEWED = [
    re.compile(r"(?:總結|总结|回顧|回顾|盤點|盘点)了?((?:19|20)\d{2})年"),
    re.compile(
        r"((?:19|20)\d{2})年(?:度)?(?:全[省市縣县區区州國国盟旗])?(?:民政)?(?:工作)?(?:總結|总结|進展|进展|成效|回顧|回顾|情況|情况)"
    ),
    re.compile(r"((?:19|20)\d{2})年[,，、]?[^。\n]{0,16}(?:取得|成效|成績|成绩)"),
]
PLANNED = [
    re.compile(r"(?:部署|安排|研究部署|謀劃|谋划)了?((?:19|20)\d{2})年"),
    re.compile(
        r"((?:19|20)\d{2})年(?:度)?(?:全[省市縣县區区州國国盟旗])?(?:民政)?(?:工作)?"
        r"(?:計劃|计划|要點|要点|思路|重點任務|重点任务|主要任務|主要任务|重點工作|重点工作|工作安排|目標|目标)"
    ),
    re.compile(r"((?:19|20)\d{2})年(?:全[省市縣县區区州國国盟旗]|全[國国])?(?:[\u4e00-\u9fff]{0,8})?民政工作(?:會議|会议)"),
]
RELATIVE = {"去年": -1, "上年": -1, "上一年": -1, "今年": 0, "本年": 0, "當年": 0, "当年": 0, "明年": 1, "下一年": 1}
PLAN_PERIODS = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
SPAN = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[—–\-－~～至到]\s*((?:19|20)\d{2})\s*年")
DEADLINE_BEFORE = ("到", "至", "於", "于")
DEADLINE_AFTER = ("前", "底前", "年底", "底")
EVENT_AFTER = re.compile(r"(?:度)?(?:全[省市縣县區区州國国盟旗])?[\u4e00-\u9fff]{0,6}?(?:會議|会议|工作會|工作会|推進會|推进会)")
PAST_YEARS = re.compile(r"(?:過去|过去|近)([0-9一二三四五六七八九十兩两]{1,2})年")


@dataclass(frozen=True)
class Years:
    """The years a report reviews and plans, its date, and how each was found."""

    reviewed: int | None
    planned: int | None
    date: str | None  # ISO date
    notes: list[str] = field(default_factory=list)  # what was guessed, and from which words


@dataclass(frozen=True)
class OwnPeriod:
    """The period a clause or figure names itself: a year or a span of years, with the words that say it."""

    start: int
    end: int
    words: str

    @property
    def span(self) -> bool:
        return self.end != self.start


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:  # 13月40日 is no date
        return None


def report_date(text: str, head: int, page_date: str | None = None, year_hint: int | None = None) -> tuple[str | None, str]:
    """The conference's or publication's date and the words it was read from ('' when none): a full date in the
    opening lines, else a month and day there in the year of the report, else a page date, else a date line that
    signs the report at its end."""
    for m in DATE_FULL.finditer(text, 0, head):
        found = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if found:
            return found, m.group(0)
    if year_hint is not None:
        for m in DATE_SHORT.finditer(text, 0, head):
            found = _iso(year_hint, int(m.group(1)), int(m.group(2)))
            if found:
                return found, m.group(0)
    for m in DATE_ISO.finditer(text, 0, head):
        found = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if found:
            return found, m.group(0)
    if page_date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", page_date):
        return page_date, "the page's date"
    for line in reversed(text.rstrip().split("\n")[-3:]):
        signed = DATE_FULL.fullmatch(line.strip())
        if signed is not None and (found := _iso(int(signed.group(1)), int(signed.group(2)), int(signed.group(3)))):
            return found, signed.group(0)
    return None, ""


def _first(patterns: list[re.Pattern[str]], text: str, end: int) -> re.Match[str] | None:
    found = [m for p in patterns if (m := p.search(text, 0, end)) is not None]
    return min(found, key=lambda m: m.start()) if found else None


def years(
    text: str,
    head: int,
    *,
    page_date: str | None = None,
    reviewed: int | None = None,
    planned: int | None = None,
    date: str | None = None,
    has_plan: bool = True,
) -> Years:
    """The report's years and date; flags override, the text decides next, guesses are noted."""
    notes: list[str] = []
    lead = text[: max(head, 600)]
    r_match = _first(REVIEWED, lead, len(lead))
    p_match = _first(PLANNED, lead, len(lead))
    r = reviewed if reviewed is not None else (int(r_match.group(1)) if r_match else None)
    p = planned if planned is not None else (int(p_match.group(1)) if p_match else None)
    hint = p if p is not None else (r + 1 if r is not None else None)
    found_date, date_words = (date, "--date") if date else report_date(text, max(head, 300), page_date, hint)
    if found_date is None and hint is None:
        counted = Counter(int(y) for y in YEAR.findall(text))
        if counted:
            hint = max(counted)  # a report plans its latest year, or reviews it
        found_date, date_words = report_date(text, max(head, 300), page_date, hint)
    date_year = int(found_date[:4]) if found_date else None
    if r is None and p is None:
        if date_year is not None:
            month = int(found_date[5:7]) if found_date else 1
            if re.search(r"[一二三四]季度|上半年|前三季度|[1-9][—–\-~至]\d{1,2}月", lead):
                r, p = date_year, date_year  # a report within the year: it reviews and plans the same year
            else:
                r, p = (date_year - 1, date_year) if month <= 6 else (date_year, date_year + 1)
            notes.append(f"no year reviewed or planned is named: taken from the date {found_date} ({date_words})")
        else:
            counted = Counter(int(y) for y in YEAR.findall(text))
            if counted:
                r = max(counted)
                notes.append(f"no year reviewed or planned is named and no date: taken as {r}, the latest year the text names")
            else:
                r = datetime.date.today().year - 1
                notes.append(f"the text names no year and no date: {r} is a guess")
    if r is None and p is not None:
        r = p - 1
        if reviewed is None:
            notes.append(f"the year reviewed is not named: taken as the year before the year planned ({p})")
    if has_plan and p is None and r is not None:
        p = r + 1
        if planned is None:
            notes.append(f"the year planned is not named: taken as the year after the year reviewed ({r})")
    if not has_plan and planned is None and p_match is None:
        p = None
    if found_date is None and date is None:
        notes.append("the text gives no date")
    return Years(r, p, found_date, notes)


def own_period(words: str, date_year: int | None) -> OwnPeriod | None:
    """The period a clause or phrase names itself, if any (the first one it names)."""
    found: list[tuple[int, OwnPeriod]] = []
    if (m := SPAN.search(words)) is not None:
        a, b = int(m.group(1)), int(m.group(2))
        if a < b:
            found.append((m.start(), OwnPeriod(a, b, m.group(0))))
    for name, (a, b) in PLAN_PERIODS.items():
        if (i := words.find(name)) >= 0:
            found.append((i, OwnPeriod(a, b, name)))
    for m in YEAR.finditer(words):
        if any(i <= m.start() < i + len(o.words) for i, o in found):
            continue
        if words[max(0, m.start() - 1) : m.start()] in DEADLINE_BEFORE or words[m.end() : m.end() + 2].startswith(DEADLINE_AFTER):
            continue  # 到2025年, 2025年前: a deadline, not the period the words are about
        if EVENT_AFTER.match(words, m.end()):
            continue  # 2023年全市民政工作會議: the name of the event, not a period the words are about
        year = int(m.group(1))
        found.append((m.start(), OwnPeriod(year, year, m.group(0))))
        break
    if date_year is not None:
        for word, offset in RELATIVE.items():
            i = words.find(word)
            if i >= 0 and words[max(0, i - 1) : i] not in ("比", "較", "较", "同", "於", "于"):  # 比去年: a base, not a period
                found.append((i, OwnPeriod(date_year + offset, date_year + offset, word)))
        if (m := PAST_YEARS.search(words)) is not None:
            n = _small(m.group(1))
            if n:
                found.append((m.start(), OwnPeriod(date_year - n, date_year - 1, m.group(0))))
    return min(found, key=lambda f: f[0])[1] if found else None


def _small(written: str) -> int:
    if written.isdigit():
        return int(written)
    digits = {"一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
    if written.startswith("十"):
        return 10 + digits.get(written[1:], 0)
    return digits.get(written[0], 0) * (10 if written.endswith("十") and len(written) > 1 else 1)
