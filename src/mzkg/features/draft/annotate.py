"""Stages *figures*, *entities* and *statements*, and the chain of every stage: a report's text into a `Draft`.

read → clean (`reading`) → segment (`segment`) → periods (`periods`) → place (`place`) → figures
(`mzkg.features.figures`, the reader validation uses too) → entities (`gazetteer`) → statements (here) → links
(`links`) → write (`write`). Each stage takes and gives typed values; none refuses a readable report: what a
stage cannot decide it guesses, and the guess travels with a note to the writer, which marks it for review.

- **Statements**: every clause of the review and the plan with something done or to do (a verb of the action-type
  scheme, a figure or an entity); each 一是/二是 item is its own; headings are not statements. A statement takes
  its own year words, else its section's year.
- **Figures**: every figure `figures_in` gives. A figure without a unit word takes one the noun after it implies
  (398萬低收入人口 → people) or none, with a note; one the reader is unsure of is one node with a note, never two.
  Each figure takes its own year (its phrase's words, or its table column's year), else its clause's.
- **Measured**: a known entity named in the figure's phrase, a new candidate, or the report's place (`Measured`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from .. import figures as fig
from ..places import Division
from .gazetteer import Gazetteer, Mention
from .periods import OwnPeriod, Years, own_period, years
from .place import PlaceGuess, report_place
from .segment import Clause, Section, clauses, line_end, line_start, sections, tables, title

CONFERENCE = re.compile(
    r"(?:\d{4}年(?:度)?)?(?:全省|全市|全州|全區|全区|全縣|全县|全盟|全旗|全國|全国|[\u4e00-\u9fff]{2,8}?(?:省|市|州|縣|县|區|区|自治區|自治区))?"
    r"(?:\d{4}年(?:度)?)?民政(?:工作)?(?:會議|会议|工作座談會|工作座谈会|工作推進會|工作推进会)"
)
LOCATION = re.compile(r"在([\u4e00-\u9fff]{2,6}?)(?:召開|召开|舉行|举行|開幕|开幕)")
REPORT_WORDS = re.compile(r"工作報告|工作报告|工作總結|工作总结")
REPORTER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{0,6}(?:民政廳|民政厅|民政局|民政部))(?:黨組書記、|党组书记、|黨組書記|党组书记)?"
    r"(?P<post>廳長|厅长|局長|局长|部長|部长|主任)(?P<name>[\u4e00-\u9fff]{2,3}?)(?:作|做|出席|講話|讲话)"
)
QUOTED = re.compile(r"[“「]([^”」\n]{2,24})[”」]")
BOOK = re.compile(r"《([^》\n]{2,40})》")
PROGRAMME_WORDS = ("工程", "行動", "行动", "計劃", "计划", "活動", "活动", "項目", "项目")
MECHANISM_WORDS = ("機制", "机制")
PEOPLE = re.compile(
    r"^[\u4e00-\u9fff]{0,6}?(?:人口|群眾|群众|老年人|老人|兒童|儿童|對象|对象|孤兒|孤儿|殘疾人|残疾人|社工|志願者|志愿者|人員|人员|學生|学生|居民)"
)
HOUSEHOLDS = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:家庭|戶|户)")
FLOW_WORDS = ("投入", "發放", "发放", "籌集", "筹集", "支出", "撥付", "拨付", "銷售", "销售", "新增", "培訓", "培训", "救助",
              "解決", "解决", "核查", "減輕", "减轻", "資助", "资助", "辦理", "办理", "受理", "登記", "登记", "捐")  # fmt: skip
STOCK_WORDS = (
    "信託",
    "信托",
    "注冊",
    "注册",
    "共有",
    "現有",
    "现有",
    "存量",
    "余額",
    "餘額",
    "保障",
    "覆蓋",
    "覆盖",
    "達到",
    "达到",
)
MEASURABLE = ("InstitutionType", "Programme", "PublicService", "TargetGroup", "ActorGroup", "TieredNetwork", "Policy",
              "FieldConcept", "Indicator")  # fmt: skip
SEGMENT_END = re.compile(r"[,，、;；:：| ]")


# --- what a figure measures: a small tagged type


@dataclass(frozen=True)
class Known:
    iri: str


@dataclass(frozen=True)
class New:
    name: str  # a new candidate named in the text


@dataclass(frozen=True)
class ReportPlace:
    pass


Measured = Known | New | ReportPlace


@dataclass
class FigureDraft:
    figure: fig.Figure
    year: int
    from_year: int | None  # the first year of a span the figure covers
    year_words: str | None  # the figure's own words for its year, when it names one
    is_target: bool
    unit: str  # a unit slug
    unit_implied: bool
    kind: str  # stock, flow, rate, duration, standard, change
    measures: Measured
    clause: tuple[int, int]
    context: fig.Context = field(default_factory=fig.Context)
    notes: list[str] = field(default_factory=list)
    cite: tuple[int, int] | None = None  # the span it cites when not its clause (a table cell: header to row)


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
    own: OwnPeriod | None = None  # the statement's own year words
    notes: list[str] = field(default_factory=list)


@dataclass
class Draft:
    text: str
    years: Years
    sections: list[Section]
    statements: list[StatementDraft]
    title: tuple[int, int] | None  # the span of the report's headline
    conference: tuple[int, int] | None  # the span naming the conference
    location: Mention | None
    report_words: tuple[int, int] | None
    reporter: re.Match[str] | None
    place: PlaceGuess
    mentions: list[Mention] = field(default_factory=list)  # every known entity the text names, outside 《titles》
    notes: list[str] = field(default_factory=list)  # what reading and cleaning did

    @property
    def reviewed(self) -> int | None:
        return self.years.reviewed

    @property
    def planned(self) -> int | None:
        return self.years.planned

    @property
    def date(self) -> str | None:
        return self.years.date

    @property
    def division(self) -> Division:
        return self.place.division

    @property
    def title_span(self) -> tuple[int, int]:
        """The words that title the report: its headline, else the words naming its conference, else its opening."""
        return self.title or self.conference or first_clause(self.text)


PEOPLE_BEFORE = re.compile(
    r"(?:人口|群眾|群众|老年人|老人|兒童|儿童|對象|对象|孤兒|孤儿|殘疾人|残疾人|志願者|志愿者|人員|人员|居民|職工|职工)$"
)


def first_clause(text: str) -> tuple[int, int]:
    """The report's opening words: its first clause with some text in it."""
    start = 0
    for m in re.finditer(r"[。;；!！?？\n]", text):
        if text[start : m.start()].strip():
            return start + (len(text[start : m.start()]) - len(text[start : m.start()].lstrip())), m.start()
        start = m.end()
    return 0, len(text.rstrip())


