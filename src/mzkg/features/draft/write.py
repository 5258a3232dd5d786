"""Stage *write*: a draft as RDF — the report, its text and sections, its event and catalogue entry, its place
(a division of China keyed by its code), statements, figures with their indicators, and new candidate entities,
every one traced to its span; what any stage guessed is marked `mzkg:needsReview` with a note saying what was
guessed from which words. Written as Turtle by Oxigraph's serializer, in a stable order. IRIs come from
`mzkg.core.ids`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ...core import ids
from ...core.prefixes import ID, MZKG, PREFIXES, RDF_TYPE, XSD
from .. import figures as fig
from ..places import NATION, Division, divisions
from ..scripts import converter
from .annotate import Candidate, Draft, FigureDraft, Known, New, StatementDraft
from .gazetteer import Gazetteer

if TYPE_CHECKING:
    from .links import Proposal

TIER = {"nation": "guojia", "province": "sheng", "prefecture": "shi", "county": "xian"}
NATIONAL_AGENCY = f"{ID}agency/mca"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _curie(term: str) -> str:
    prefix, _, local = term.partition(":")
    return PREFIXES[prefix] + local


@dataclass
class Out:
    """The triples of a draft and its review notes."""

    triples: set[ox.Triple] = field(default_factory=set)
    review: list[tuple[str, str, str]] = field(default_factory=list)  # (node, its text, why)
    flagged: set[tuple[str, str]] = field(default_factory=set)

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = _n(o) if isinstance(o, str) else o
        self.triples.add(ox.Triple(_n(s), _n(_curie(p) if ":" in p and not p.startswith("http") else p), obj))

    def flag(self, node: str, text: str, why: str) -> None:
        if (node, why) in self.flagged:
            return
        self.flagged.add((node, why))
        self.add(node, "mzkg:needsReview", ox.Literal("true", datatype=_n(XSD + "boolean")))
        self.add(node, "skos:editorialNote", ox.Literal(why, language="en"))
        self.review.append((node, text, why))


def _lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _typed(value: object, dtype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + dtype))


def slugify(name: str, limit: int = 60) -> str:
    """An ASCII slug: pinyin for Chinese, lower-case words joined by hyphens, cut at a word boundary."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415 - the draft extra

    words = [w for part in lazy_pinyin(name) for w in re.split(r"[^a-z0-9]+", part.lower()) if w]
    out: list[str] = []
    for w in words:
        if out and len("-".join([*out, w])) > limit:
            break
        out.append(w)
    return "-".join(out) or "x"


@cache
def _pinyin_name(name: str) -> str:
    from pypinyin import lazy_pinyin  # noqa: PLC0415 - the draft extra

    return "".join(lazy_pinyin(name)).capitalize()


