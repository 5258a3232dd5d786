"""Stage *segment*: a report's title, its sections (lead, review, plan) and its clauses, headings and table rows.

- **Title**: the page's title, else the opening line when it is a heading (no full stop, at most 60 characters).
- **Sections**: the review starts at the sentence that holds the first review marker (會議指出, 一年來, 據悉,
  記者從會議上獲悉, "2022年工作進展" …: the words of `section-kind/review` in data/concepts.ttl), the plan at the
  first plan marker after it (下一步, 工作計劃, 會議要求, "部署…2023年" …: `section-kind/plan`) that stands at the
  start of a line or sentence, or names the year planned, or is one that never means anything else; a marker at
  the end of a review paragraph starts the plan there. No review marker: the review starts after the opening
  paragraph. No plan marker: the report plans nothing.
- **Clauses**: text between 。;!? and line ends, and each item of 一是…二是…三是…; a heading line (一、…, (一)…,
  or a short line without a full stop) is a heading, not a clause.
- **Tables**: rows whose cells are separated by ` | ` (as reading writes them) or runs of spaces; a header row of
  years gives each column its year.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from ..figures import Lexicon, figures_in, lexicon

HAN = re.compile(r"[\u4e00-\u9fff]")
CLAUSE_END = re.compile(r"[。;；!！?？\n]")
ITEM = re.compile(r"[,，;；:：]\s*(?=(?:[一二三四五六七八九十]|十[一二三四五六七八九])是)")
NUMBERED_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[,，、部分]|\d{1,2}[、.．](?!\d))"
)
CELL_SPLIT = re.compile(r"\s*\|\s*|\s{2,}")
ROW_UNIT = re.compile(r"[(（]([^()（）]{1,4})[)）]\s*$")
YEAR_CELL = re.compile(r"^((?:19|20)\d{2})\s*年?(?:度)?$")
STRONG_PLAN = ("下一步", "下一階段", "下一阶段", "工作計劃", "工作计划", "部署安排", "會議要求", "会议要求", "會議強調", "会议强调",
               "會議提出", "会议提出", "工作要點", "工作要点", "今後", "今后")  # fmt: skip
SOFT_REVIEW = ("取得", "以來", "以来")  # review words that need the year reviewed beside them


@dataclass(frozen=True)
class Section:
    kind: str  # lead, review, plan
    start: int
    end: int
    year: int | None
    guessed: str | None = None  # why the start is a guess


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    heading: bool = False


@dataclass(frozen=True)
class Table:
    """A table whose header names years: the span of each column's cells, by year."""

    start: int
    end: int
    columns: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # year → cell spans
    units: dict[tuple[int, int], str] = field(default_factory=dict)  # a row's span → the unit slug its header names
    headers: dict[int, str] = field(default_factory=dict)  # year → its header cell as written (2021年)


def line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def line_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def is_heading(line: str) -> bool:
    line = line.strip()
    if not line or not HAN.search(line):
        return False
    if NUMBERED_HEADING.match(line) and len(line) <= 40 and "。" not in line.rstrip("。"):
        return True
    return "。" not in line and len(line) <= 40 and "|" not in line


def title(text: str, page_title: str | None) -> tuple[int, int] | None:
    """The span of the report's headline: the page's title where the text holds it, else a heading-like opening
    line (the first of the first three lines that is one)."""
    if page_title:
        at = text.find(page_title.strip())
        if at >= 0:
            return at, at + len(page_title.strip())
    start = 0
    for _ in range(3):
        end = line_end(text, start)
        line = text[start:end]
        stripped = line.strip()
        if (
            stripped
            and not stripped.startswith(("(", "（"))
            and "。" not in stripped
            and 6 <= len(stripped) <= 60
            and HAN.search(line)
        ):
            offset = len(line) - len(line.lstrip())
            return start + offset, start + offset + len(stripped)
        if end >= len(text):
            break
        start = end + 1
    return None