def _unit(text: str, f: fig.Figure, row_unit: str | None = None) -> tuple[str, bool, list[str]]:
    if f.unit_slug:
        return f.unit_slug, False, []
    if row_unit:
        return row_unit, True, ["no unit written: the unit of its table row"]
    preceding = text[max(0, f.start - 6) : f.start]
    if PEOPLE_BEFORE.search(preceding):
        return "person", True, [f"no unit written: counted as people from 「{preceding}」"]
    following = text[f.end : f.end + 10]
    if PEOPLE.match(following):
        return "person", True, [f"no unit written: counted as people from 「{following[:6]}」"]
    if HOUSEHOLDS.match(following):
        return "household", True, [f"no unit written: counted as households from 「{following[:6]}」"]
    return "number", True, ["no unit written and none implied: a plain number"]


def _kind(unit: str, clause_text: str, context: fig.Context) -> str:
    if context.change:
        return "change"
    if context.standard:
        return "standard"
    if unit in ("percent", "percentage-point"):
        return "rate"
    if unit in ("year", "minute", "month", "day"):
        return "duration"
    if unit in ("person-time", "time", "order", "event"):
        return "flow"
    if any(w in clause_text for w in STOCK_WORDS):
        return "stock"
    if any(w in clause_text for w in FLOW_WORDS):
        return "flow"
    return "stock"


def _candidates(text: str, start: int, end: int, known: list[Mention]) -> list[Candidate]:
    taken = [(m.start, m.end) for m in known]
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


