"""Reading a report's text into a draft: its years and sections, its event, one statement per clause, every
figure, and the entities it names. Nothing here writes RDF (see `write`); what the reading is unsure of carries a
review note.

The rules, in the order they apply:
- **Years**: "總結…2022年" gives the year reviewed and "部署2023年" the year planned (either from the other ± 1);
  the `--reviewed-year` and `--planned-year` flags override both.
- **Sections**: the review starts at the line holding its first marker (or at the headline on the line before it) (會議指出, "2022年…取得", 一年來 …), the plan
  at the line holding the first plan marker after it ("部署…2023年", "2023年…重點任務" …); the lead is what comes
  before. A statement or figure takes its kind and year from its section.
- **Statements**: every clause of the review and the plan (text between 。;;!? and line breaks) with at least four
  Han characters that says something done or to do: it has a verb of the action-type scheme, a figure or an entity.
- **Figures**: every figure `mzkg.features.figures` finds, except years (2022年), dates (1月10日), ordinals (第3),
  unitless numbers inside quoted names and Chinese numerals with neither a scale nor a hedge (兩項補貼, 四級).
  A figure without a unit word gets one the text implies (萬低收入人口 → people) or none, and a review note.
- **Entities**: known entities by the gazetteer; new candidates from quoted names ending in a programme or
  mechanism word (“…工程”, “…行動”, “…機制”) and from 《…》 document titles, each with a review note.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ...core.errors import UsageError
from .. import figures as fig
from .gazetteer import Gazetteer, Mention

HAN = re.compile(r"[\u4e00-\u9fff]")
CLAUSE_END = re.compile(r"[。;;!!??\n]")
REVIEWED = re.compile(r"(?:總結|总结|回顧|回顾)了?(\d{4})年")
PLANNED = re.compile(r"(?:部署|安排)了?(\d{4})年")
REVIEW_MARKERS = [
    re.compile(r"(?:會議|会议)(?:指出|認為|认为|充分肯定)"),
    re.compile(r"(\d{4})年[,,、]?[^。\n]{0,16}(?:取得|成效|成績|成绩|進展|进展)"),
    re.compile(r"一年來|一年来|過去一年|过去一年"),
]
PLAN_MARKERS = [
    re.compile(r"(?:會議|会议)?(?:部署|要求|強調|强调|明確|明确|提出)[^。\n]{0,8}(\d{4})年"),
    re.compile(r"(\d{4})年[^。\n]{0,20}(?:重點任務|重点任务|主要任務|主要任务|重點工作|重点工作|工作安排|工作思路)"),
]
CONFERENCE = re.compile(
    r"(?:\d{4}年)?(?:全省|全市|全區|全区|全縣|全县|[\u4e00-\u9fff]{2,4}?(?:省|市|自治區|自治区))?民政工作(?:會議|会议)"
)
LOCATION = re.compile(r"在([\u4e00-\u9fff]{2,4}?)(?:召開|召开|舉行|举行|開幕|开幕)")
DATE_FULL = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
DATE_SHORT = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
REPORT_WORDS = re.compile(r"工作報告|工作报告")
REPORTER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{0,6}(?:民政廳|民政厅|民政局))(?:黨組書記、|党组书记、)?"
    r"(?P<post>廳長|厅长|局長|局长|主任)(?P<name>[\u4e00-\u9fff]{2,3}?)(?:作|做)了?(?:工作)?(?:報告|报告)"
)
AGENCY_AFTER_PLACE = re.compile(r"(?:省|市)?(?:民政廳|民政厅|民政局)")
# a place the graph does not know: two or three characters that start a phrase (after punctuation or a line break)
NEW_AGENCY = re.compile(r"(?<![\u4e00-\u9fff])(?P<place>[\u4e00-\u9fff]{2,3}?)(?P<level>省|市)(?P<body>民政廳|民政厅|民政局)")
QUOTED = re.compile(r"“([^”\n]{2,24})”")
BOOK = re.compile(r"《([^》\n]{2,40})》")
PROGRAMME_WORDS = ("工程", "行動", "行动", "計劃", "计划", "活動", "活动", "項目", "项目")
MECHANISM_WORDS = ("機制", "机制")
NOT_FIGURE_AFTER = set("月日號号時时屆届期批級级")
PEOPLE = re.compile(
    r"^[\u4e00-\u9fff]{0,4}?(?:人口|群眾|群众|老年人|老人|兒童|儿童|對象|对象|孤兒|孤儿|殘疾人|残疾人|社工|志願者|志愿者|人員|人员|學生|学生)"
)
HOUSEHOLDS = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:家庭|戶|户)")
FLOW_WORDS = ("投入", "發放", "发放", "籌集", "筹集", "支出", "撥付", "拨付", "銷售", "销售", "新增", "培訓", "培训", "救助",
              "解決", "解决", "核查", "減輕", "减轻", "資助", "资助")  # fmt: skip
STOCK_WORDS = ("信託", "信托", "注冊", "注册", "登記", "登记", "共有", "現有", "现有", "存量", "余額", "餘額")


@dataclass
class FigureDraft:
    figure: fig.Figure
    year: int
    is_target: bool
    unit: str  # a unit slug
    unit_implied: bool
    kind: str  # stock, flow, rate, duration
    measures: str  # an IRI
    clause: tuple[int, int]
    notes: list[str] = field(default_factory=list)


@dataclass
class Candidate:
    start: int
    end: int
    name: str
    cls: str  # Programme, WorkingMechanism, PolicyDocument


@dataclass
class StatementDraft:
    kind: str  # Achievement or Task
    year: int
    start: int
    end: int
    action: str | None
    mentions: list[Mention]
    candidates: list[Candidate]
    figures: list[FigureDraft]


@dataclass
class Section:
    kind: str  # lead, review, plan
    start: int
    end: int
    year: int | None


@dataclass
class Draft:
    text: str
    reviewed: int
    planned: int
    sections: list[Section]
    statements: list[StatementDraft]
    conference: tuple[int, int] | None  # the span naming the conference
    location: Mention | None
    date: str | None  # ISO date, when the text gives it
    report_words: tuple[int, int] | None
    reporter: re.Match[str] | None
    place: Mention | None
    place_words: tuple[int, int, str] | None  # a place the graph does not know: (start, end, name)
    agency_words: tuple[int, int] | None
    mentions: list[Mention] = field(default_factory=list)  # every known entity the text names, outside 《titles》


def _years(text: str, reviewed: int | None, planned: int | None) -> tuple[int, int]:
    lead = text[:600]
    r = reviewed or next((int(m.group(1)) for m in REVIEWED.finditer(lead)), None)
    p = planned or next((int(m.group(1)) for m in PLANNED.finditer(lead)), None)
    if r is None and p is None:
        for pattern in PLAN_MARKERS:
            m = pattern.search(text)
            if m:
                p = int(m.group(1))
                break
    if r is None and p is None:
        raise UsageError("cannot tell which years the report reviews and plans: give --reviewed-year and --planned-year")
    return (r if r is not None else p - 1), (p if p is not None else r + 1)  # type: ignore[operator]


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _with_headline(text: str, start: int, floor: int) -> int:
    """A section starts at its headline when one stands on the line before it (a short line with no full stop)."""
    if start <= floor + 1:
        return start
    previous = _line_start(text, start - 1)
    line = text[previous : start - 1]
    if previous > floor and line.strip() and "。" not in line and len(line) <= 40:
        return previous
    return start


def _sections(text: str, body_end: int, reviewed: int, planned: int) -> list[Section]:
    review_at = None
    for pattern in REVIEW_MARKERS:
        for m in pattern.finditer(text, 0, body_end):
            if m.lastindex and m.group(1) and int(m.group(1)) != reviewed:
                continue
            if review_at is None or m.start() < review_at:
                review_at = m.start()
            break
    if review_at is None:
        raise UsageError("cannot find where the report reviews its year (會議指出, 一年來, '…年…取得' …)")
    review_start = _line_start(text, review_at) if text.rfind("\n", 0, review_at) >= 0 else review_at
    if review_start == 0:
        review_start = review_at
    review_start = _with_headline(text, review_start, 0)
    plan_at = None
    for pattern in PLAN_MARKERS:
        for m in pattern.finditer(text, review_at + 1, body_end):
            if int(m.group(1)) != planned:
                continue
            if plan_at is None or m.start() < plan_at:
                plan_at = m.start()
            break
    if plan_at is None:
        raise UsageError(f"cannot find where the report plans {planned} ('部署…{planned}年', '{planned}年…重點任務' …)")
    plan_start = _with_headline(text, _line_start(text, plan_at), review_start)
    if plan_start <= review_start:
        plan_start = plan_at
    return [
        Section("lead", 0, review_start, None),
        Section("review", review_start, plan_start, reviewed),
        Section("plan", plan_start, body_end, planned),
    ]


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, i = [], start
    for m in CLAUSE_END.finditer(text, start, end):
        out.append((i, m.start()))
        i = m.end()
    out.append((i, end))
    spans = []
    for a, b in out:
        while a < b and text[a] in " ,,、:: ":
            a += 1
        if len(HAN.findall(text[a:b])) >= 4:
            spans.append((a, b))
    return spans


def _inside_quotes(text: str, start: int, clause: tuple[int, int]) -> bool:
    before = text[clause[0] : start]
    return before.count("“") > before.count("”")


def _keep(text: str, f: fig.Figure, clause: tuple[int, int]) -> bool:
    arabic = any(c.isdigit() for c in f.text)
    if not arabic and not f.scale and not f.hedge:
        return False  # 兩項補貼, 四級: names and ordinals
    if f.unit == "年" and f.number >= 1900 and f.number < 2100 and not f.hedge:
        return False  # a year
    after = text[f.end : f.end + 1]
    if after and after in NOT_FIGURE_AFTER:
        return False  # 1月10日, 3屆
    if text[f.start - 1 : f.start] == "第":
        return False
    return not (_inside_quotes(text, f.start, clause) and not (arabic and f.unit))


def _unit(text: str, f: fig.Figure) -> tuple[str, bool, list[str]]:
    if f.unit_slug:
        return f.unit_slug, False, []
    following = text[f.end : f.end + 10]
    if PEOPLE.match(following):
        return "person", True, [f"no unit written: counted as people from 「{following[:6]}」"]
    if HOUSEHOLDS.match(following):
        return "household", True, [f"no unit written: counted as households from 「{following[:6]}」"]
    return "number", True, ["no unit written and none implied: a plain number"]


def _kind(unit: str, clause_text: str) -> str:
    if unit == "percent":
        return "rate"
    if unit in ("year", "minute"):
        return "duration"
    if unit == "person-time":
        return "flow"
    if any(w in clause_text for w in STOCK_WORDS):
        return "stock"
    if any(w in clause_text for w in FLOW_WORDS):
        return "flow"
    return "stock"


def _candidates(text: str, start: int, end: int, known: list[Mention]) -> list[Candidate]:
    taken = {(m.start, m.end) for m in known}
    out = []
    for m in QUOTED.finditer(text, start, end):
        name = m.group(1)
        cls = "Programme" if name.endswith(PROGRAMME_WORDS) else "WorkingMechanism" if name.endswith(MECHANISM_WORDS) else None
        if cls and not any(a <= m.start(1) and m.end(1) <= b for a, b in taken):
            out.append(Candidate(m.start(1), m.end(1), name, cls))
    out.extend(
        Candidate(m.start(1), m.end(1), m.group(1), "PolicyDocument")
        for m in BOOK.finditer(text, start, end)
        if not any(a <= m.start(1) and m.end(1) <= b for a, b in taken)
    )
    return out


MEASURABLE = ("InstitutionType", "Programme", "PublicService", "TargetGroup", "ActorGroup", "TieredNetwork", "Policy")


SEGMENT_END = re.compile(r"[,,、]")


def _measured(
    text: str, f: fig.Figure, mentions: list[Mention], candidates: list[Candidate], fallback: str
) -> tuple[str, list[str]]:
    """What a figure measures: a thing named in its own phrase (between commas), before it first (覆蓋率達到98.5%
    measures the 社工站 named before it), then after it (398萬低收入人口); failing that the nearest thing in its
    clause (the last one named before it, else the first after it), with a review note; failing that the report's
    place, with a note."""
    seg_start = max((m.end() for m in SEGMENT_END.finditer(text, 0, f.start)), default=0)
    seg_end = next((m.start() for m in SEGMENT_END.finditer(text, f.end)), len(text))
    things = [(m.start, m.end, m.iri) for m in mentions if m.cls in MEASURABLE]
    things += [(c.start, c.end, f"candidate:{c.name}") for c in candidates]
    before = sorted((f.start - b, iri) for a, b, iri in things if seg_start <= a and b <= f.start)
    after = sorted((a - f.end, iri) for a, b, iri in things if f.end <= a and b <= seg_end)
    if before or after:
        return (before or after)[0][1], []
    earlier = sorted((f.start - b, iri) for a, b, iri in things if b <= f.start)  # the topic carries over
    later = sorted((a - f.end, iri) for a, b, iri in things if a >= f.end)
    if earlier or later:
        return (earlier or later)[0][1], ["the measured thing is not named in the figure's own phrase: taken from its clause"]
    return fallback, ["no measured thing found in its clause: set to the report's place"]


def _is_headline(text: str, st: StatementDraft) -> bool:
    line_start = _line_start(text, st.start)
    line_end = text.find("\n", st.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return "。" not in line and len(line) <= 40


def _drop_restated_figures(text: str, statements: list[StatementDraft]) -> None:
    """A headline restates its section's body: a figure it shares with a later statement of the same kind and year
    is that statement's, not a second figure."""
    for i, st in enumerate(statements):
        if not st.figures or not _is_headline(text, st):
            continue
        later = {f.figure.text for s in statements[i + 1 :] if (s.kind, s.year) == (st.kind, st.year) for f in s.figures}
        st.figures = [f for f in st.figures if f.figure.text not in later]


