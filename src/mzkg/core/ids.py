"""The one place that mints and reads mzkg's instance IRIs (`https://w3id.org/mzkg/id/…`).

Shared things are `id/<kind>/<slug>` (a programme, a unit, a place keyed by its GB/T 2260 code, a period);
everything that belongs to one report lives under `id/report/<slug>/…` (its text, spans, sections, statements,
figures, conference and catalogue entry). Plain strings only, so every layer can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .prefixes import ID

REPORT_BASE = f"{ID}report/"


def shared(kind: str, slug: str) -> str:
    """A shared thing: `id/<kind>/<slug>` (unit/person, hedge/about, group/guer, indicator/dibao-renshu …)."""
    return f"{ID}{kind}/{slug}"


def period(start: int, end: int | None = None) -> str:
    """A year (`id/period/2022`) or a span of years (`id/period/2021-2025`)."""
    return f"{ID}period/{start}" if end is None or end == start else f"{ID}period/{start}-{end}"


def place(code: str) -> str:
    """A division of China by its GB/T 2260 code, for a place the graph does not name otherwise."""
    return f"{ID}place/{code}"


@dataclass(frozen=True)
class Report:
    """The IRIs of one report's own nodes."""

    slug: str

    @property
    def iri(self) -> str:
        return f"{REPORT_BASE}{self.slug}"

    @property
    def text(self) -> str:
        return f"{self.iri}/text"

    @property
    def conference(self) -> str:
        return f"{self.iri}/conference"

    @property
    def dataset(self) -> str:
        return f"{self.iri}/dataset"

    def span(self, start: int, end: int) -> str:
        return f"{self.iri}/span/{start}-{end}"

    def section(self, kind: str, n: int = 0) -> str:
        return f"{self.iri}/section/{kind}" + (f"-{n}" if n else "")

    def statement(self, year: int | str, n: int) -> str:
        return f"{self.iri}/statement/{year}/{n:03d}"

    def measurement(self, year: int | str, n: int, k: int) -> str:
        return f"{self.iri}/measurement/{year}/{n:03d}-{k}"


def report_of(iri: str) -> str | None:
    """The slug of the report an IRI belongs to (`id/report/<slug>/…`), or None for a shared thing."""
    if not iri.startswith(REPORT_BASE):
        return None
    return iri[len(REPORT_BASE) :].split("/", 1)[0].split("#", 1)[0] or None


def own_report(file_stem: str, subjects: dict[str, int]) -> str | None:
    """The report a file belongs to, from how many subjects it describes of each report (`{slug: count}`): the
    report its name gives (the drafter writes `SLUG.ttl`), else the one it describes most (ties: the first slug).
    None for a file of shared things only."""
    if file_stem in subjects:
        return file_stem
    return min(subjects, key=lambda slug: (-subjects[slug], slug), default=None)


def kind_of(iri: str) -> str | None:
    """The kind of a shared thing (`programme` for `id/programme/shuangbai`), or None outside `id/`."""
    if not iri.startswith(ID):
        return None
    return iri[len(ID) :].split("/", 1)[0] or None


def slug_of(iri: str) -> str:
    """The last path segment of an IRI (`shuangbai` for `id/programme/shuangbai`)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