@dataclass
class Writer:
    draft: Draft
    slug: str
    gaz: Gazetteer
    lang: str  # the text's script, zh-Hant or zh-Hans
    file_path: str
    method: str = "drafted"
    out: Out = field(default_factory=Out)

    def __post_init__(self) -> None:
        self.t2s, self.s2t = converter("t2s"), converter("s2t")
        self.ids = ids.Report(self.slug)
        self.base = self.ids.iri
        self.text_iri = self.ids.text
        self.spans: set[tuple[int, int]] = set()
        self.place_iri = ""
        self.agency_iri = ""
        self.candidates: dict[str, str] = {}

    # --- building blocks -------------------------------------------------------------------------------------
    def span(self, start: int, end: int) -> str:
        iri = self.ids.span(start, end)
        if (start, end) not in self.spans:
            self.spans.add((start, end))
            o = self.out
            o.add(iri, RDF_TYPE, _curie("oa:SpecificResource"))
            o.add(iri, "oa:hasSource", self.text_iri)
            o.add(iri, "oa:hasSelector", iri + "#position")
            o.add(iri, "oa:hasSelector", iri + "#quote")
            o.add(iri + "#position", RDF_TYPE, _curie("oa:TextPositionSelector"))
            o.add(iri + "#position", "oa:start", _typed(start, "nonNegativeInteger"))
            o.add(iri + "#position", "oa:end", _typed(end, "nonNegativeInteger"))
            o.add(iri + "#quote", RDF_TYPE, _curie("oa:TextQuoteSelector"))
            o.add(iri + "#quote", "oa:exact", _lit(self.draft.text[start:end]))
        return iri

    def both(self, words: str) -> tuple[str, str]:
        hant = words if self.lang == "zh-Hant" else self.s2t.convert(words)
        hans = words if self.lang == "zh-Hans" else self.t2s.convert(words)
        return hant, hans

    def labels(self, node: str, words: str, en: str) -> None:
        """Labels in both scripts from the text's words; the label in the text's script is the words themselves
        (which validation checks against the quote), the other is converted."""
        hant, hans = self.both(words)
        self.out.add(node, "rdfs:label", _lit(hant, "zh-Hant"))
        self.out.add(node, "rdfs:label", _lit(hans, "zh-Hans"))
        self.out.add(node, "rdfs:label", _lit(en, "en"))

    def fixed_labels(self, node: str, hans: str, en: str) -> None:
        """Labels of a shared thing from background knowledge (a division's name): the same in every draft."""
        self.out.add(node, "rdfs:label", _lit(self.s2t.convert(hans), "zh-Hant"))
        self.out.add(node, "rdfs:label", _lit(hans, "zh-Hans"))
        self.out.add(node, "rdfs:label", _lit(en, "en"))

    def normalised(self, node: str, name: str, said: str, en: str) -> None:
        """A name mzkg gives where the text has another: marked normalised, the text's words kept as the
        alternative label in the text's script (which validation finds in the quote)."""
        hant = self.s2t.convert(name)
        self.out.add(node, "rdfs:label", _lit(hant, "zh-Hant"))
        self.out.add(node, "rdfs:label", _lit(self.t2s.convert(hant), "zh-Hans"))
        self.out.add(node, "rdfs:label", _lit(en, "en"))
        self.out.add(node, "skos:altLabel", _lit(said, self.lang))
        other = self.t2s.convert(said) if self.lang == "zh-Hant" else self.s2t.convert(said)
        self.out.add(node, "skos:altLabel", _lit(other, "zh-Hans" if self.lang == "zh-Hant" else "zh-Hant"))
        self.out.add(node, "mzkg:labelNormalised", _typed("true", "boolean"))

    def period(self, start: int, end: int | None = None) -> str:
        end = start if end is None else end
        iri = ids.period(start, end)
        if iri in self.gaz.known:
            return iri
        o = self.out
        o.add(iri, RDF_TYPE, MZKG + "Period")
        if start == end:
            o.add(iri, "rdfs:label", _lit(f"{start}年", "zh-Hant"))
            o.add(iri, "rdfs:label", _lit(f"{start}年", "zh-Hans"))
            o.add(iri, "rdfs:label", _lit(str(start), "en"))
            o.add(iri, "mzkg:year", _typed(start, "gYear"))
        else:
            o.add(iri, "rdfs:label", _lit(f"{start}—{end}年", "zh-Hant"))
            o.add(iri, "rdfs:label", _lit(f"{start}—{end}年", "zh-Hans"))
            o.add(iri, "rdfs:label", _lit(f"{start}–{end}", "en"))
            o.add(iri, "mzkg:startYear", _typed(start, "gYear"))
            o.add(iri, "mzkg:endYear", _typed(end, "gYear"))
        o.add(iri, "time:hasBeginning", iri + "#start")
        o.add(iri, "time:hasEnd", iri + "#end")
        o.add(iri + "#start", RDF_TYPE, _curie("time:Instant"))
        o.add(iri + "#start", "time:inXSDDate", _typed(f"{start}-01-01", "date"))
        o.add(iri + "#end", RDF_TYPE, _curie("time:Instant"))
        o.add(iri + "#end", "time:inXSDDate", _typed(f"{end}-12-31", "date"))
        return iri  # a calendar period is defined by its dates: the same triples in every draft, no span of one

    # --- the parts of a report -------------------------------------------------------------------------------
    def write(self) -> Out:
        d, o = self.draft, self.out
        o.add(self.text_iri, RDF_TYPE, MZKG + "SourceText")
        o.add(self.text_iri, RDF_TYPE, _curie("nif:Context"))
        o.add(self.text_iri, "nif:isString", _lit(d.text))
        o.add(self.text_iri, "mzkg:sha256", _lit(hashlib.sha256(d.text.encode("utf-8")).hexdigest()))
        o.add(self.text_iri, "mzkg:filePath", _lit(self.file_path))
        o.add(self.text_iri, "dcterms:format", _lit("text/plain; charset=utf-8"))
        o.add(self.text_iri, "dcterms:language", _lit(self.lang))
        o.add(self.text_iri, "rdfs:label", _lit(f"Text of report {self.slug}", "en"))
        o.add(self.text_iri, "rdfs:label", _lit(f"報告 {self.slug} 原文", "zh-Hant"))
        o.add(self.text_iri, "rdfs:label", _lit(f"报告 {self.slug} 原文", "zh-Hans"))
        self.where()
        self.event()
        self.section_nodes()
        for n, st in enumerate(d.statements, 1):
            self.statement(n, st)
        return o

    def section_nodes(self) -> None:
        d, o = self.draft, self.out
        names = {"lead": ("導語", "导语", "Lead"), "review": ("回顧", "回顾", "Review"), "plan": ("部署", "部署", "Plan")}
        for section in d.sections:
            if section.end <= section.start:
                continue  # a report that opens with its review has no lead
            node = self.ids.section(section.kind)
            o.add(node, RDF_TYPE, MZKG + "ReportSection")
            o.add(node, "mzkg:sectionKind", f"{ID}section-kind/{section.kind}")
            o.add(node, "mzkg:sectionOf", self.base)
            o.add(node, "prov:wasDerivedFrom", self.span(section.start, section.end))
            hant, hans, en = names[section.kind]
            year = f"{section.year}年" if section.year else ""
            o.add(node, "rdfs:label", _lit(year + hant, "zh-Hant"))
            o.add(node, "rdfs:label", _lit(year + hans, "zh-Hans"))
            o.add(node, "rdfs:label", _lit(f"{en} {section.year or ''}".strip(), "en"))
            if section.year:
                o.add(node, "mzkg:period", self.period(section.year))
            if section.guessed:
                o.flag(node, d.text[section.start : section.start + 20], section.guessed)

    def place_node(self, division: Division) -> str:
        """The graph's place for a division (keyed by its code), written with its containing divisions when the
        graph does not have it yet: the same triples in every draft, from the divisions table."""
        if division.code in self.gaz.codes:
            return self.gaz.codes[division.code]
        if division.code == NATION:
            return f"{ID}place/china"
        iri = ids.place(division.code)
        o = self.out
        o.add(iri, RDF_TYPE, MZKG + "Place")
        self.fixed_labels(iri, division.name, f"{_pinyin_name(division.short)} ({division.code})")
        o.add(iri, "skos:altLabel", _lit(self.s2t.convert(division.short), "zh-Hant"))
        o.add(iri, "skos:altLabel", _lit(division.short, "zh-Hans"))
        o.add(iri, "mzkg:divisionCode", _lit(division.code))
        o.add(iri, "mzkg:atTier", f"{ID}tier/{TIER[division.level]}")
        o.add(iri, "mzkg:backgroundKnowledge", _typed("true", "boolean"))
        parent = divisions().get(division.parent) if division.parent else None
        o.add(iri, "schema:containedInPlace", self.place_node(parent) if parent else f"{ID}place/china")
        return iri

    def where(self) -> None:
        """The report's place and the agency responsible for what it says."""
        d, o = self.draft, self.out
        division = d.division
        self.place_iri = self.place_node(division)
        for note in d.place.notes:
            o.flag(self.place_iri if self.place_iri.startswith(ID + "place/") else self.base, division.name, note)
        if division.code == NATION:
            self.agency_iri = NATIONAL_AGENCY
            return
        local = self.place_iri.rsplit("/", 1)[1]
        known = next((a for a in (f"{ID}agency/{local}-dca", f"{ID}agency/gd-dca") if a in self.gaz.agencies and (
            a.endswith(f"/{local}-dca") or self.place_iri == f"{ID}place/guangdong")), None)  # fmt: skip
        if known:
            self.agency_iri = known
            return
        self.agency_iri = f"{ID}agency/{local}-dca"
        body = "民政厅" if division.level == "province" else "民政局"
        name = division.name + body
        o.add(self.agency_iri, RDF_TYPE, MZKG + "Agency")
        o.add(self.agency_iri, "mzkg:atTier", f"{ID}tier/{TIER[division.level]}")
        o.add(self.agency_iri, "mzkg:jurisdiction", self.place_iri)
        en = f"Civil Affairs {'Department' if body == '民政厅' else 'Bureau'} of {_pinyin_name(division.short)}"
        self.fixed_labels(self.agency_iri, name, en)
        words = d.place.agency_words
        if words is None:
            o.add(self.agency_iri, "mzkg:backgroundKnowledge", _typed("true", "boolean"))
        else:
            said = d.text[words[0] : words[1]]
            if self.t2s.convert(said) != name:  # the text writes it otherwise (市民政局): the name is normalised
                other = self.t2s.convert(said) if self.lang == "zh-Hant" else self.s2t.convert(said)
                o.add(self.agency_iri, "mzkg:labelNormalised", _typed("true", "boolean"))
                o.add(self.agency_iri, "skos:altLabel", _lit(said, self.lang))
                o.add(self.agency_iri, "skos:altLabel", _lit(other, "zh-Hans" if self.lang == "zh-Hant" else "zh-Hant"))
            o.add(self.agency_iri, "prov:wasDerivedFrom", self.span(*words))
        o.flag(self.agency_iri, name, "the reporting agency, taken as responsible for every statement: check it")

    def title_words(self) -> tuple[str, tuple[int, int]]:
        d = self.draft
        opening = d.title_span
        return d.text[opening[0] : opening[1]], opening

    def event(self) -> None:
        d, o = self.draft, self.out
        report, conference = self.base, self.ids.conference
        o.add(conference, RDF_TYPE, MZKG + "Conference")
        said, opening = self.title_words()
        conf_span = d.conference or opening
        conf_words = d.text[conf_span[0] : conf_span[1]]
        o.add(conference, "prov:wasDerivedFrom", self.span(*conf_span))
        year = d.planned or d.reviewed
        if d.conference:
            self.labels(conference, conf_words, f"(to translate) {conf_words}")
        else:
            self.normalised(conference, f"{year}年民政工作會議", conf_words, f"{year} civil-affairs work conference")
            o.flag(conference, conf_words, "the text does not name the conference: its name is made up, its span is the opening")
        o.add(conference, "schema:location", d.location.iri if d.location else self.place_iri)
        date = d.date or f"{year}-01-01"
        o.add(conference, "schema:startDate", _typed(date, "date"))
        if d.date is None:
            o.flag(conference, date, f"the text gives no date: set to 1 January {year}")
        o.add(report, RDF_TYPE, MZKG + "WorkReport")
        if d.report_words:
            words = d.text[d.report_words[0] : d.report_words[1]]
            self.labels(report, words, "Work report")
            o.add(report, "prov:wasDerivedFrom", self.span(*d.report_words))
        else:
            self.normalised(report, "工作報告", conf_words, "Work report")
            o.add(report, "prov:wasDerivedFrom", self.span(*conf_span))
        o.add(report, "mzkg:presentedAt", conference)
        if d.reviewed is not None:
            o.add(report, "mzkg:reviewsPeriod", self.period(d.reviewed))
        if d.planned is not None:
            o.add(report, "mzkg:plansPeriod", self.period(d.planned))
        for note in d.years.notes:
            o.flag(report, said, note)
        o.add(report, "mzkg:atTier", f"{ID}tier/{TIER[d.division.level]}")
        if d.reporter:
            self.reporter(report)
        dataset = self.ids.dataset
        o.add(f"{ID}catalogue", "dcat:dataset", dataset)
        o.add(dataset, RDF_TYPE, _curie("dcat:Dataset"))
        hant, hans = self.both(said)
        o.add(dataset, "dcterms:title", _lit(hant, "zh-Hant"))
        o.add(dataset, "dcterms:title", _lit(hans, "zh-Hans"))
        o.add(dataset, "dcterms:title", _lit(f"(drafted) report {self.slug}", "en"))
        if d.title is None:
            o.flag(dataset, said, "the report has no headline: its title is the words naming its conference, or its opening")
        o.add(dataset, "dcterms:issued", _typed(date, "date"))
        o.add(dataset, "dcterms:spatial", self.place_iri)
        o.add(dataset, "mzkg:atTier", f"{ID}tier/{TIER[d.division.level]}")
        o.add(dataset, "foaf:primaryTopic", report)
        o.add(dataset, "prov:wasDerivedFrom", self.text_iri)
        o.add(dataset, "mzkg:encodingMethod", f"{ID}encoding-method/{self.method}")
        for note in d.notes:
            o.flag(dataset, said, note)

    def reporter(self, report: str) -> None:
        d, o = self.draft, self.out
        m = d.reporter
        assert m is not None
        name = m.group("name")
        syllables = slugify(name).split("-")
        person = self.gaz.persons.get(name) or f"{ID}person/{syllables[0]}-{''.join(syllables[1:])}"
        if person in self.gaz.persons.values():
            o.add(report, "dcterms:creator", person)
            return
        o.add(person, RDF_TYPE, _curie("foaf:Person"))
        self.labels(person, name, f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}")
        o.add(person, "prov:wasDerivedFrom", self.span(m.start("name"), m.end("name")))
        o.add(report, "dcterms:creator", person)
        o.flag(person, name, "the person who gave the report: check the name and link their post")

    def statement(self, n: int, st: StatementDraft) -> None:
        d, o = self.draft, self.out
        node = self.ids.statement(st.year, n)
        words = d.text[st.start : st.end]
        o.add(node, RDF_TYPE, MZKG + st.kind)
        self.labels(node, words, f"(drafted, to translate) statement {n} of {self.slug}")
        o.add(node, "prov:wasDerivedFrom", self.span(st.start, st.end))
        o.add(node, "mzkg:period", self.period(st.year))
        if st.own is not None:
            o.add(node, "mzkg:periodAsWritten", _lit(st.own.words, self.lang))
        o.add(node, "mzkg:reportedIn", self.base)
        o.add(node, "mzkg:responsibleActor", self.agency_iri)
        o.add(node, "mzkg:responsibilityStated", _typed("false", "boolean"))
        o.add(node, "mzkg:actionType", st.action or f"{ID}action/carry-out")
        involved = [m.iri for m in st.mentions] + [self.candidate(c) for c in st.candidates]
        for iri in dict.fromkeys(involved):
            o.add(node, "mzkg:involves", iri)
        o.add(node, "mzkg:policyArea", self.gaz.area([m.iri for m in st.mentions]))
        for note in st.notes:
            o.flag(node, words, note)
        for k, f in enumerate(st.figures, 1):
            o.add(node, "mzkg:hasMeasurement", self.figure(self.ids.measurement(st.year, n, k), f))

    def candidate(self, c: Candidate) -> str:
        if c.name in self.candidates:
            return self.candidates[c.name]
        o = self.out
        kind = {"Programme": "programme", "WorkingMechanism": "mechanism", "PolicyDocument": "document"}[c.cls]
        place = self.place_iri.rsplit("/", 1)[1]
        iri = f"{ID}{kind}/{place}-{slugify(c.name, 48)}"
        o.add(iri, RDF_TYPE, MZKG + c.cls)
        self.labels(iri, c.name, f"(to translate) {c.name}")
        o.add(iri, "prov:wasDerivedFrom", self.span(c.start, c.end))
        o.add(iri, "mzkg:policyArea", f"{ID}area/minzheng")
        o.add(iri, "mzkg:jurisdiction", self.place_iri)
        if c.cls == "PolicyDocument":
            o.add(iri, "mzkg:documentType", f"{ID}doctype/document")
        o.flag(iri, c.name, f"a new {c.cls} named in the text: check that it is one, its policy area and its links")
        self.candidates[c.name] = iri
        return iri

    def measured(self, f: FigureDraft) -> str:
        m = f.measures
        if isinstance(m, Known):
            return m.iri
        if isinstance(m, New):
            return self.candidates.get(m.name, self.place_iri)
        return self.place_iri

    def indicator(self, thing: str, f: FigureDraft) -> tuple[str, str | None]:
        """The indicator a figure reports: the one the graph has for what it measures, in its unit and of its kind;
        else a drafted one for that thing and unit, marked for review."""
        found = self.gaz.indicators.get((thing, f.unit), [])
        wanted = {"change": "change", "standard": "standard", "rate": "rate"}.get(f.kind)
        ranked = sorted(found, key=lambda ik: (ik[1] != (wanted or ik[1]) if wanted else ik[1] in ("change", "standard"), ik[0]))
        if ranked:
            return ranked[0][0], None
        local = thing.rsplit("/", 1)[1] if thing.startswith(ID) else "x"
        kind_part = _indicator_kind(f.kind)
        iri = f"{ID}indicator/drafted-{thing.removeprefix(ID).split('/', 1)[0]}-{local}-{f.unit}-{kind_part}"
        o = self.out
        label = self.gaz.labels.get(thing) or local
        hans = self.t2s.convert(label)
        hant = label if hans != label else self.s2t.convert(label)  # a Traditional label as the graph writes it
        suffix = {
            "change": ("變化", "变化", "change in"),
            "standard": ("標準", "标准", "standard of"),
            "rate": ("比率", "比率", "rate of"),
        }
        zh_t, zh_s, en = suffix.get(
            kind_part, ("存量", "存量", "stock of") if kind_part == "stock" else ("流量", "流量", "flow of")
        )
        o.add(iri, RDF_TYPE, MZKG + "Indicator")
        labels = {
            "zh-Hant": f"{hant}{zh_t}({f.unit},起草)",  # the unit too: one thing counted two ways is two indicators
            "zh-Hans": f"{hans}{zh_s}({f.unit},起草)",
            "en": f"(drafted) {en} {thing.removeprefix(ID)} in {f.unit}",
        }
        for lang, words in labels.items():
            o.add(iri, "rdfs:label", _lit(words, lang))
            o.add(iri, "skos:prefLabel", _lit(words, lang))
        o.add(iri, "skos:definition", _lit(f"起草時擬定的指標:{hant}{zh_t},以{f.unit}計;待審核。", "zh-Hant"))
        o.add(iri, "skos:definition", _lit(f"起草时拟定的指标:{hans}{zh_s},以{f.unit}计;待审核。", "zh-Hans"))
        o.add(iri, "skos:definition", _lit(f"An indicator proposed by drafting: {en} {label} in {f.unit}; to review.", "en"))
        o.add(iri, "skos:inScheme", f"{ID}scheme/indicator")
        o.add(iri, "mzkg:indicatorUnit", fig_unit(f.unit))
        o.add(iri, "mzkg:indicatorKind", f"{ID}indicator-kind/{_indicator_kind(f.kind)}")
        o.add(iri, "mzkg:aboutConcept", thing)
        o.add(iri, "mzkg:backgroundKnowledge", _typed("true", "boolean"))
        o.flag(iri, labels["zh-Hant"], "an indicator proposed by drafting: link the figures to a known indicator, or keep it")
        return iri, "no indicator in the graph for what this figure measures in this unit: a drafted indicator"

    def figure(self, node: str, f: FigureDraft) -> str:
        o, fg = self.out, f.figure
        d = self.draft
        o.add(node, RDF_TYPE, MZKG + "Measurement")
        thing = self.measured(f)
        name = self.gaz.labels.get(thing, "")
        name = self.s2t.convert(name) if self.lang == "zh-Hant" else self.t2s.convert(name)
        self.labels(node, f"{name}{fg.text}" if name else d.text[f.clause[0] : f.clause[1]][:40], f"(drafted) figure {fg.text}")
        o.add(node, "prov:wasDerivedFrom", self.span(*(f.cite or f.clause)))
        o.add(node, "mzkg:asWritten", _lit(fg.text, self.lang))
        o.add(node, "mzkg:writtenValue", _typed(_number(fg.number), "decimal"))
        o.add(node, "mzkg:value", _typed(_number(fg.value), "decimal"))
        notes = list(f.notes)
        if f.unit == "cny":
            kind, sure = money_kind(d.text[max(f.clause[0], fg.start - 24) : fg.start])
            o.add(node, "mzkg:moneyKind", f"{ID}money-kind/{kind}")
            if not sure:
                notes.append("kind of money not named near the figure: taken as an investment")
        if fg.scale_slug:
            o.add(node, "mzkg:scale", f"{ID}scale/{fg.scale_slug}")
        if fg.hedge_slug:
            o.add(node, "mzkg:hedge", f"{ID}hedge/{fg.hedge_slug}")
        o.add(node, "mzkg:unit", fig_unit(f.unit))
        if f.unit_implied:
            o.add(node, "mzkg:unitImplied", _typed("true", "boolean"))
        o.add(node, "mzkg:period", self.period(f.from_year, f.year) if f.from_year else self.period(f.year))
        if f.year_words:
            o.add(node, "mzkg:periodAsWritten", _lit(f.year_words, self.lang))
        o.add(node, "mzkg:isTarget", _typed("true" if f.is_target else "false", "boolean"))
        o.add(node, "mzkg:figureKind", f"{ID}figure-kind/{f.kind}")
        if f.context.change:
            o.add(node, "mzkg:changeDirection", f"{ID}change/{f.context.change}")
            if f.context.base_offset:
                o.add(node, "mzkg:basePeriod", self.period(f.year - f.context.base_offset))
        o.add(node, "mzkg:measures", thing)
        indicator, note = self.indicator(thing, f)
        o.add(node, "mzkg:indicator", indicator)
        if note:
            notes.append(note)
        if notes:
            o.flag(node, fg.text, "; ".join(notes))
        return node

    def links(self, proposals: Iterable[Proposal]) -> None:
        """The links the links stage proposes, each marked for the reviewer to decide."""
        for p in proposals:
            self.out.add(p.statement, "mzkg:possibleOutcomeOf", p.task)
            self.out.flag(
                p.statement,
                p.words,
                "proposed as an outcome of an earlier task: make it fulfils, carriesOn or revises, or remove it",
            )

    def turtle(self) -> bytes:
        prefixes = {k: v for k, v in PREFIXES.items() if k != "id"}
        return ox.serialize(sorted(self.out.triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def fig_unit(slug: str) -> str:
    return f"{ID}unit/{slug}"


def _indicator_kind(figure_kind: str) -> str:
    return {"duration": "stock"}.get(figure_kind, figure_kind)


def money_kind(before: str) -> tuple[str, bool]:
    """The kind of money a figure counts, from the nearest money word before it (and whether one was found)."""
    words = fig.lexicon().money
    hits = [(before.rfind(w), len(w), kind) for w, kind in words.items() if w in before]
    if not hits:
        return "investment", False
    return max(hits)[2], True


def _number(value: object) -> str:
    text = format(value, "f") if not isinstance(value, str) else value
    return text.rstrip("0").rstrip(".") if "." in text else text


def iter_review(out: Out) -> Iterator[str]:
    for node, text, why in sorted(out.review):
        yield f"- `{node.removeprefix(ID)}` 「{text}」: {why}"