def _sentence_start(text: str, i: int, floor: int = 0) -> int:
    j = max(text.rfind(c, floor, i) for c in "。;；!！?？\n")
    return floor if j < floor else j + 1


def _markers(lex: Lexicon, kind: str) -> list[str]:
    return lex.sections.get(kind, [])


SUMMARY = re.compile(r"(?:總結|总结|回顧|回顾)[^。\n]{0,40}(?:部署|安排)")  # 總結2022年工作,部署2023年任務: the lead
PLAN_SENTENCE = re.compile(
    r"\s*(?:(?P<year>(?:19|20)\d{2})年|今年|明年|新的一年)[^。\n]{0,16}?(?:要|將|将|力爭|力争|確保|确保|計劃|计划|重點|重点|著力|着力)"
)


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, i = [], start
    for m in re.finditer(r"[。;；!！?？\n]", text[start:end]):
        out.append((i, start + m.end()))
        i = start + m.end()
    if i < end:
        out.append((i, end))
    return out


def sections(text: str, body_end: int, lex: Lexicon, *, after: int, reviewed: int | None, planned: int | None) -> list[Section]:
    """Lead, review and plan (the plan only when the report has one)."""
    summary = [m.span() for m in SUMMARY.finditer(text, after, body_end)]

    starts = [a - 30 for a, _b in summary]

    def in_summary(i: int) -> bool:
        k = bisect.bisect_right(starts, i) - 1
        return k >= 0 and i < summary[k][1]

    review_at, guessed = None, None
    for word in _markers(lex, "review"):
        for m in re.finditer(re.escape(word), text[:body_end]):
            if m.start() < after or in_summary(m.start()):
                continue
            if word in SOFT_REVIEW and (reviewed is None or str(reviewed) not in text[max(0, m.start() - 20) : m.start()]):
                continue
            if review_at is None or m.start() < review_at:
                review_at = m.start()
            break
    # the first sentence with a figure, or the first numbered heading, is in the review at the latest
    fallback = None
    for a, b in _sentences(text, after, body_end):
        chunk = text[a:b]
        if in_summary(a) or not chunk.strip():
            continue
        if NUMBERED_HEADING.match(chunk) or figures_in(chunk, lex):
            fallback = a
            break
    if review_at is None or (fallback is not None and fallback < _sentence_start(text, review_at, after)):
        if fallback is not None:
            if review_at is None:
                guessed = "no review marker (會議指出, 一年來, 據悉 …): the review is taken to start at the first figure"
            review_at = fallback
        else:
            review_at = after
            guessed = "no review marker (會議指出, 一年來, 據悉 …) and no figure: the review is taken to start after the title"
    review_start = _sentence_start(text, review_at, after)
    plan_at = None
    for word in _markers(lex, "plan"):
        for m in re.finditer(re.escape(word), text[review_start:body_end]):
            at = review_start + m.start()
            if in_summary(at):
                continue
            if _is_plan_start(text, at, word, review_start, planned):
                if plan_at is None or at < plan_at:
                    plan_at = at
                break
    for a, _b in _sentences(text, review_start + 1, body_end):
        p = PLAN_SENTENCE.match(text, a)
        if p is not None and (p.group("year") is None or planned is None or int(p.group("year")) == planned):
            if p.group("year") is not None and reviewed is not None and int(p.group("year")) == reviewed:
                continue
            if plan_at is None or a < plan_at:
                plan_at = a
            break
    out = [Section("lead", 0, review_start, None)]
    if plan_at is None:
        out.append(Section("review", review_start, body_end, reviewed, guessed))
        return out
    plan_start = _sentence_start(text, plan_at, review_start)
    heading_line = line_start(text, plan_start - 1) if plan_start > 0 and text[plan_start - 1] == "\n" else None
    if heading_line is not None and heading_line > review_start and is_heading(text[heading_line : plan_start - 1]):
        plan_start = heading_line
    out.append(Section("review", review_start, plan_start, reviewed, guessed))
    out.append(Section("plan", plan_start, body_end, planned, None if planned is not None else "no year planned is named"))
    return out