def annotate(text: str, gaz: Gazetteer, body_end: int, *, reviewed: int | None = None, planned: int | None = None) -> Draft:
    """The draft of one report's text."""
    r_year, p_year = _years(text, reviewed, planned)
    sections = _sections(text, body_end, r_year, p_year)
    lead = sections[0]
    titles = [m.span(1) for m in BOOK.finditer(text)]
    mentions_all = [m for m in gaz.mentions(text) if not any(a <= m.start and m.end <= b for a, b in titles)]
    place, place_words, agency_words = _place(text, mentions_all, lead, gaz)
    fallback = place.iri if place else "candidate-place"
    statements: list[StatementDraft] = []
    for section in sections[1:]:
        assert section.year is not None
        for a, b in _clauses(text, section.start, section.end):
            mentions = [m for m in mentions_all if a <= m.start and m.end <= b]
            candidates = _candidates(text, a, b, mentions)
            figures = []
            for f in fig.find(text[a:b]):
                f = fig.Figure(f.text, f.number, f.scale, f.unit, f.hedge, f.start + a, f.end + a)
                if not _keep(text, f, (a, b)):
                    continue
                unit, implied, notes = _unit(text, f)
                measures, more = _measured(text, f, mentions, candidates, fallback)
                figures.append(
                    FigureDraft(
                        f,
                        section.year,
                        section.kind == "plan",
                        unit,
                        implied,
                        _kind(unit, text[a:b]),
                        measures,
                        (a, b),
                        notes + more,
                    )
                )
            kind = "Achievement" if section.kind == "review" else "Task"
            action = gaz.action(text[a:b])
            if not (action or figures or mentions or candidates):
                continue  # a heading or a sentence that says nothing done or to do (2024年重點任務)
            statements.append(StatementDraft(kind, section.year, a, b, action, mentions, candidates, figures))
    _drop_restated_figures(text, statements)
    head = max(lead.end, min(len(text), 300))  # where the event is named: the lead, or the opening lines
    conf = CONFERENCE.search(text, 0, head)
    loc_match = LOCATION.search(text, 0, head)
    location = None
    if loc_match:
        location = next((m for m in mentions_all if m.cls == "Place" and m.start == loc_match.start(1)), None)
    date = _date(text, head, p_year)
    words = REPORT_WORDS.search(text, 0, head)
    return Draft(
        text=text,
        reviewed=r_year,
        planned=p_year,
        sections=sections,
        statements=statements,
        conference=conf.span() if conf else None,
        location=location,
        date=date,
        report_words=words.span() if words else None,
        reporter=REPORTER.search(text, 0, head),
        place=place,
        place_words=place_words,
        agency_words=agency_words,
        mentions=mentions_all,
    )


