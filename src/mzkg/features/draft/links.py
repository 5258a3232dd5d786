"""Links from a new report to the tasks earlier reports of the same place set, proposed where a statement of the
new report names a programme an earlier task names, or names an entity an earlier task names and measures a thing
that task's figures measure (社工站 … 100%). Each is written as `mzkg:possibleOutcomeOf`, marked for review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...core.graph import KnowledgeGraph
from ...core.service import select
from ...core.sparql.catalogue import NamedQuery
from ...core.terms import Term

if TYPE_CHECKING:
    from .write import Writer

EARLIER_TASKS = NamedQuery.parse(
    "draft-earlier-tasks",
    """SELECT DISTINCT ?place ?task ?date ?entity ?programme ?thing WHERE {
  ?d foaf:primaryTopic ?r ; dcterms:spatial ?place ; dcterms:issued ?date .
  ?task a mzkg:Task ; mzkg:reportedIn ?r ; mzkg:involves ?entity .
  OPTIONAL { ?entity a mzkg:Programme BIND (?entity AS ?programme) }
  OPTIONAL { ?task mzkg:hasMeasurement/mzkg:measures ?thing }
}""",
    trusted=True,
)


@dataclass(frozen=True)
class Proposal:
    """A statement of the new report proposed as an outcome of an earlier task (the writer writes it)."""

    statement: str
    task: str
    words: str  # the statement's text


def propose_links(kg: KnowledgeGraph, writer: Writer) -> list[Proposal]:
    """The links proposed for the draft in `writer`: each statement with the earlier tasks of its place it may
    fulfil, carry on or revise."""
    if writer.draft.date is None:
        return []
    rows = select(EARLIER_TASKS, {"place": Term.iri(writer.place_iri)}, kg=kg).records()
    tasks: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for r in rows:
        if str(r["date"]) >= writer.draft.date:
            continue
        entities, programmes, things = tasks.setdefault(str(r["task"]), (set(), set(), set()))
        entities.add(str(r["entity"]))
        if r["programme"] is not None:
            programmes.add(str(r["programme"]))
        if r["thing"] is not None:
            things.add(str(r["thing"]))
    proposals = []
    for n, st in enumerate(writer.draft.statements, 1):
        involved = {m.iri for m in st.mentions}
        measured = {writer.measured(f) for f in st.figures}
        node = writer.ids.statement(st.year, n)
        for task, (entities, programmes, things) in sorted(tasks.items()):
            if involved & programmes or (involved & entities and measured & things):
                proposals.append(Proposal(node, task, writer.draft.text[st.start : st.end]))
    return proposals
