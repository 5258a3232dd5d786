"""Review: a person confirms, fixes, rejects or links each item `mzkg draft` marked, and the draft becomes trusted.

An *item* is a node of the draft with `mzkg:needsReview true`. It is named by a short stable id — its IRI's tail
after the report's path (`measurement/2022/003-1`, `dataset`, `report` for the report itself), else its tail
after `id/` (`agency/330300-dca`) — or by its full IRI.

    draft = review.open_draft("drafts/wenzhou-2023-invented.ttl")
    for item in draft.items(): ...
    draft.fix("measurement/2022/002-2", value="1,850户", reviewer="Li Ming")   # or fix(item, {"value": …})
    draft.accept("agency/330300-dca", reviewer="Li Ming")
    draft.done(reviewer="Li Ming")

Each decision is written back to the draft at once (atomically, triples sorted and serialised by Oxigraph's
Turtle writer, as `mzkg draft` writes them), so a review is a readable `git diff`. A fixed figure is read again by
the one figure reader (`mzkg.features.figures.parse`): its written form must occur in the span it cites and say
the value, scale, unit and hedge the data gives; a fix that disagrees is refused with the reason and nothing is
written.

The PROV trail of a decision (the ontology has no term of its own for a review decision, so it is a plain
`prov:Activity` described by its `rdfs:comment`):

    <report/SLUG/review/004> a prov:Activity ;
        rdfs:comment "fix value measurement/2022/002-2 (mzkg review)"@en ;
        prov:wasAssociatedWith <id/reviewer/li-ming> ;          # a prov:Agent, rdfs:label its name
        prov:endedAtTime "2026-12-03T18:40:12Z"^^xsd:dateTime ;
        prov:used <report/SLUG/review/004/was/value> ;
        prov:generated <report/SLUG/review/004/now/value> .
    <report/SLUG/review/004/was/value> a prov:Entity ;           # what it was before
        prov:specializationOf <the item> ; rdfs:label "value" ; prov:value 850 .
    <report/SLUG/review/004/now/value> a prov:Entity ;           # what it is now
        prov:specializationOf <the item> ; rdfs:label "value" ; prov:value 1850 ;
        prov:wasRevisionOf <report/SLUG/review/004/was/value> ; prov:wasGeneratedBy <report/SLUG/review/004> .

One was/now pair per property the decision changed, named by the property's local name (a written form read again
changes `asWritten`, `writtenValue`, `value` and perhaps `scale`, `unit`, `hedge`; a property that had no value has a
`was` entity without `prov:value`), and `review-mark` for the mark itself. Accepting
uses `was/review-mark` (its `prov:value` the editorial note) and generates `now/review-mark` (no value: the mark
is gone); linking uses `was/iri` (the candidate) and generates `now/iri` (the known entity); rejecting uses
`was/triples`, whose `prov:value` is every triple removed, as N-Triples, and generates nothing. `done` uses the
report's `was/encodingMethod` and generates `now/encodingMethod`. The catalogue entry is `prov:wasAttributedTo`
every reviewer and its `dcterms:modified` is the time of the last decision.

A refused decision (a wrong fix, `done` with items open) is a `Refused` error (exit 1); an unknown item is
`NotFound` (exit 1); a bad field or value is a `UsageError` (exit 2).
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
import json
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ..core import ids
from ..core.errors import LoadError, MzkgError, NotFound, Refused, UsageError
from ..core.files import write_bytes_atomically
from ..core.graph import KnowledgeGraph
from ..core.prefixes import ID, MZKG, PREFIXES, RDF, XSD, curie
from . import figures


def _p(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


TYPE = ox.NamedNode(RDF + "type")
NEEDS_REVIEW = _p("mzkg", "needsReview")
NOTE = _p("skos", "editorialNote")
DERIVED = _p("prov", "wasDerivedFrom")
HAS_SOURCE = _p("oa", "hasSource")
HAS_SELECTOR = _p("oa", "hasSelector")
START, END, EXACT = _p("oa", "start"), _p("oa", "end"), _p("oa", "exact")
IS_STRING = _p("nif", "isString")
FILE_PATH = _p("mzkg", "filePath")
LANGUAGE = _p("dcterms", "language")
LABEL = _p("rdfs", "label")
ALT_LABEL = _p("skos", "altLabel")
AS_WRITTEN, WRITTEN_VALUE, VALUE = _p("mzkg", "asWritten"), _p("mzkg", "writtenValue"), _p("mzkg", "value")
UNIT, HEDGE, SCALE, UNIT_IMPLIED = _p("mzkg", "unit"), _p("mzkg", "hedge"), _p("mzkg", "scale"), _p("mzkg", "unitImplied")
HAS_MEASUREMENT = _p("mzkg", "hasMeasurement")
PRIMARY_TOPIC = _p("foaf", "primaryTopic")
ENCODING = _p("mzkg", "encodingMethod")
TITLE, SPATIAL, MODIFIED = _p("dcterms", "title"), _p("dcterms", "spatial"), _p("dcterms", "modified")
MEASUREMENT = _p("mzkg", "Measurement")
DATASET = _p("dcat", "Dataset")
SECTION = _p("mzkg", "ReportSection")
REVIEWED = ox.NamedNode(f"{ID}encoding-method/drafted-reviewed")
TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
ACTIVITY, ENTITY, AGENT = _p("prov", "Activity"), _p("prov", "Entity"), _p("prov", "Agent")
COMMENT = _p("rdfs", "comment")

# What `fix` may change: field → (the property, the kind of shared thing its value names, or None for a literal).
FIELDS: dict[str, tuple[ox.NamedNode, str | None]] = {
    "value": (VALUE, None),
    "unit": (UNIT, "unit"),
    "hedge": (HEDGE, "hedge"),
    "scale": (SCALE, "scale"),
    "period": (_p("mzkg", "period"), "period"),
    "measures": (_p("mzkg", "measures"), ""),
    "indicator": (_p("mzkg", "indicator"), "indicator"),
    "title": (TITLE, None),
    "place": (SPATIAL, "place"),
}
# the property `place` sets on other kinds of node than the catalogue entry
PLACE_OF = {MZKG + "Conference": _p("schema", "location")}
PLACE_DEFAULT = _p("mzkg", "jurisdiction")
# what a node cannot do without: losing it to a rejected item opens the node for review again
NEEDED = frozenset({_p("mzkg", "measures"), _p("mzkg", "indicator"), _p("mzkg", "responsibleActor")})
# the proposed values shown for an item, in this order
SHOWN = (
    ("written", AS_WRITTEN),
    ("value", VALUE),
    ("unit", UNIT),
    ("hedge", HEDGE),
    ("scale", SCALE),
    ("period", _p("mzkg", "period")),
    ("measures", _p("mzkg", "measures")),
    ("indicator", _p("mzkg", "indicator")),
    ("kind", _p("mzkg", "figureKind")),
    ("money", _p("mzkg", "moneyKind")),
    ("title", TITLE),
    ("place", SPATIAL),
    ("place", _p("schema", "location")),
    ("jurisdiction", PLACE_DEFAULT),
    ("area", _p("mzkg", "policyArea")),
    ("about", _p("mzkg", "aboutConcept")),
    ("date", _p("schema", "startDate")),
    ("label", LABEL),
)
_SENTENCE_END = "。！？!?；;\n"


@dataclass(frozen=True)
class Item:
    """One open item: the node, its kind, the words it cites with the figure or name marked (【…】), where they are
    (1-based line, code-point offsets of the marked words, end exclusive), why it was marked, and what it proposes."""

    iri: str
    id: str
    kind: str
    note: str
    sentence: str
    line: int | None
    start: int | None
    end: int | None
    values: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "iri": self.iri,
            "kind": self.kind,
            "note": self.note,
            "sentence": self.sentence,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "values": dict(self.values),
        }

    def text(self) -> str:
        where = f"line {self.line}, {self.start}–{self.end}" if self.line is not None else "not in the text"
        out = [f"{self.id}  [{self.kind}]  ({where})", f"  {self.sentence}" if self.sentence else "", f"  why: {self.note}"]
        width = max((len(k) for k, _ in self.values), default=0)
        out += [f"  | {k:<{width}} | {v}" for k, v in self.values]
        return "\n".join(line for line in out if line)


@dataclass(frozen=True)
class Span:
    """Words of the text a drafted node cites (code points, end exclusive), the nodes citing them (short ids, open
    ones first), the kind shown for them (`KINDS`) and whether any of them is still open."""

    start: int
    end: int
    nodes: tuple[str, ...]
    kind: str
    open: bool


# the kinds a span is shown as, most specific first, by the classes of the nodes citing it
KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("figure", frozenset({MZKG + "Measurement"})),
    ("place", frozenset({MZKG + "Place"})),
    ("period", frozenset({MZKG + "Period"})),
    ("statement", frozenset({MZKG + "Statement", MZKG + "Achievement", MZKG + "Task"})),
)
OTHER_KIND = "entity"  # anything else a report names


@dataclass(frozen=True)
class Decision:
    """What one decision did: its activity's IRI, and a line saying it."""

    activity: str
    summary: str