def _date(text: str, end: int, planned: int) -> str | None:
    """The conference's date when the text gives one that exists (2023年1月12日, or 1月12日 in the planned year)."""
    for m in DATE_FULL.finditer(text, 0, end):
        found = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if found:
            return found
    for m in DATE_SHORT.finditer(text, 0, end):
        found = _iso(planned, int(m.group(1)), int(m.group(2)))
        if found:
            return found
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:  # 13月40日 is no date
        return None


def _place(
    text: str, mentions: list[Mention], lead: Section, gaz: Gazetteer
) -> tuple[Mention | None, tuple[int, int, str] | None, tuple[int, int] | None]:
    """The place the report is about: a known place named right before 省民政廳/民政局 (湖南省民政厅), else a new
    place that starts a phrase before 省民政廳 (flagged by the writer), else the first province (or city) the lead
    mentions, else the first in the text."""
    for known in (m for m in mentions if m.cls == "Place"):
        after = AGENCY_AFTER_PLACE.match(text, known.end)  # a known place right before 省民政廳 / 民政局
        if after is not None:
            return known, None, (known.start, after.end())
    agency = NEW_AGENCY.search(text)
    if agency is not None and "全" not in agency.group("place"):
        name = agency.group("place") + agency.group("level")
        iri = gaz.places.get(agency.group("place")) or gaz.places.get(name)
        if iri is not None:  # a known place, named inside a longer known name (湖南省民政厅)
            return Mention(agency.start("place"), agency.end("place"), iri, "Place", agency.group("place")), None, agency.span()
        return None, (agency.start("place"), agency.end("level"), name), agency.span()
    agency_words = None
    provinces = [m for m in mentions if m.cls == "Place" and gaz.tiers.get(m.iri, "").endswith(("/sheng", "/shi"))]
    ranked = sorted(provinces, key=lambda m: (not gaz.tiers[m.iri].endswith("/sheng"), m.start >= max(lead.end, 600), m.start))
    chosen = ranked[0] if ranked else None
    return chosen, None, agency_words


__all__ = ["Draft", "annotate"]