def _is_plan_start(text: str, at: int, word: str, floor: int, planned: int | None) -> bool:
    sentence = _sentence_start(text, at, floor)
    window = text[sentence : at + len(word) + 24]
    if word in STRONG_PLAN:
        return True
    if planned is not None and str(planned) in window:
        return True
    if re.search(r"明年|今年[,，]?(?:全[省市縣县區区州國国])?(?:民政)?(?:系統|系统|部門|部门)?(?:要|將|将)", window):
        return True
    starts_line = text[line_start(text, at) : at].strip() == "" or is_heading(text[line_start(text, at) : line_end(text, at)])
    return starts_line and word not in ("部署",)


def clauses(text: str, start: int, end: int) -> list[Clause]:
    """The clauses of a section: sentences split at 。;!? and line ends, and at each 二是/三是 item; headings
    marked."""
    out: list[Clause] = []
    pieces: list[tuple[int, int]] = []
    i = start
    for m in CLAUSE_END.finditer(text, start, end):
        pieces.append((i, m.start()))
        i = m.end()
    pieces.append((i, end))
    for a, b in pieces:
        cuts = [a] + [m.end() for m in ITEM.finditer(text, a, b)] + [b]
        for x, y in itertools.pairwise(cuts):
            while x < y and text[x] in " ,，、:：|":
                x += 1
            while y > x and text[y - 1] in " ,，、:：|":
                y -= 1
            if len(HAN.findall(text[x:y])) < 2 and not re.search(r"\d", text[x:y]):
                continue
            line = text[line_start(text, x) : line_end(text, x)]
            heading = (
                (a == line_start(text, a) or text[a - 1 : a] == "\n")
                and is_heading(line)
                and (x, y)
                == (
                    line_start(text, x) + len(line) - len(line.lstrip()),
                    line_start(text, x) + len(line.rstrip()),
                )
            )
            if NUMBERED_HEADING.match(text[x:y]) and len(text[x:y]) <= 14:
                heading = True  # （一）社會救助: a numbered label before its first sentence
            out.append(Clause(x, y, heading))
    return out


def tables(text: str) -> list[Table]:
    """Tables whose header row names two or more years: the cells of each year's column."""
    found: list[Table] = []
    lines = []
    i = 0
    for line in text.split("\n"):
        lines.append((i, line))
        i += len(line) + 1
    k = 0
    while k < len(lines):
        start, line = lines[k]
        cells = _cells(start, line)
        years = {j: int(m.group(1)) for j, (_a, _b, c) in enumerate(cells) if (m := YEAR_CELL.match(c))}
        if len(years) >= 2:
            table = Table(start, start + len(line), headers={y: cells[j][2] for j, y in years.items()})
            k += 1
            while k < len(lines):
                row_start, row = lines[k]
                row_cells = _cells(row_start, row)
                if len(row_cells) < 2:
                    break
                unit = ROW_UNIT.search(row_cells[0][2])
                if unit is not None and unit.group(1) in lex_units():
                    table.units[(row_start, row_start + len(row))] = lex_units()[unit.group(1)]
                for j, year in years.items():
                    if j < len(row_cells):
                        a, b, _c = row_cells[j]
                        table.columns.setdefault(year, []).append((a, b))
                k += 1
            found.append(Table(table.start, lines[k - 1][0] + len(lines[k - 1][1]), table.columns, table.units, table.headers))
            continue
        k += 1
    return found


def _cells(start: int, line: str) -> list[tuple[int, int, str]]:
    out, i = [], 0
    for m in [*CELL_SPLIT.finditer(line), None]:
        j = m.start() if m is not None else len(line)
        cell = line[i:j]
        if cell.strip():
            lead = len(cell) - len(cell.lstrip())
            out.append((start + i + lead, start + i + lead + len(cell.strip()), cell.strip()))
        if m is not None:
            i = m.end()
    return out


def lex_units() -> dict[str, str]:
    return lexicon().units