def _shown(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value.removeprefix(ID) if term.value.startswith(ID) else curie(term.value)
    if isinstance(term, ox.Literal) and term.language:
        return f"{term.value} @{term.language}"
    return _v(term)


def default_reviewer() -> str:
    """The reviewer when none is named: the git user's name, else the login name."""
    try:
        done = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def reviewer_iri(name: str) -> str:
    """The agent of a reviewer: `id/reviewer/<name>` (lower case, words joined by hyphens, any script kept)."""
    slug = "-".join(w for w in re.split(r"[^\w]+", name.strip().lower()) if w)
    if not slug:
        raise UsageError(f"--reviewer {name!r}: a reviewer needs a name")
    return f"{ID}reviewer/{slug}"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


@dataclass
class Draft:
    """A draft graph open for review: its triples, its source text, and where it is written back."""

    path: Path
    triples: set[ox.Triple]
    report: str
    dataset: str
    text: str
    clock: Callable[[], datetime.datetime] = field(default=_now, repr=False)
    store: ox.Store | None = field(default=None, repr=False)  # the graph the draft is reviewed beside
    # while the draft is only read (listing items and spans): its triples by subject and predicate, and by object
    _index: tuple[dict[tuple[object, object], list[object]], dict[object, list[ox.Triple]]] | None = field(
        default=None, init=False, repr=False
    )

    @contextlib.contextmanager
    def _indexed(self) -> Iterator[None]:
        """Look-ups indexed for the time of a read of many nodes (nothing is written meanwhile)."""
        if self._index is not None:
            yield
            return
        by_subject: dict[tuple[object, object], list[object]] = {}
        by_object: dict[object, list[ox.Triple]] = {}
        for t in self.triples:
            by_subject.setdefault((t.subject, t.predicate), []).append(t.object)
            by_object.setdefault(t.object, []).append(t)
        self._index = (by_subject, by_object)
        try:
            yield
        finally:
            self._index = None

    def _citing(self, node: ox.NamedNode) -> list[ox.Triple]:
        """The triples whose object is node."""
        if self._index is not None:
            return self._index[1].get(node, [])
        return [t for t in self.triples if t.object == node]

    # --- reading ---------------------------------------------------------------------------------------------
    def objects(self, s: str, p: ox.NamedNode) -> list[ox.NamedNode | ox.Literal | ox.BlankNode]:
        node = ox.NamedNode(s)
        if self._index is not None:
            return sorted(self._index[0].get((node, p), []), key=str)  # type: ignore[arg-type]
        return sorted((t.object for t in self.triples if t.subject == node and t.predicate == p), key=str)  # type: ignore[misc]

    def one(self, s: str, p: ox.NamedNode) -> ox.NamedNode | ox.Literal | ox.BlankNode | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def open_iris(self) -> list[str]:
        return sorted({_v(t.subject) for t in self.triples if t.predicate == NEEDS_REVIEW and t.object == TRUE})

    def short_id(self, iri: str) -> str:
        if iri == self.report:
            return "report"
        if iri.startswith(self.report + "/"):
            return iri[len(self.report) + 1 :]
        return iri.removeprefix(ID)

    def resolve(self, name: str) -> str:
        """The IRI of an item named by its short id or its IRI (a NotFound if the draft has no such node)."""
        subjects = {t.subject.value for t in self.triples if isinstance(t.subject, ox.NamedNode)}
        if name == "report":
            wanted = [self.report]
        elif "://" in name:
            wanted = [name]
        else:
            wanted = [f"{self.report}/{name}", f"{ID}{name}"]
        for iri in wanted:
            if iri in subjects:
                return iri
        raise NotFound(f"{self.path}: no node {name!r} in this draft (name an item as `mzkg review list` shows it)")

    def items(self) -> list[Item]:
        """Every open item, in the order of the text (items the text does not hold last)."""
        with self._indexed():
            found = [self.item(iri) for iri in self.open_iris()]
        return sorted(found, key=lambda i: (i.start is None, i.start or 0, i.id))

    def item(self, iri: str) -> Item:
        kinds = ", ".join(sorted(curie(t.value) for t in self.objects(iri, TYPE) if isinstance(t, ox.NamedNode)))
        notes = "; ".join(n.value for n in self.objects(iri, NOTE))
        start, end, sentence = self._where(iri)
        line = self.text.count("\n", 0, start) + 1 if start is not None else None
        values = []
        for name, prop in SHOWN:
            got = self.objects(iri, prop)
            if prop == LABEL:
                got = [g for g in got if (getattr(g, "language", None) or "").startswith("zh")][:1]
            if got:
                values.append((name, ", ".join(_shown(g) for g in got)))
        return Item(iri, self.short_id(iri), kinds or "-", notes, sentence, line, start, end, tuple(values))

    def kind(self, iri: str) -> str:
        """How a node is shown (`KINDS`, else `entity`), by its classes in the draft or the graph beside it."""
        types = {t.value for t in self.objects(iri, TYPE) if isinstance(t, ox.NamedNode)}
        if not types and self.store is not None:
            types = {_v(q.object) for q in self.store.quads_for_pattern(ox.NamedNode(iri), TYPE, None)}
        return next((name for name, classes in KINDS if types & classes), OTHER_KIND)

    def spans(self) -> list[Span]:
        """The words each node of the draft cites or is marked at (a figure's written form, an entity's name, a
        statement's sentence; sections and the catalogue entry left out), grouped where they are the same words,
        in the order of the text, longer first at one start."""
        with self._indexed():
            return self._spans_read()

    def _spans_read(self) -> list[Span]:
        opened = set(self.open_iris())
        nodes = {_v(t.subject) for t in self.triples if t.predicate == DERIVED and isinstance(t.subject, ox.NamedNode)}
        nodes = (nodes | opened) - {self.dataset}
        sections = {_v(t.subject) for t in self.triples if t.predicate == TYPE and t.object == SECTION}
        at: dict[tuple[int, int], list[str]] = {}
        for iri in sorted(nodes - sections):
            a, b, _ = self._where(iri)
            if a is None or b is None or b <= a:
                continue
            if self._spans(iri) or self.text[a:b] in self._words(iri):  # a node citing no span: only where it is named
                at.setdefault((a, b), []).append(iri)
        rank = {name: i for i, (name, _) in enumerate(KINDS)}
        out = []
        for (a, b), here in sorted(at.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
            here.sort(key=lambda n: (n not in opened, rank.get(self.kind(n), len(KINDS)), n))
            out.append(Span(a, b, tuple(self.short_id(n) for n in here), self.kind(here[0]), here[0] in opened))
        return out

    def reviewed(self) -> bool:
        """Whether the report is marked reviewed (`mzkg review done`)."""
        return REVIEWED in self.objects(self.dataset, ENCODING)

    def decided(self) -> int:
        """How many decisions the draft records (its `mzkg review` activities, `done` not counted)."""
        base = f"{self.report}/review/"
        return sum(
            1
            for t in self.triples
            if t.predicate == COMMENT and _v(t.subject).startswith(base) and not _v(t.object).startswith("done ")
        )

    def _spans(self, iri: str) -> list[tuple[int, int]]:
        out = []
        for span in self.objects(iri, DERIVED):
            if not isinstance(span, ox.NamedNode):
                continue
            for sel in self.objects(span.value, HAS_SELECTOR):
                s, e = self.one(sel.value, START), self.one(sel.value, END)
                if s is not None and e is not None:
                    out.append((int(s.value), int(e.value)))
        return sorted(out)

    def _words(self, iri: str) -> list[str]:
        """The words that name or write a node, longest first: its written form, else its labels."""
        words = [w.value for w in self.objects(iri, AS_WRITTEN)]
        words += [w.value for p in (LABEL, ALT_LABEL) for w in self.objects(iri, p) if isinstance(w, ox.Literal)]
        return sorted({w for w in words if w}, key=lambda w: (-len(w), w))

    def _where(self, iri: str) -> tuple[int | None, int | None, str]:
        spans = self._spans(iri)
        if not spans:  # a node with no span of its own (a drafted indicator, a place): where those citing it are
            node = ox.NamedNode(iri)
            citing = sorted({_v(t.subject) for t in self._citing(node) if t.predicate != TYPE})
            spans = sorted(s for c in citing for s in self._spans(c))
        if not spans:
            return None, None, ""
        words = [w.value for w in self.objects(iri, AS_WRITTEN)] or self._words(iri)
        found = [(a, b, self.text.find(w, a, b), w) for a, b in spans for w in words if self.text.find(w, a, b) >= 0]
        a, b = found[0][:2] if found else spans[0]
        hit = (found[0][2], found[0][3]) if found else None
        left = max((self.text.rfind(c, 0, a) for c in _SENTENCE_END), default=-1) + 1
        right = min((i for i in (self.text.find(c, b) for c in _SENTENCE_END) if i >= 0), default=len(self.text))
        right = min(right + 1, len(self.text)) if right < len(self.text) and self.text[right] != "\n" else right
        if hit is None:
            return a, b, self.text[left:a] + "【" + self.text[a:b] + "】" + self.text[b:right]
        s, w = hit
        e = s + len(w)
        return s, e, self.text[left:s] + "【" + w + "】" + self.text[e:right]

    # --- writing ---------------------------------------------------------------------------------------------
    def turtle(self) -> bytes:
        prefixes = {k: v for k, v in PREFIXES.items() if k != "id"}
        return ox.serialize(sorted(self.triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""

    def save(self) -> None:
        write_bytes_atomically(self.path, self.turtle())

    def _add(self, s: str, p: ox.NamedNode, o: ox.NamedNode | ox.Literal | str) -> None:
        self.triples.add(ox.Triple(ox.NamedNode(s), p, ox.NamedNode(o) if isinstance(o, str) else o))

    def _remove(self, s: str, p: ox.NamedNode | None = None) -> list[ox.Triple]:
        node = ox.NamedNode(s)
        gone = [t for t in self.triples if t.subject == node and (p is None or t.predicate == p)]
        self.triples.difference_update(gone)
        return gone

    def _record(
        self,
        reviewer: str | None,
        what: str,
        target: str,
        changes: Iterable[tuple[str, list[ox.NamedNode | ox.Literal], list[ox.NamedNode | ox.Literal] | None]],
    ) -> Decision:
        """The PROV trail of one decision (see the module's docstring): `changes` are (field, its values before,
        its values now, or None when the decision generates nothing)."""
        name = reviewer or default_reviewer()
        agent = reviewer_iri(name)
        when = ox.Literal(self.clock().isoformat().replace("+00:00", "Z"), datatype=ox.NamedNode(XSD + "dateTime"))
        base = f"{self.report}/review/"
        taken = [int(m.group(1)) for t in self.triples if (m := re.fullmatch(re.escape(base) + r"(\d+)", _v(t.subject)))]
        act = f"{base}{max(taken, default=0) + 1:03d}"
        self._add(agent, TYPE, AGENT)
        if not self.objects(agent, LABEL):
            self._add(agent, LABEL, ox.Literal(name))
        self._add(act, TYPE, ACTIVITY)
        self._add(act, COMMENT, ox.Literal(f"{what} {self.short_id(target)} (mzkg review)", language="en"))
        self._add(act, _p("prov", "wasAssociatedWith"), agent)
        self._add(act, _p("prov", "endedAtTime"), when)
        for key, before, after in changes:
            was = f"{act}/was/{key}"
            self._add(act, _p("prov", "used"), was)
            self._add(was, TYPE, ENTITY)
            self._add(was, _p("prov", "specializationOf"), target)
            self._add(was, LABEL, ox.Literal(key))
            for v in before:
                self._add(was, _p("prov", "value"), v)
            if after is None:
                continue
            now = f"{act}/now/{key}"
            self._add(act, _p("prov", "generated"), now)
            self._add(now, TYPE, ENTITY)
            self._add(now, _p("prov", "specializationOf"), target)
            self._add(now, LABEL, ox.Literal(key))
            self._add(now, _p("prov", "wasRevisionOf"), was)
            self._add(now, _p("prov", "wasGeneratedBy"), act)
            for v in after:
                self._add(now, _p("prov", "value"), v)
        self._remove(self.dataset, MODIFIED)
        self._add(self.dataset, MODIFIED, when)
        self._add(self.dataset, _p("prov", "wasAttributedTo"), agent)
        self.save()
        return Decision(act, f"{what} {self.short_id(target)}")

    # --- the decisions ---------------------------------------------------------------------------------------
    def _open(self, name: str) -> str:
        iri = self.resolve(name)
        if ox.Triple(ox.NamedNode(iri), NEEDS_REVIEW, TRUE) not in self.triples:
            raise Refused(f"{self.short_id(iri)} is not open for review (no mzkg:needsReview true)")
        return iri

    def accept(self, name: str, *, reviewer: str | None = None) -> Decision:
        """The item is right as drafted: its review mark and editorial note go."""
        iri = self._open(name)
        notes = [t.object for t in self._remove(iri, NOTE)]
        self._remove(iri, NEEDS_REVIEW)
        return self._record(reviewer, "accept", iri, [("review-mark", notes, [])])  # type: ignore[list-item]

    def fix(self, name: str, changes: Mapping[str, str] | None = None, *, reviewer: str | None = None, **fields: str) -> Decision:
        """Set fields of an item (`FIELDS`, as a mapping or as keywords); the item is then reviewed. A figure is
        read again and must agree with its text, else nothing changes."""
        changes = {**(changes or {}), **fields}
        iri = self._open(name)
        if not changes:
            raise UsageError("fix needs FIELD=VALUE (fields: " + ", ".join(FIELDS) + ")")
        unknown = sorted(set(changes) - set(FIELDS))
        if unknown:
            raise UsageError(f"no field {unknown[0]!r} to fix (fields: {', '.join(FIELDS)})")
        kept = set(self.triples)
        before = self._description(iri)
        try:
            for key, raw in changes.items():
                self._set(iri, key, self._property(iri, key), raw.strip())
            if self.objects(iri, AS_WRITTEN):
                self._check_figure(iri)
        except MzkgError:
            self.triples = kept  # nothing is written
            raise
        after = self._description(iri)
        # one was/now pair per property the fix changed (a written form re-read changes several)
        record: list[tuple[str, list[ox.NamedNode | ox.Literal], list[ox.NamedNode | ox.Literal] | None]] = [
            (p.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], before.get(p, []), after.get(p, []))
            for p in sorted(set(before) | set(after), key=str)
            if before.get(p, []) != after.get(p, []) and p not in (NOTE, NEEDS_REVIEW)
        ]
        notes = [t.object for t in self._remove(iri, NOTE)]
        self._remove(iri, NEEDS_REVIEW)
        record.append(("review-mark", notes, []))  # type: ignore[arg-type]
        return self._record(reviewer, "fix " + ", ".join(changes), iri, record)

    def _description(self, iri: str) -> dict[ox.NamedNode, list[ox.NamedNode | ox.Literal]]:
        node = ox.NamedNode(iri)
        out: dict[ox.NamedNode, list[ox.NamedNode | ox.Literal]] = {}
        for t in sorted(self.triples, key=str):
            if t.subject == node and isinstance(t.object, ox.NamedNode | ox.Literal):
                out.setdefault(t.predicate, []).append(t.object)
        return out

    def _property(self, iri: str, key: str) -> ox.NamedNode:
        prop = FIELDS[key][0]
        if key == "place" and ox.NamedNode(MZKG + "Place") in self.objects(iri, TYPE):
            raise UsageError(f"{self.short_id(iri)} is a place: put another in its stead with `mzkg review link ITEM PLACE`")
        if key == "place" and iri != self.dataset:
            kinds = {t.value for t in self.objects(iri, TYPE)}
            return next((PLACE_OF[k] for k in sorted(kinds) if k in PLACE_OF), PLACE_DEFAULT)
        if key == "title" and iri != self.dataset:
            raise UsageError("title is a field of the catalogue entry (item `dataset`)")
        return prop

    def _set(self, iri: str, key: str, prop: ox.NamedNode, raw: str) -> list[ox.NamedNode | ox.Literal]:
        if not raw:
            raise UsageError(f"{key}= needs a value")
        if key == "value":
            return self._set_value(iri, raw)
        if key == "title":
            return self._set_title(iri, raw)
        if key == "hedge" and raw in ("none", "-"):
            self._remove(iri, prop)
            return []
        node = ox.NamedNode(self._iri_of(key, raw))
        self._remove(iri, prop)
        self._add(iri, prop, node)
        if key == "unit" and not self._reading(iri).unit:
            self._remove(iri, UNIT_IMPLIED)
            self._add(iri, UNIT_IMPLIED, TRUE)
        return [node]

    def _iri_of(self, key: str, raw: str) -> str:
        kind = FIELDS[key][1]
        if "://" in raw:
            iri = raw
        elif key == "period" and re.fullmatch(r"\d{4}(?:-\d{4})?", raw):
            a, _, b = raw.partition("-")
            iri = ids.period(int(a), int(b) if b else None)
        elif key == "place" and re.fullmatch(r"\d{6}", raw):
            iri = self._place_of_code(raw)
        elif "/" in raw or not kind:
            iri = f"{ID}{raw}"
        else:
            iri = f"{ID}{kind}/{raw}"
        if kind and not iri.startswith(f"{ID}{kind}/"):
            raise UsageError(f"{key}={raw}: not a {kind} (id/{kind}/…)")
        if not self._known(iri):
            raise NotFound(f"{key}={raw}: <{iri}> is not in the draft or the graph")
        return iri

    def _place_of_code(self, code: str) -> str:
        """The place of a GB/T 2260 code: the draft's, else the graph's, else `id/place/<code>`."""
        code_p, literal = _p("mzkg", "divisionCode"), ox.Literal(code)
        found = sorted(_v(t.subject) for t in self.triples if t.predicate == code_p and t.object == literal)
        if not found and self.store is not None:
            found = sorted(_v(q.subject) for q in self.store.quads_for_pattern(None, code_p, literal))
        return found[0] if found else ids.place(code)

    def _known(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        if any(t.subject == node and t.predicate == TYPE for t in self.triples):
            return True
        return self.store is None or next(iter(self.store.quads_for_pattern(node, None, None)), None) is not None

    def _set_value(self, iri: str, raw: str) -> list[ox.NamedNode | ox.Literal]:
        """A bare number is the value in base units (checked against the written form); anything else is the
        figure as the text writes it, read again: written form, written value, value, scale, unit and hedge."""
        if not self.objects(iri, AS_WRITTEN):
            raise UsageError(f"{self.short_id(iri)} is no figure: value= fixes a measurement")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is not None:
            literal = ox.Literal(_decimal(number), datatype=ox.NamedNode(XSD + "decimal"))
            self._remove(iri, VALUE)
            self._add(iri, VALUE, literal)
            return [literal]
        fig = figures.parse(raw)
        if fig is None:
            raise Refused(f"{self.short_id(iri)}: 「{raw}」 is not a figure mzkg can read (number, scale, unit, one hedge)")
        lang = self.objects(iri, AS_WRITTEN)[0]
        assert isinstance(lang, ox.Literal)
        self._relabel(iri, lang.value, raw)
        dec = ox.NamedNode(XSD + "decimal")
        for prop in (AS_WRITTEN, WRITTEN_VALUE, VALUE, SCALE, HEDGE):
            self._remove(iri, prop)
        self._add(iri, AS_WRITTEN, ox.Literal(raw, language=lang.language) if lang.language else ox.Literal(raw))
        self._add(iri, WRITTEN_VALUE, ox.Literal(_decimal(fig.number), datatype=dec))
        self._add(iri, VALUE, ox.Literal(_decimal(fig.value), datatype=dec))
        if fig.scale_slug:
            self._add(iri, SCALE, ox.NamedNode(ids.shared("scale", fig.scale_slug)))
        if fig.hedge_slug:
            self._add(iri, HEDGE, ox.NamedNode(ids.shared("hedge", fig.hedge_slug)))
        if fig.unit_slug:
            self._remove(iri, UNIT)
            self._remove(iri, UNIT_IMPLIED)
            self._add(iri, UNIT, ox.NamedNode(ids.shared("unit", fig.unit_slug)))
        return [ox.Literal(raw)]

    def _relabel(self, iri: str, old: str, new: str) -> None:
        """Labels that write the figure (`mzkg draft` names a figure by its words) say the new words, in the
        script of each label."""
        from .scripts import converter  # noqa: PLC0415 - OpenCC only for a relabelled figure

        hant = converter("s2t")
        for t in self._remove(iri, LABEL):
            label = t.object
            if not isinstance(label, ox.Literal):
                self.triples.add(t)
                continue
            if (label.language or "").lower() == "zh-hant":
                text = label.value.replace(hant.convert(old), hant.convert(new))
            else:
                text = label.value.replace(old, new)
            self.triples.add(ox.Triple(t.subject, LABEL, ox.Literal(text, language=label.language)))

    def _set_title(self, iri: str, raw: str) -> list[ox.NamedNode | ox.Literal]:
        from .scripts import converter  # noqa: PLC0415 - OpenCC only for a new title

        for t in self._remove(iri, TITLE):
            if isinstance(t.object, ox.Literal) and not (t.object.language or "").startswith("zh"):
                self.triples.add(t)  # the English title stays
        hant, hans = converter("s2t").convert(raw), converter("t2s").convert(raw)
        new = [ox.Literal(hant, language="zh-Hant"), ox.Literal(hans, language="zh-Hans")]
        for lit in new:
            self._add(iri, TITLE, lit)
        return new  # type: ignore[return-value]

    def _reading(self, iri: str) -> figures.Figure:
        written = self.one(iri, AS_WRITTEN)
        fig = figures.parse(written.value) if written is not None else None
        if fig is None:
            raise Refused(f"{self.short_id(iri)}: 「{written.value if written else ''}」 is not a figure mzkg can read")
        return fig

    def _check_figure(self, iri: str) -> None:
        """The figure as its written form reads (`figures.parse`) against the data, and the written form against the
        span it cites — the checks `validate` makes, made before anything is written."""
        fig, short = self._reading(iri), self.short_id(iri)
        written = fig.text
        for a, b in self._spans(iri):
            if written not in self.text[a:b]:
                raise Refused(f"{short}: 「{written}」 is not in the span it cites: 「{self.text[a:b]}」")

        def slug(prop: ox.NamedNode) -> str | None:
            got = self.one(iri, prop)
            return got.value.rsplit("/", 1)[1] if isinstance(got, ox.NamedNode) else None

        def number(prop: ox.NamedNode) -> Decimal | None:
            got = self.one(iri, prop)
            return Decimal(got.value) if got is not None else None

        problems = []
        if number(WRITTEN_VALUE) != fig.number:
            problems.append(f"writes the number {fig.number}, not {number(WRITTEN_VALUE)}")
        if number(VALUE) != fig.value:
            problems.append(f"reads {_decimal(fig.value)} in base units, not {number(VALUE)}")
        if slug(SCALE) != fig.scale_slug:
            problems.append(f"has the scale {fig.scale or 'none'}, not {slug(SCALE) or 'none'}")
        if fig.unit is not None and slug(UNIT) != fig.unit_slug:
            problems.append(f"is counted in {fig.unit} ({fig.unit_slug}), not {slug(UNIT)}")
        if slug(HEDGE) != fig.hedge_slug:
            problems.append(f"has the hedge {fig.hedge or 'none'}, not {slug(HEDGE) or 'none'}")
        if problems:
            raise Refused(f"{short}: 「{written}」 " + "; ".join(problems))

    def reject(self, name: str, *, reviewer: str | None = None) -> Decision:
        """The item is wrong: it goes, with its triples in both directions, its measurements, the spans only it
        cites, and drafted nodes only it pointed to that are still marked for review."""
        iri = self._open(name)
        removed: list[ox.Triple] = []
        todo = [iri]
        while todo:
            node = todo.pop()
            term = ox.NamedNode(node)
            mine = [t for t in self.triples if term in (t.subject, t.object)]
            self.triples.difference_update(mine)
            removed += mine
            for t in mine:
                if t.subject != term or not isinstance(t.object, ox.NamedNode):
                    continue
                obj = t.object.value
                drafted = ox.Triple(t.object, NEEDS_REVIEW, TRUE) in self.triples  # a drafted node only it pointed to
                if t.predicate == HAS_MEASUREMENT or (
                    t.predicate != TYPE and self._orphan(obj) and (drafted or t.predicate == DERIVED)
                ):
                    todo.append(obj)
            if self._is_span(node, removed):
                for sel in (f"{node}#position", f"{node}#quote"):
                    removed += self._remove(sel)
        self._reopen(iri, removed)
        dump = ox.serialize(sorted(removed, key=str), format=ox.RdfFormat.N_TRIPLES) or b""
        return self._record(reviewer, "reject", iri, [("triples", [ox.Literal(dump.decode("utf-8"))], None)])

    def _reopen(self, iri: str, removed: list[ox.Triple]) -> None:
        """A node that stays but needed what was rejected (a figure's measured thing or indicator, a statement's
        responsible actor) is marked for review again, saying what it lost."""
        gone = {t.subject for t in removed if t.predicate == TYPE}
        for t in sorted(removed, key=str):
            if t.predicate in NEEDED and t.subject not in gone and isinstance(t.subject, ox.NamedNode):
                why = f"its {curie(t.predicate.value)} {_shown(t.object)} was rejected: set another with `mzkg review fix`"
                self._add(t.subject.value, NEEDS_REVIEW, TRUE)
                self._add(t.subject.value, NOTE, ox.Literal(why, language="en"))

    def _orphan(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return not any(t.object == node for t in self.triples)

    @staticmethod
    def _is_span(node: str, removed: list[ox.Triple]) -> bool:
        term = ox.NamedNode(node)
        return any(t.subject == term and t.predicate == HAS_SOURCE for t in removed)

    def link(self, name: str, target: str, *, reviewer: str | None = None) -> Decision:
        """The item is a known entity: every mention of it points to `target` (an IRI, or a path below `id/`),
        and the candidate goes, with the spans only it cited."""
        iri = self._open(name)
        known = target if "://" in target else f"{ID}{target}"
        if iri == self.report or iri.startswith(self.report + "/"):
            raise UsageError(f"{self.short_id(iri)} is the report's own node: link names a drafted entity as a known one")
        if known == iri:
            raise UsageError("link an item to another entity than itself")
        if not self._known(known):
            raise NotFound(f"<{known}> is not in the draft or the graph: link to a known entity")
        old, new = ox.NamedNode(iri), ox.NamedNode(known)
        pointing = [t for t in self.triples if t.object == old]
        self.triples.difference_update(pointing)
        self.triples.update(ox.Triple(t.subject, t.predicate, new) for t in pointing)
        for t in self._remove(iri):
            if t.predicate == DERIVED and isinstance(t.object, ox.NamedNode) and self._orphan(t.object.value):
                span = t.object.value
                for node in (span, f"{span}#position", f"{span}#quote"):
                    self._remove(node)
        return self._record(reviewer, "link", iri, [("iri", [old], [new])])

    def done(self, *, reviewer: str | None = None) -> Decision:
        """The report is reviewed: refused while any item is open."""
        left = self.open_iris()
        if left:
            shown = ", ".join(self.short_id(i) for i in left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
            raise Refused(f"{self.path}: {len(left)} item(s) still open ({shown}): accept, fix, reject or link each first")
        before = [o for o in self.objects(self.dataset, ENCODING) if isinstance(o, ox.NamedNode)]
        self._remove(self.dataset, ENCODING)
        self._add(self.dataset, ENCODING, REVIEWED)
        return self._record(reviewer, "done", self.dataset, [("encodingMethod", before, [REVIEWED])])  # type: ignore[list-item]


def _v(term: object) -> str:
    """The value of a term (a quoted triple has none: its text)."""
    return str(getattr(term, "value", term))


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def open_draft(path: str | Path, graph: KnowledgeGraph | None = None) -> Draft:
    """A draft (DIR/SLUG.ttl) and its source text, for review. `graph` is what the draft is reviewed beside (the
    packaged data, other reports): an entity it describes may be linked to or named by a field."""
    p = Path(path)
    if not p.is_file():
        raise LoadError(f"{p}: no such draft (give DIR/SLUG.ttl as `mzkg draft` wrote it)")
    try:
        triples = {q.triple for q in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)}
    except OSError as e:
        raise LoadError(f"{p}: cannot read it ({e.strerror or e})") from None
    except SyntaxError as e:
        raise LoadError(f"{p}: not Turtle mzkg can read ({e})") from None
    datasets = sorted(
        t.subject.value for t in triples if t.predicate == TYPE and t.object == DATASET and isinstance(t.subject, ox.NamedNode)
    )
    if len(datasets) != 1:
        raise LoadError(f"{p}: not a draft of one report (it has {len(datasets)} catalogue entries)")
    dataset = datasets[0]
    report = next((t.object.value for t in triples if t.subject.value == dataset and t.predicate == PRIMARY_TOPIC), "")
    if not report:
        raise LoadError(f"{p}: its catalogue entry names no report (foaf:primaryTopic)")
    texts = [t for t in triples if t.predicate == IS_STRING]
    if texts:
        text = texts[0].object.value
    else:
        files = [t.object.value for t in triples if t.predicate == FILE_PATH]
        try:
            text = (p.parent / files[0]).read_text(encoding="utf-8") if files else ""
        except OSError as e:
            raise LoadError(f"{p.parent / files[0]}: cannot read the draft's source text ({e.strerror})") from None
    return Draft(p, triples, report, dataset, text, store=graph.store if graph is not None else None)


def items_json(items: list[Item]) -> str:
    return json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2) + "\n"


def items_text(items: list[Item]) -> str:
    if not items:
        return "nothing is open for review: `mzkg review done` marks the report reviewed\n"
    return f"{len(items)} item(s) open\n\n" + "\n\n".join(i.text() for i in items) + "\n"


def parse_fields(pairs: Iterable[str]) -> dict[str, str]:
    """FIELD=VALUE arguments as a mapping (a UsageError for one without `=` or named twice)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{pair!r}: give FIELD=VALUE (fields: {', '.join(FIELDS)})")
        if key in out:
            raise UsageError(f"{key} is given twice")
        out[key] = value
    return out
