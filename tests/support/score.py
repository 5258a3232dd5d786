"""How good a draft is (test support, not part of the package), against gold: hand-written gold for an invented report (`tests/data/corpus/*.gold.json`),
or the hand-encoded graph of a report (the packaged one).

- **Figures**: a drafted figure is right when gold has one written the same way (each gold figure matched once);
  precision and recall, and among the matched ones the share whose value, unit, hedge and year are all right.
- **Entities**: a link is a (words as written, entity) pair; precision and recall against gold's pairs.
- **Statements** (against a hand-encoded graph): a hand statement is found when a drafted statement's clause holds
  its span; a drafted statement is right when it holds at least one hand statement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mzkg.core.graph import KnowledgeGraph
from mzkg.core.prefixes import ID
from mzkg.core.service import select
from mzkg.core.sparql.catalogue import NamedQuery
from mzkg.core.terms import Term
from mzkg.features.draft.annotate import Draft
from mzkg.features.draft.reading import clean


@dataclass(frozen=True)
class Score:
    found: int  # gold items the draft has
    drafted: int
    gold: int
    right: int | None = None  # drafted items that are right, when that is not `found` (statements)

    @property
    def precision(self) -> float:
        right = self.found if self.right is None else self.right
        return right / self.drafted if self.drafted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def line(self, what: str) -> str:
        counts = (
            f"{self.found} right of {self.drafted} drafted, {self.gold} in gold"
            if self.right is None
            else f"{self.right} of {self.drafted} drafted hold a gold item; {self.found} of {self.gold} gold items found"
        )
        return f"{what:<12} precision {self.precision:6.1%}  recall {self.recall:6.1%}  ({counts})"


@dataclass(frozen=True)
class FigureScore(Score):
    attributes_right: int = 0  # matched figures whose value, unit, hedge and year are all right

    @property
    def attributes(self) -> float:
        return self.attributes_right / self.found if self.found else 1.0


def _drafted_figures(draft: Draft) -> list[dict[str, Any]]:
    return [
        {
            "written": f.figure.text,
            "value": Decimal(f.figure.value),
            "unit": f.unit,
            "hedge": f.figure.hedge_slug,
            "year": f.year,
            "from_year": f.from_year,
            "change": f.context.change,
        }
        for s in draft.statements
        for f in s.figures
    ]


QUALIFIERS = ("共計", "共计", "共", "累計", "累计", "連續", "连续")


def _written(form: str) -> str:
    """A written form without a leading qualifier that says nothing of the value (共9.6億元 → 9.6億元)."""
    for q in QUALIFIERS:
        if form.startswith(q):
            return form[len(q) :]
    return form


def _agreement(g: dict[str, Any], f: dict[str, Any]) -> int:
    """How many of value, unit, hedge and year a drafted figure gets right."""
    checks = [
        Decimal(str(g["value"])) == f["value"],
        g["unit"] == f["unit"],
        g["hedge"] == f["hedge"],
        int(g["year"]) == f["year"],
    ]
    if "change" in g or f.get("change"):
        checks.append(g.get("change") == f.get("change"))
    return sum(bool(c) for c in checks)


def score_figures(draft: Draft, gold: list[dict[str, Any]]) -> FigureScore:
    """Gold figures are matched by written form (without a leading 共/累計), each once, in text order."""
    pool = Counter(_written(g["written"]) for g in gold)
    by_written: dict[str, list[dict[str, Any]]] = {}
    for g in gold:
        by_written.setdefault(_written(g["written"]), []).append(g)
    found = right = 0
    for f in _drafted_figures(draft):
        key = _written(f["written"])
        if pool[key] > 0:
            pool[key] -= 1
            found += 1
            candidates = by_written[key]
            best = max(range(len(candidates)), key=lambda i: _agreement(candidates[i], f))
            g = candidates.pop(best)
            right += _agreement(g, f) == (5 if ("change" in g or f.get("change")) else 4)
    return FigureScore(found, sum(len(s.figures) for s in draft.statements), len(gold), attributes_right=right)


def score_entities(draft: Draft, gold: dict[str, str]) -> Score:
    """Links to known entities: a gold (words, entity) pair is found when the draft links those words, or words
    that hold them, to that entity; precision over the drafted links whose words gold names."""
    linked = {(m.label, m.iri.removeprefix(ID)) for m in draft.mentions}
    gold = {clean(w)[0].strip(): e for w, e in gold.items()}  # the words as the cleaned text writes them
    wanted = set(gold.items())
    found = sum(any(e == ge and gw in w for w, e in linked) for gw, ge in wanted)
    judged = [(w, e) for w, e in linked if any(gw in w or w in gw for gw in gold)]
    right = sum(any(e == ge and gw in w for gw, ge in wanted) for w, e in judged)
    return Score(found, len(judged), len(wanted), right)


def score_report(draft: Draft, gold: dict[str, Any]) -> dict[str, bool]:
    """Place, years, date and title against gold."""
    title = draft.text[draft.title_span[0] : draft.title_span[1]]
    return {
        "place": draft.division.code == gold["place_code"],
        "years": (draft.reviewed, draft.planned) == (gold["reviews"], gold["plans"]),
        "date": draft.date == gold["date"],
        "title": title == gold["title"],
    }


def score_statements(draft: Draft, hand_spans: list[tuple[int, int]]) -> Score:
    """Recall counts hand statements whose span a drafted clause holds; precision, drafted clauses that hold one."""
    clauses = [(s.start, s.end) for s in draft.statements]
    found = sum(any(a <= s and e <= b for a, b in clauses) for s, e in hand_spans)
    right = sum(any(a <= s and e <= b for s, e in hand_spans) for a, b in clauses)
    return Score(found, len(clauses), len(hand_spans), right)


HAND_FIGURES = NamedQuery.parse(
    "score-hand-figures",
    """SELECT DISTINCT ?text ?m ?written ?value ?unit ?hedge ?year WHERE {
  ?m a mzkg:Measurement ; mzkg:asWritten ?written ; mzkg:value ?value ; mzkg:unit ?unit ; mzkg:period/mzkg:year ?year ;
     prov:wasDerivedFrom/oa:hasSource ?text .
  OPTIONAL { ?m mzkg:hedge ?hedge }
}""",
    trusted=True,
)
HAND_STATEMENTS = NamedQuery.parse(
    "score-hand-statements",
    """SELECT DISTINCT ?report ?s ?start ?end WHERE {
  ?s mzkg:reportedIn ?report ; prov:wasDerivedFrom/oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end .
  FILTER NOT EXISTS { ?s mzkg:restates ?body }
}""",
    trusted=True,
)
HAND_ENTITIES = NamedQuery.parse(
    "score-hand-entities",
    """SELECT DISTINCT ?report ?e WHERE { ?s mzkg:reportedIn ?report ; mzkg:involves ?e . ?e a ?cls
  FILTER (?cls IN (mzkg:Programme, mzkg:PublicService, mzkg:InstitutionType, mzkg:TieredNetwork, mzkg:WorkingMechanism,
                   mzkg:CoordinationBody, mzkg:Policy, mzkg:TargetGroup, mzkg:ActorGroup, mzkg:InformationSystem,
                   mzkg:ServiceChannel)) }""",
    trusted=True,
)


def hand_gold(kg: KnowledgeGraph, report: str, text: str) -> dict[str, Any]:
    """The gold a hand-encoded report gives: its figures, its statements' spans, the entities its statements name."""
    figures = [
        {
            "written": str(r["written"]),
            "value": r["value"],
            "unit": str(r["unit"]).rsplit("/", 1)[1],
            "hedge": None if r["hedge"] is None else str(r["hedge"]).rsplit("/", 1)[1],
            "year": int(str(r["year"])),
        }
        for r in select(HAND_FIGURES, {"text": Term.iri(text)}, kg=kg).records()
    ]
    rows = select(HAND_STATEMENTS, {"report": Term.iri(report)}, kg=kg).records()
    spans = sorted({(int(r["start"]), int(r["end"])) for r in rows})
    entities = {str(r["e"]) for r in select(HAND_ENTITIES, {"report": Term.iri(report)}, kg=kg).records()}
    return {"figures": figures, "spans": spans, "entities": entities}


def score_entity_sets(draft: Draft, hand: set[str]) -> Score:
    """Entities named by the drafted statements against the entities the hand statements name."""
    linkable = {m.iri for s in draft.statements for m in s.mentions if m.cls not in ("Place", "Tier", "Agency")}
    return Score(len(linkable & hand), len(linkable), len(hand))