def _measured(
    text: str, f: fig.Figure, clause: tuple[int, int], mentions: list[Mention], candidates: list[Candidate]
) -> tuple[Measured, list[str]]:
    """What a figure measures: a thing named in its own phrase (between commas), before it first (覆蓋率達到98.5%
    measures the 社工站 named before it), then after it (398萬低收入人口); failing that the nearest thing in its
    clause (the last one named before it, else the first after it), with a note; failing that the report's place."""
    a, b = clause
    seg_start = max((m.end() for m in SEGMENT_END.finditer(text, a, f.start)), default=a)
    seg_end = next((m.start() for m in SEGMENT_END.finditer(text, f.end, b)), b)
    things: list[tuple[int, int, Measured]] = [
        (m.start, m.end, Known(m.iri)) for m in mentions if m.cls in MEASURABLE and not m.nested
    ]
    things += [(c.start, c.end, New(c.name)) for c in candidates]
    before = sorted(((f.start - e, t) for s, e, t in things if seg_start <= s and e <= f.start), key=lambda x: x[0])
    after = sorted(((s - f.end, t) for s, e, t in things if f.end <= s and e <= seg_end), key=lambda x: x[0])
    if before or after:
        return (before or after)[0][1], []
    earlier = sorted(((f.start - e, t) for s, e, t in things if e <= f.start), key=lambda x: x[0])
    later = sorted(((s - f.end, t) for s, e, t in things if s >= f.end), key=lambda x: x[0])
    if earlier or later:
        return (earlier or later)[0][1], ["the measured thing is not named in the figure's own phrase: taken from its clause"]
    return ReportPlace(), ["no measured thing found in its clause: set to the report's place"]


@dataclass(frozen=True)
class _Cell:
    """A table cell under a year's column (its year, the header's start and words), or a row that names its unit."""

    start: int
    end: int
    year: int | None
    header: int
    words: str | None
    unit: str | None


def _figure_year(
    text: str, f: fig.Figure, clause: tuple[int, int], base: int, cell: _Cell | None, date_year: int | None
) -> tuple[int, int | None, str | None]:
    """A figure's year: its table column's, else its own phrase's words (2021年, 去年, 2020—2022年), else `base`."""
    if cell is not None and cell.year is not None:
        return cell.year, None, cell.words
    seg_start = max((m.end() for m in SEGMENT_END.finditer(text, clause[0], f.start)), default=clause[0])
    own = own_period(text[seg_start : f.start], date_year)
    if own is not None:
        return own.end, own.start if own.span else None, own.words
    return base, None, None


