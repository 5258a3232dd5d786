"""The reports a graph holds (its catalogue) and questions across them.

Every report is a `dcat:Dataset` in the catalogue (`id/catalogue`), whose primary topic is the work report and
which names its source text (file and checksum), place, level, date and how it was made. Everything that belongs
to one report lives under `id/report/{slug}/`; what reports talk about is shared (see docs/model.md).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from ..core import ids
from ..core.graph import KnowledgeGraph
from ..core.service import select
from ..core.sparql.catalogue import named_queries
from ..core.terms import Term

REPORT_BASE = ids.REPORT_BASE


@dataclass(frozen=True)
class Report:
    """One report in the catalogue, with how many statements and figures the graph holds from it."""

    iri: str
    slug: str
    title: str
    place: str
    level: str
    date: str
    reviews: str | None
    plans: str | None
    method: str
    reviewers: list[str]  # who decided on a reviewed draft, by name
    reviewed: str | None  # when the last review decision was made
    file: str
    sha256: str
    statements: int
    figures: int

    def line(self) -> str:
        years = f"reviews {self.reviews or '-'}, plans {self.plans or '-'}"
        method = self.method + (f" by {', '.join(self.reviewers)}, {self.reviewed}" if self.reviewers else "")
        return (
            f"{self.slug}\t{self.date}\t{self.place} ({self.level})\t{years}\t"
            f"{self.statements} statements, {self.figures} figures\t{method}\t{self.title}"
        )


def reports(kg: KnowledgeGraph) -> list[Report]:
    """The catalogue, oldest report first."""
    out = []
    for r in select(named_queries()["reports"], kg=kg).records():
        iri = str(r["report"])
        out.append(
            Report(
                iri=iri,
                slug=iri.removeprefix(REPORT_BASE),
                title=str(r["title"]),
                place=str(r["place"]),
                level=str(r["level"]),
                date=str(r["date"]),
                reviews=None if r["reviews"] is None else str(r["reviews"]),
                plans=None if r["plans"] is None else str(r["plans"]),
                method=str(r["method"]),
                reviewers=sorted(str(r["reviewers"]).split("; ")) if r["reviewers"] else [],
                reviewed=None if r["reviewed"] is None else str(r["reviewed"]),
                file=str(r["file"]),
                sha256=str(r["sha256"]),
                statements=int(r["statements"]),
                figures=int(r["figures"]),
            )
        )
    return out


def reports_text(found: list[Report]) -> str:
    lines = [r.line() for r in found]
    lines.append(f"{len(found)} report(s)")
    return "\n".join(lines) + "\n"


def reports_json(found: list[Report]) -> str:
    return json.dumps([asdict(r) for r in found], ensure_ascii=False, indent=2) + "\n"


def series(kg: KnowledgeGraph, label: str) -> Any:
    """One indicator across reports, places and years (the `indicator-series` query) as a DataFrame, one row per
    figure, with a numeric `value` and an integer `year`, ready to plot (pandas comes with the `jupyter` extra)."""
    frame = select(named_queries()["indicator-series"], {"label": Term.literal(label)}, kg=kg).to_dataframe()
    if len(frame):
        frame["year"] = frame["year"].astype(int)
    return frame
