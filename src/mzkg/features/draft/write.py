"""A draft as RDF: the report, its text and sections, its event and catalogue entry, statements, figures and new
candidate entities, every one traced to its span; what the reading was unsure of marked `mzkg:needsReview` with
a note. Written as Turtle by Oxigraph's serializer, in a stable order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from ...core.errors import UsageError
from ...core.prefixes import ID, MZKG, PREFIXES
from .annotate import Candidate, Draft, FigureDraft, StatementDraft
from .gazetteer import Gazetteer

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = _n(o) if isinstance(o, str) else o
        self.triples.add(ox.Triple(_n(s), _n(_curie(p) if ":" in p and not p.startswith("http") else p), obj))

    def flag(self, node: str, text: str, why: str) -> None:
        self.add(node, "mzkg:needsReview", ox.Literal("true", datatype=_n(XSD + "boolean")))
        self.add(node, "skos:editorialNote", ox.Literal(why, language="en"))
        self.review.append((node, text, why))


def _lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _typed(value: object, dtype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + dtype))


def slugify(name: str) -> str:
    """An ASCII slug: pinyin for Chinese, lower-case words joined by hyphens."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415 - the draft extra

    words = [w for part in lazy_pinyin(name) for w in re.split(r"[^a-z0-9]+", part.lower()) if w]
    return "-".join(words)[:60] or "x"


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
        import opencc  # noqa: PLC0415 - the draft extra

        self.t2s, self.s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
        self.base = f"{ID}report/{self.slug}"
        self.text_iri = f"{self.base}/text"
        self.spans: set[tuple[int, int]] = set()
        self.place_iri = ""
        self.agency_iri = ""

    # --- building blocks -------------------------------------------------------------------------------------
    def span(self, start: int, end: int) -> str:
        iri = f"{self.base}/span/{start}-{end}"
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

    def labels(self, node: str, words: str, en: str) -> None:
        """Labels in both scripts from the text's words; the label in the text's script is the words themselves
        (which validation checks against the quote), the other is converted."""
        hant = words if self.lang == "zh-Hant" else self.s2t.convert(words)
        hans = words if self.lang == "zh-Hans" else self.t2s.convert(words)
        self.out.add(node, "rdfs:label", _lit(hant, "zh-Hant"))
        self.out.add(node, "rdfs:label", _lit(hans, "zh-Hans"))
        self.out.add(node, "rdfs:label", _lit(en, "en"))

    def normalised(self, node: str, name: str, said: str, en: str) -> None:
        """A name mzkg gives (工作報告) where the text has none: marked normalised, the text's words kept as the
        alternative label in the text's script (which validation finds in the quote)."""
        hant = self.s2t.convert(name)
        self.out.add(node, "rdfs:label", _lit(hant, "zh-Hant"))
        self.out.add(node, "rdfs:label", _lit(self.t2s.convert(hant), "zh-Hans"))
        self.out.add(node, "rdfs:label", _lit(en, "en"))
        self.out.add(node, "skos:altLabel", _lit(said, self.lang))
        other = self.t2s.convert(said) if self.lang == "zh-Hant" else self.s2t.convert(said)
        self.out.add(node, "skos:altLabel", _lit(other, "zh-Hans" if self.lang == "zh-Hant" else "zh-Hant"))
        self.out.add(node, "mzkg:labelNormalised", _typed("true", "boolean"))

    def period(self, year: int) -> str:
        iri = f"{ID}period/{year}"
        if iri in self.gaz.known:
            return iri
        o = self.out
        o.add(iri, RDF_TYPE, MZKG + "Period")
        o.add(iri, "rdfs:label", _lit(f"{year}年", "zh-Hant"))
        o.add(iri, "rdfs:label", _lit(f"{year}年", "zh-Hans"))
        o.add(iri, "rdfs:label", _lit(str(year), "en"))
        o.add(iri, "mzkg:year", _typed(year, "gYear"))
        o.add(iri, "time:hasBeginning", iri + "#start")
        o.add(iri, "time:hasEnd", iri + "#end")
        o.add(iri + "#start", RDF_TYPE, _curie("time:Instant"))
        o.add(iri + "#start", "time:inXSDDate", _typed(f"{year}-01-01", "date"))
        o.add(iri + "#end", RDF_TYPE, _curie("time:Instant"))
        o.add(iri + "#end", "time:inXSDDate", _typed(f"{year}-12-31", "date"))
        at = self.draft.text.find(f"{year}年")
        if at >= 0:
            o.add(iri, "prov:wasDerivedFrom", self.span(at, at + 5))
        else:
            o.add(iri, "mzkg:backgroundKnowledge", _typed("true", "boolean"))
        return iri

    # --- the parts of a report -------------------------------------------------------------------------------
    def write(self) -> Out:
        d, o = self.draft, self.out
        report = self.base
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
        self.event(report)
        for section in d.sections:
            if section.end <= section.start:
                continue  # a report that opens with its review has no lead
            node = f"{report}/section/{section.kind}"
            o.add(node, RDF_TYPE, MZKG + "ReportSection")
            o.add(node, "mzkg:sectionKind", f"{ID}section-kind/{section.kind}")
            o.add(node, "mzkg:sectionOf", report)
            o.add(node, "prov:wasDerivedFrom", self.span(section.start, section.end))
            names = {"lead": ("導語", "导语", "Lead"), "review": ("回顧", "回顾", "Review"), "plan": ("部署", "部署", "Plan")}
            hant, hans, en = names[section.kind]
            year = f"{section.year}年" if section.year else ""
            o.add(node, "rdfs:label", _lit(year + hant, "zh-Hant"))
            o.add(node, "rdfs:label", _lit(year + hans, "zh-Hans"))
            o.add(node, "rdfs:label", _lit(f"{en} {section.year or ''}".strip(), "en"))
            if section.year:
                o.add(node, "mzkg:period", self.period(section.year))
        candidates: dict[str, str] = {}
        for n, st in enumerate(d.statements, 1):
            self.statement(n, st, candidates)
        return o

    def where(self) -> None:
        """The report's place and the agency responsible for what it says."""
        d, o = self.draft, self.out
        if d.place is not None:
            self.place_iri = d.place.iri
        elif d.place_words is not None:
            start, end, name = d.place_words
            self.place_iri = f"{ID}place/{slugify(name)}"
            o.add(self.place_iri, RDF_TYPE, MZKG + "Place")
            self.labels(self.place_iri, name, f"(to translate) {name}")
            o.add(self.place_iri, "prov:wasDerivedFrom", self.span(start, end))
            o.add(self.place_iri, "schema:containedInPlace", f"{ID}place/china")
            o.add(self.place_iri, "mzkg:atTier", f"{ID}tier/{'shi' if name.endswith('市') else 'sheng'}")
            o.flag(self.place_iri, name, "a place the graph does not know yet: check its name, tier and division code")
        else:
            raise UsageError("cannot tell which place the report is about (no 'X省民政廳' and no known province in its lead)")
        known_agency = f"{ID}agency/gd-dca" if self.place_iri == f"{ID}place/guangdong" else None
        if known_agency:
            self.agency_iri = known_agency
            return
        self.agency_iri = f"{ID}agency/{self.place_iri.rsplit('/', 1)[1]}-dca"
        o.add(self.agency_iri, RDF_TYPE, MZKG + "Agency")
        place_label = self.gaz.labels.get(self.place_iri) or (d.place_words[2] if d.place_words else "")
        words = d.text[d.agency_words[0] : d.agency_words[1]] if d.agency_words else f"{place_label}民政廳"
        self.labels(self.agency_iri, words, f"(to translate) {words}")
        o.add(self.agency_iri, "mzkg:atTier", f"{ID}tier/{'shi' if words.endswith(('局',)) else 'sheng'}")
        if d.agency_words:
            o.add(self.agency_iri, "prov:wasDerivedFrom", self.span(*d.agency_words))
        else:
            o.add(self.agency_iri, "mzkg:backgroundKnowledge", _typed("true", "boolean"))
        o.flag(self.agency_iri, words, "the reporting agency, taken as responsible for every statement: check it")

    def event(self, report: str) -> None:
        d, o = self.draft, self.out
        conference = f"{report}/conference"
        o.add(conference, RDF_TYPE, MZKG + "Conference")
        opening = d.conference or _first_clause(d.text)  # the words that name the event, or open the report
        said = d.text[opening[0] : opening[1]]
        o.add(conference, "prov:wasDerivedFrom", self.span(*opening))
        if d.conference:
            self.labels(conference, said, f"(to translate) {said}")
        else:
            self.normalised(conference, f"{d.planned}年民政工作會議", said, f"{d.planned} civil-affairs work conference")
            o.flag(conference, said, "the text does not name the conference: its name is made up, its span is the opening")
        o.add(conference, "schema:location", d.location.iri if d.location else self.place_iri)
        date = d.date or f"{d.planned}-01-01"
        o.add(conference, "schema:startDate", _typed(date, "date"))
        if d.date is None:
            o.flag(conference, date, "the text gives no date: set to 1 January of the planned year")
        o.add(report, RDF_TYPE, MZKG + "WorkReport")
        if d.report_words:
            words = d.text[d.report_words[0] : d.report_words[1]]
            self.labels(report, words, "Work report")
            o.add(report, "prov:wasDerivedFrom", self.span(*d.report_words))
        else:
            words = "工作報告"
            self.normalised(report, words, said, "Work report")
            o.add(report, "prov:wasDerivedFrom", self.span(*opening))
        o.add(report, "mzkg:presentedAt", conference)
        o.add(report, "mzkg:reviewsPeriod", self.period(d.reviewed))
        o.add(report, "mzkg:plansPeriod", self.period(d.planned))
        o.add(report, "mzkg:atTier", _tier_of(self))
        if d.reporter:
            self.reporter(report)
        dataset = f"{report}/dataset"
        o.add(f"{ID}catalogue", "dcat:dataset", dataset)
        o.add(dataset, RDF_TYPE, _curie("dcat:Dataset"))
        title = said
        place_name = self.gaz.labels.get(self.place_iri) or (d.place_words[2] if d.place_words else "")
        if place_name and place_name not in title:
            title = f"{title}({place_name})"
        o.add(dataset, "dcterms:title", _lit(title if self.lang == "zh-Hant" else self.s2t.convert(title), "zh-Hant"))
        o.add(dataset, "dcterms:title", _lit(title if self.lang == "zh-Hans" else self.t2s.convert(title), "zh-Hans"))
        o.add(dataset, "dcterms:title", _lit(f"(drafted) report {self.slug}", "en"))
        o.add(dataset, "dcterms:issued", _typed(date, "date"))
        o.add(dataset, "dcterms:spatial", self.place_iri)
        o.add(dataset, "mzkg:atTier", _tier_of(self))
        o.add(dataset, "foaf:primaryTopic", report)
        o.add(dataset, "prov:wasDerivedFrom", self.text_iri)
        o.add(dataset, "mzkg:encodingMethod", f"{ID}encoding-method/{self.method}")

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

    def statement(self, n: int, st: StatementDraft, candidates: dict[str, str]) -> None:
        d, o = self.draft, self.out
        node = f"{self.base}/statement/{st.year}/{n:03d}"
        words = d.text[st.start : st.end]
        o.add(node, RDF_TYPE, MZKG + st.kind)
        self.labels(node, words, f"(drafted, to translate) statement {n} of {self.slug}")
        o.add(node, "prov:wasDerivedFrom", self.span(st.start, st.end))
        o.add(node, "mzkg:period", self.period(st.year))
        o.add(node, "mzkg:reportedIn", self.base)
        o.add(node, "mzkg:responsibleActor", self.agency_iri)
        o.add(node, "mzkg:responsibilityStated", _typed("false", "boolean"))
        o.add(node, "mzkg:actionType", st.action or f"{ID}action/carry-out")
        involved = [m.iri for m in st.mentions] + [self.candidate(c, candidates) for c in st.candidates]
        for iri in dict.fromkeys(involved):
            o.add(node, "mzkg:involves", iri)
        o.add(node, "mzkg:policyArea", self.gaz.area([m.iri for m in st.mentions]))
        for k, f in enumerate(st.figures, 1):
            o.add(node, "mzkg:hasMeasurement", self.figure(f"{self.base}/measurement/{st.year}/{n:03d}-{k}", f, candidates))

    def candidate(self, c: Candidate, seen: dict[str, str]) -> str:
        if c.name in seen:
            return seen[c.name]
        o = self.out
        kind = {"Programme": "programme", "WorkingMechanism": "mechanism", "PolicyDocument": "document"}[c.cls]
        place = self.place_iri.rsplit("/", 1)[1]
        iri = f"{ID}{kind}/{place}-{slugify(c.name)}"
        o.add(iri, RDF_TYPE, MZKG + c.cls)
        self.labels(iri, c.name, f"(to translate) {c.name}")
        o.add(iri, "prov:wasDerivedFrom", self.span(c.start, c.end))
        o.add(iri, "mzkg:policyArea", f"{ID}area/minzheng")
        if c.cls == "PolicyDocument":
            o.add(iri, "mzkg:documentType", f"{ID}doctype/document")
        o.flag(iri, c.name, f"a new {c.cls} named in the text: check that it is one, its policy area and its links")
        seen[c.name] = iri
        return iri

    def figure(self, node: str, f: FigureDraft, candidates: dict[str, str]) -> str:
        o, fg = self.out, f.figure
        o.add(node, RDF_TYPE, MZKG + "Measurement")
        thing = self.gaz.labels.get(f.measures, "")
        thing = self.s2t.convert(thing) if self.lang == "zh-Hant" else self.t2s.convert(thing)
        self.labels(
            node, f"{thing}{fg.text}" if thing else self.draft.text[f.clause[0] : f.clause[1]][:40], f"(drafted) figure {fg.text}"
        )
        o.add(node, "prov:wasDerivedFrom", self.span(f.clause[0], f.clause[1]))
        o.add(node, "mzkg:asWritten", _lit(fg.text, self.lang))
        o.add(node, "mzkg:writtenValue", _typed(_number(fg.number), "decimal"))
        o.add(node, "mzkg:value", _typed(_number(fg.value), "decimal"))
        if f.unit == "cny":
            kind, sure = money_kind(self.draft.text[max(f.clause[0], fg.start - 24) : fg.start])
            o.add(node, "mzkg:moneyKind", f"{ID}money-kind/{kind}")
            if not sure:
                f.notes.append("kind of money not named near the figure: taken as an investment")
        if fg.scale:
            o.add(node, "mzkg:scale", f"{ID}scale/{'wan' if fg.scale in '萬万' else 'yi'}")
        if fg.hedge_slug:
            o.add(node, "mzkg:hedge", f"{ID}hedge/{fg.hedge_slug}")
        o.add(node, "mzkg:unit", f"{ID}unit/{f.unit}")
        if f.unit_implied:
            o.add(node, "mzkg:unitImplied", _typed("true", "boolean"))
        o.add(node, "mzkg:period", self.period(f.year))
        o.add(node, "mzkg:isTarget", _typed("true" if f.is_target else "false", "boolean"))
        o.add(node, "mzkg:figureKind", f"{ID}figure-kind/{f.kind}")
        measures = f.measures
        if measures.startswith("candidate:"):
            measures = candidates.get(measures.removeprefix("candidate:"), self.place_iri)
        elif measures == "candidate-place":
            measures = self.place_iri
        o.add(node, "mzkg:measures", measures)
        if f.notes:
            o.flag(node, fg.text, "; ".join(f.notes))
        return node

    def turtle(self) -> bytes:
        prefixes = {k: v for k, v in PREFIXES.items() if k != "id"}
        return ox.serialize(sorted(self.out.triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


MONEY_WORDS = {
    "財政": "fiscal-input", "财政": "fiscal-input", "信託": "trust-assets", "信托": "trust-assets", "銷售": "sales",
    "销售": "sales", "籌集": "funds-raised", "筹集": "funds-raised", "捐": "donations", "減輕": "savings", "减轻": "savings",
    "投入": "investment",
}  # fmt: skip


def money_kind(before: str) -> tuple[str, bool]:
    """The kind of money a figure counts, from the nearest money word before it (and whether one was found)."""
    hits = [(before.rfind(w), kind) for w, kind in MONEY_WORDS.items() if w in before]
    if not hits:
        return "investment", False
    return max(hits)[1], True


def _first_clause(text: str) -> tuple[int, int]:
    """The report's opening words: its first clause with some text in it."""
    start = 0
    for m in re.finditer(r"[。;;!!??\n]", text):
        if text[start : m.start()].strip():
            return start + (len(text[start : m.start()]) - len(text[start : m.start()].lstrip())), m.start()
        start = m.end()
    return 0, len(text.rstrip())


def _number(value: object) -> str:
    text = format(value, "f") if not isinstance(value, str) else value
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tier_of(w: Writer) -> str:
    """The report's administrative level: its place's tier."""
    if w.place_iri in w.gaz.tiers:
        return w.gaz.tiers[w.place_iri]
    words = w.draft.place_words[2] if w.draft.place_words else ""
    return f"{ID}tier/{'shi' if words.endswith('市') else 'sheng'}"


def iter_review(out: Out) -> Iterator[str]:
    for node, text, why in sorted(out.review):
        yield f"- `{node.removeprefix(ID)}` 「{text}」: {why}"
