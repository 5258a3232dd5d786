"""What the graph already knows, as a gazetteer: every label of every entity a report may mention (programmes,
services, groups, institution types, tiers, agencies, places …) in both scripts, matched leftmost-longest with an
Aho–Corasick automaton; and the action types by their verbs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ...core.graph import KnowledgeGraph
from ...core.prefixes import ID, MZKG
from ...core.service import select
from ...core.sparql.catalogue import NamedQuery
from ..scripts import converter

# the classes whose entities a draft links, in order of preference when one label names two entities
LINKED = [
    "Programme", "Campaign", "Reform", "Platform", "PublicService", "FieldConcept", "InstitutionType", "TieredNetwork", "WorkingMechanism", "CoordinationBody",
    "Policy", "PolicyDocument", "TargetGroup", "ActorGroup", "InformationSystem", "ServiceChannel", "Agency",
    "Place", "Tier", "Indicator",
]  # fmt: skip
# a label that starts with one of these names a body relative to the report's own place (省民政廳 is Guangdong's
# in a Guangdong report and Hunan's in a Hunan one), so it is never linked across reports
RELATIVE = ("省", "市", "縣", "县", "區", "区", "全省", "全市")

ENTITY_LABELS = NamedQuery.parse(
    "draft-entity-labels",
    """SELECT ?e ?cls ?label ?area WHERE {
  ?e a ?cls ; rdfs:label|skos:prefLabel|skos:altLabel ?label .
  FILTER (STRSTARTS(STR(?cls), "https://w3id.org/mzkg/ontology#"))
  FILTER (langMatches(lang(?label), "zh-Hant") || langMatches(lang(?label), "zh-Hans"))
  OPTIONAL { ?e mzkg:policyArea ?area }
}""",
    trusted=True,
)
ACTION_LABELS = NamedQuery.parse(
    "draft-action-labels",
    """SELECT ?e ?label WHERE { ?e a mzkg:ActionType ; rdfs:label|skos:prefLabel|skos:altLabel ?label
  FILTER (langMatches(lang(?label), "zh-Hant") || langMatches(lang(?label), "zh-Hans")) }""",
    trusted=True,
)
PERSONS = NamedQuery.parse("draft-persons", "SELECT ?e ?label WHERE { ?e a foaf:Person ; rdfs:label ?label }", trusted=True)
PLACE_TIERS = NamedQuery.parse("draft-place-tiers", "SELECT ?e ?tier WHERE { ?e a mzkg:Place ; mzkg:atTier ?tier }", trusted=True)
PLACE_CODES = NamedQuery.parse(
    "draft-place-codes", "SELECT ?e ?code WHERE { ?e a mzkg:Place ; mzkg:divisionCode ?code }", trusted=True
)
INDICATORS = NamedQuery.parse(
    "draft-indicators",
    """SELECT ?i ?about ?unit ?kind WHERE { ?i a mzkg:Indicator ; mzkg:aboutConcept ?about ; mzkg:indicatorUnit ?unit .
  OPTIONAL { ?i mzkg:indicatorKind ?kind } }""",
    trusted=True,
)
AGENCIES = NamedQuery.parse("draft-agencies", "SELECT ?e WHERE { ?e a mzkg:Agency }", trusted=True)
KNOWN = NamedQuery.parse(
    "draft-known",
    "SELECT DISTINCT ?e WHERE { ?e a ?cls FILTER (?cls IN (mzkg:Period, mzkg:Unit, mzkg:Hedge, mzkg:Scale)) }",
    trusted=True,
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    iri: str
    cls: str  # the local name of its class (Programme, Place …)
    label: str
    nested: bool = False  # inside a longer mention of another entity (低保 in 低保對象)


@dataclass
class Gazetteer:
    entities: Any  # an ahocorasick.Automaton over entity labels
    actions: Any  # an ahocorasick.Automaton over action verbs
    areas: dict[str, list[str]] = field(default_factory=dict)  # entity → its policy areas
    classes: dict[str, str] = field(default_factory=dict)  # entity → its linked class
    labels: dict[str, str] = field(default_factory=dict)  # entity → one zh label
    known: set[str] = field(default_factory=set)  # periods, units, hedges and scales the graph defines
    tiers: dict[str, str] = field(default_factory=dict)  # place → its tier
    persons: dict[str, str] = field(default_factory=dict)  # a person's name (both scripts) → the person
    places: dict[str, str] = field(default_factory=dict)  # a place's label (both scripts) → the place
    codes: dict[str, str] = field(default_factory=dict)  # a GB/T 2260 code → the place the graph names by it
    agencies: set[str] = field(default_factory=set)  # the agencies the graph knows
    # (measured thing, unit slug) → [(indicator, its kind slug)]
    indicators: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)

    def mentions(self, text: str) -> list[Mention]:
        """Known entities named in the text, leftmost-longest and never overlapping; and the other entities named
        inside those (兩項補貼 inside 困難殘疾人生活補貼和重度殘疾人護理補貼, 低保 in 低保對象), marked nested."""
        if not len(self.entities):
            return []
        found = sorted(
            ((end - len(label) + 1, end + 1, label, iri) for end, (label, iri) in self.entities.iter(text)),
            key=lambda m: (m[0], -(m[1] - m[0])),
        )
        out: list[Mention] = []
        last, outer = -1, None
        for start, end, label, iri in found:
            if start >= last:
                outer = Mention(start, end, iri, self.classes[iri], label)
                out.append(outer)
                last = end
            elif (
                outer is not None
                and end <= outer.end
                and iri != outer.iri
                and len(label) >= 2
                and not any(m.iri == iri and m.start <= start and end <= m.end for m in out[-8:])
            ):
                out.append(Mention(start, end, iri, self.classes[iri], label, nested=True))
        return sorted(out, key=lambda m: (m.start, -(m.end - m.start)))

    def action(self, text: str) -> str | None:
        """The action type of a clause: the first of its verbs the scheme knows."""
        if not len(self.actions):
            return None
        hits = sorted((end - len(label) + 1, -len(label), iri) for end, (label, iri) in self.actions.iter(text))
        return hits[0][2] if hits else None

    def area(self, iris: list[str]) -> str:
        counts = Counter(a for iri in iris for a in self.areas.get(iri, []))
        return counts.most_common(1)[0][0] if counts else ID + "area/minzheng"


def build(kg: KnowledgeGraph) -> Gazetteer:
    """The gazetteer of a graph: its labels as written and converted to the other script."""
    import ahocorasick  # noqa: PLC0415 - the draft extra

    t2s, s2t = converter("t2s"), converter("s2t")
    rank = {MZKG + c: i for i, c in enumerate(LINKED)}
    best: dict[str, tuple[int, str]] = {}  # label → (rank of its class, entity)
    gaz = Gazetteer(ahocorasick.Automaton(), ahocorasick.Automaton())
    for r in select(ENTITY_LABELS, kg=kg).records():
        cls = str(r["cls"])
        if cls not in rank:
            continue
        iri, label = str(r["e"]), str(r["label"])
        gaz.classes.setdefault(iri, cls.removeprefix(MZKG))
        gaz.labels.setdefault(iri, label)
        if r["area"] is not None and str(r["area"]) not in gaz.areas.setdefault(iri, []):
            gaz.areas[iri].append(str(r["area"]))
        if len(label) < 2 or (cls == MZKG + "Agency" and label.startswith(RELATIVE)):
            continue
        for form in {label, t2s.convert(label), s2t.convert(label)}:
            if form not in best or rank[cls] < best[form][0]:
                best[form] = (rank[cls], iri)
            if cls == MZKG + "Place":
                gaz.places.setdefault(form, iri)
    for form, (_rank, iri) in best.items():
        gaz.entities.add_word(form, (form, iri))
    for r in select(ACTION_LABELS, kg=kg).records():
        label = str(r["label"])
        for form in {label, t2s.convert(label), s2t.convert(label)}:
            gaz.actions.add_word(form, (form, str(r["e"])))
    gaz.known = {str(r["e"]) for r in select(KNOWN, kg=kg).records()}
    for r in select(PERSONS, kg=kg).records():
        name = str(r["label"])
        for form in {name, t2s.convert(name), s2t.convert(name)}:
            gaz.persons[form] = str(r["e"])
    gaz.tiers = {str(r["e"]): str(r["tier"]) for r in select(PLACE_TIERS, kg=kg).records()}
    gaz.codes = {str(r["code"]): str(r["e"]) for r in select(PLACE_CODES, kg=kg).records()}
    gaz.agencies = {str(r["e"]) for r in select(AGENCIES, kg=kg).records()}
    for r in select(INDICATORS, kg=kg).records():
        kind = str(r["kind"]).rsplit("/", 1)[-1] if r["kind"] is not None else ""
        gaz.indicators.setdefault((str(r["about"]), str(r["unit"]).rsplit("/", 1)[-1]), []).append((str(r["i"]), kind))
    if best:
        gaz.entities.make_automaton()
    if len(gaz.actions):
        gaz.actions.make_automaton()
    return gaz