def _in_titles(m: Mention, titles: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(titles, (m.start, len_max)) - 1
    return i >= 0 and titles[i][0] <= m.start and m.end <= titles[i][1]


len_max = 1 << 62


class _ByStart:
    """Items with a `start` and an `end`, found by the span that holds them in time proportional to what is found."""

    def __init__(self, items: list[Any]) -> None:
        self.items = sorted(items, key=lambda x: (x.start, x.end))
        self.starts = [x.start for x in self.items]

    def within(self, a: int, b: int) -> list[Any]:
        out = []
        for k in range(bisect.bisect_left(self.starts, a), len(self.items)):
            x = self.items[k]
            if x.start >= b:
                break
            if x.end <= b:
                out.append(x)
        return out


def annotate(
    text: str,
    gaz: Gazetteer,
    body_end: int,
    *,
    reviewed: int | None = None,
    planned: int | None = None,
    date: str | None = None,
    place: str | None = None,
    page_title: str | None = None,
    page_date: str | None = None,
    lex: fig.Lexicon | None = None,
) -> Draft:
    """The draft of one report's text: never refuses, marks its guesses."""
    lex = lex or fig.lexicon()
    head_span = title(text, page_title)
    after_title = head_span[1] if head_span else 0
    head = min(len(text), max(300, after_title + 200))
    probe = sections(text, body_end, lex, after=after_title, reviewed=reviewed, planned=planned)
    has_plan = any(s.kind == "plan" for s in probe)
    yrs = years(text, head, page_date=page_date, reviewed=reviewed, planned=planned, date=date, has_plan=has_plan)
    secs = sections(text, body_end, lex, after=after_title, reviewed=yrs.reviewed, planned=yrs.planned)
    date_year = int(yrs.date[:4]) if yrs.date else None
    excluded = fig._excluded(text)
    found = [f for f in fig.find(text, lex) if fig.is_figure(text, f, excluded)]
    if head_span is not None and secs[0].kind == "lead" and any(head_span[0] <= f.start < head_span[1] for f in found):
        # a headline with a figure opens the review: its figure is a figure of the report
        secs = [Section("lead", 0, head_span[0], None)] + [
            Section(s.kind, head_span[0] if s.kind == "review" else s.start, s.end, s.year, s.guessed) for s in secs[1:]
        ]
    book_titles = [m.span(1) for m in BOOK.finditer(text)]
    mentions_all = [m for m in gaz.mentions(text) if not _in_titles(m, book_titles)]
    mention_index = _ByStart(mentions_all)
    where = report_place(text, head, place)
    found_tables = tables(text)
    cells = _ByStart(
        [
            _Cell(a, b, year, t.start, t.headers.get(year, f"{year}年"), None)
            for t in found_tables
            for year, spans in t.columns.items()
            for a, b in spans
        ]
        + [_Cell(a, b, None, t.start, None, unit) for t in found_tables for (a, b), unit in t.units.items()]
    )
    figure_index = _ByStart(found)
    statements: list[StatementDraft] = []
    for section in secs:
        if section.kind == "lead":
            continue
        year = section.year if section.year is not None else (yrs.reviewed or yrs.planned or date_year or 0)
        for clause in clauses(text, section.start, section.end):
            st = _statement(text, clause, section, year, gaz, lex, mention_index, figure_index, cells, date_year)
            if st is not None:
                statements.append(st)
    conf = CONFERENCE.search(text, 0, head)
    loc_match = LOCATION.search(text, 0, head)
    location = None
    if loc_match:
        location = next((m for m in mentions_all if m.cls == "Place" and m.start == loc_match.start(1)), None)
    words = REPORT_WORDS.search(text, 0, head)
    return Draft(
        text=text,
        years=yrs,
        sections=secs,
        statements=statements,
        title=head_span,
        conference=conf.span() if conf else None,
        location=location,
        report_words=words.span() if words else None,
        reporter=REPORTER.search(text, 0, head),
        place=where,
        mentions=mentions_all,
    )


def _statement(
    text: str,
    clause: Clause,
    section: Section,
    year: int,
    gaz: Gazetteer,
    lex: fig.Lexicon,
    mention_index: _ByStart,
    figure_index: _ByStart,
    cells: _ByStart,
    date_year: int | None,
) -> StatementDraft | None:
    a, b = clause.start, clause.end
    words = text[a:b]
    figs_here = figure_index.within(a, b)
    if clause.heading and not figs_here:
        return None  # a heading: it names a section, it is no achievement or task
    mentions = mention_index.within(a, b)
    candidates = _candidates(text, a, b, mentions)
    own = own_period(words, date_year)
    st_year = own.end if own is not None and not own.span else year
    figures = []
    for f in figs_here:
        here = cells.within(line_start(text, f.start), line_end(text, f.start))
        cell = next((c for c in here if c.year is not None and c.start <= f.start and f.end <= c.end), None)
        row_unit = next((c.unit for c in here if c.unit is not None), None)
        unit, implied, notes = _unit(text, f, row_unit)
        measures, more = _measured(text, f, (a, b), mentions, candidates)
        context = fig.context(text, f)
        f_year, f_from, f_words = _figure_year(text, f, (a, b), st_year, cell, date_year)
        if f_words is None and f_year == st_year and own is not None and st_year != year:
            f_words = own.words  # the statement's own year words are the figure's too
        header = cell.header if cell is not None else None
        figures.append(
            FigureDraft(
                f,
                f_year,
                f_from,
                f_words,
                section.kind == "plan",
                unit,
                implied,
                _kind(unit, words, context),
                measures,
                (a, b),
                context,
                notes + more,
                (header, b) if header is not None else None,
            )
        )
    kind = "Achievement" if section.kind == "review" else "Task"
    action = gaz.action(words)
    if not (action or figures or mentions or candidates):
        return None  # a sentence that says nothing done or to do
    notes = [section.guessed] if section.guessed else []
    own_words = own if own is not None and not own.span and own.end != year else None  # a span (十四五) keeps the section's year
    return StatementDraft(kind, st_year, a, b, action, mentions, candidates, figures, own_words, notes)


__all__ = ["Draft", "Known", "Measured", "New", "ReportPlace", "annotate"]
