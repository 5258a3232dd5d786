"""`mzkg draft`: any civil-affairs report, as text (any common Chinese encoding) or an HTML page, into a traced
draft graph that loads beside the packaged data and validates.

reading → annotate (years, sections, statements, figures, entities) → write (RDF, review marks) → propose links
to earlier reports of the same place. The rules are in `annotate`; what a reviewer does next is in docs/reports.md
("Review").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import MzkgError, UsageError
from ...core.files import ensure_folder, refuse_links, write_atomically, write_bytes_atomically
from ...core.graph import KnowledgeGraph
from ...core.service import select
from ...core.sparql.catalogue import NamedQuery
from ...core.terms import Term
from ..corpus import REPORT_BASE
from ..scripts import script_of
from ..texts import report_body
from .annotate import Draft, annotate
from .gazetteer import Gazetteer, build
from .links import propose_links
from .reading import MAX_BYTES, read_document
from .write import Writer, iter_review, slugify


@dataclass
class Drafted:
    source: Path
    slug: str
    ttl: Path
    text: Path
    review: Path
    encoding: str
    kind: str
    statements: int
    figures: int
    flagged: int
    links: int
    draft: Draft = field(repr=False)


@dataclass
class Failed:
    source: Path
    error: str


@dataclass
class DraftRun:
    drafted: list[Drafted] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)


ENCODING_MARKS = {"big5", "big5hkscs", "gb18030", "gbk", "gb2312", "utf8", "utf-8", "utf16", "utf-16"}


def default_slug(path: Path) -> str:
    """A slug from the file name without its extension (and an encoding mark such as `.big5`): ASCII words kept,
    Chinese as pinyin; `report.2023.txt` → `report-2023`."""
    stem = path.name.rsplit(".", 1)[0] if "." in path.name.lstrip(".") else path.name
    parts = stem.split(".")
    if len(parts) > 1 and parts[-1].lower() in ENCODING_MARKS:
        stem = ".".join(parts[:-1])
    words = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()
    if re.search(r"[\u4e00-\u9fff]", stem):
        return slugify(stem)
    if not words:
        raise UsageError("no slug can be made from this file name: give one with --id")
    return words


LONG = 100_000  # characters: a report this long says so before it is read
DRAFT_STAMP = "mzkg draft wrote a Turtle file of sha256"
REVIEWED = b"encoding-method/drafted-reviewed"


def check_not_overwriting(ttl: Path, review: Path, force: bool) -> None:
    """A draft already in the folder is kept: drafting again needs --force, and even then a draft that was edited
    since mzkg wrote it, or reviewed, is never overwritten."""
    if not ttl.exists() and not ttl.is_symlink():
        return
    if not force:
        raise UsageError(f"{ttl} exists: draft again with --force (an edited or reviewed draft is never overwritten)")
    try:
        current = ttl.read_bytes()
        stamp = review.read_text(encoding="utf-8").split("\n", 1)[0] if review.exists() else ""
    except OSError as e:
        raise UsageError(f"{ttl}: cannot read it to check it may be replaced ({e.strerror})") from None
    if REVIEWED in current:
        raise UsageError(f"{ttl} is reviewed: it is never overwritten (move it away to draft the report again)")
    if hashlib.sha256(current).hexdigest() not in stamp:
        raise UsageError(f"{ttl} was edited since it was drafted: it is never overwritten (move it away first)")


REPORT_EXISTS = NamedQuery.parse("draft-report-exists", "ASK { { ?r ?p ?o } UNION { ?s ?q ?r } }", trusted=True)


def check_slug(slug: str, kg: KnowledgeGraph) -> None:
    """A slug is lower-case letters, digits and hyphens, and names no report the graph already holds."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise UsageError(f"--id {slug!r}: a slug is lower-case letters, digits and hyphens")
    if select(REPORT_EXISTS, {"r": Term.iri(f"{REPORT_BASE}{slug}")}, kg=kg).boolean:
        raise UsageError(f"the graph already holds a report {slug!r}: give this one another slug with --id")


@dataclass(frozen=True)
class Overrides:
    """What the user says of a report, over what the drafter would guess."""

    reviewed: int | None = None
    planned: int | None = None
    date: str | None = None  # ISO date
    place: str | None = None  # a name or a GB/T 2260 code


def draft_one(
    path: Path,
    out_dir: Path,
    kg: KnowledgeGraph,
    gaz: Gazetteer,
    *,
    slug: str | None = None,
    reviewed: int | None = None,
    planned: int | None = None,
    overrides: Overrides | None = None,
    force: bool = False,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[str], None] = lambda _msg: None,
) -> Drafted:
    over = overrides or Overrides(reviewed, planned)
    slug = slug or default_slug(path)
    check_slug(slug, kg)
    review_path = out_dir / f"{slug}.review.md"
    text_path = out_dir / "source" / f"{slug}.txt"
    ttl_path = out_dir / f"{slug}.ttl"
    check_not_overwriting(ttl_path, review_path, force)
    doc = read_document(path, max_bytes=max_bytes)
    text = doc.text
    if len(text) > LONG:
        progress(f"{path.name}: {len(text):,} characters, a long report: reading it (about 1 s for every 20,000)")
    body_end = len(report_body(text))
    draft = annotate(
        text,
        gaz,
        body_end,
        reviewed=over.reviewed,
        planned=over.planned,
        date=over.date,
        place=over.place,
        page_title=doc.title,
        page_date=doc.date,
    )
    draft.notes.extend(f"reading removed {what}" for what in doc.cleaned)
    writer = Writer(draft, slug, gaz, script_of(text), f"source/{slug}.txt")
    out = writer.write()
    links = propose_links(kg, writer)
    writer.links(links)
    figures = sum(len(s.figures) for s in draft.statements)
    header = (
        f"# Review of the draft {slug}\n\n"
        f"Drafted by `mzkg draft` from `{path.name}` ({doc.kind}, read as {doc.encoding}); the text annotated is "
        f"`source/{slug}.txt` ({len(text)} characters, {writer.lang}). Place {draft.division.name} "
        f"({draft.division.code}); reviews {draft.reviewed or '-'}, plans {draft.planned or '-'}. {len(draft.statements)} statements, {figures} figures, {len(links)} proposed links to "
        f"earlier reports. Confirm or fix each item below, remove its `mzkg:needsReview`, then set the catalogue "
        f"entry's `mzkg:encodingMethod` to `encoding-method/drafted-reviewed`.\n\n"
    )
    items = list(iter_review(out))
    turtle = writer.turtle()
    stamp = f"<!-- {DRAFT_STAMP} {hashlib.sha256(turtle).hexdigest()} -->\n"
    for p in (text_path, ttl_path, review_path):
        refuse_links(p)
    write_atomically(text_path, text, follow_links=False)
    write_bytes_atomically(ttl_path, turtle, follow_links=False)
    body = header + ("\n".join(items) + "\n" if items else "Nothing is marked for review.\n")
    write_atomically(review_path, stamp + body, follow_links=False)
    return Drafted(
        path,
        slug,
        ttl_path,
        text_path,
        review_path,
        doc.encoding,
        doc.kind,
        len(draft.statements),
        figures,
        len(items),
        len(links),
        draft,
    )


def draft_reports(
    paths: Sequence[Path],
    out_dir: Path,
    kg: KnowledgeGraph,
    *,
    slug: str | None = None,
    reviewed: int | None = None,
    planned: int | None = None,
    overrides: Overrides | None = None,
    force: bool = False,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[str], None] = lambda _msg: None,
) -> DraftRun:
    """Draft every report; one that cannot be drafted is reported by name and the others still are."""
    if slug and len(paths) > 1:
        raise UsageError("--id names one report: give one REPORT with it")
    run = DraftRun()
    refuse_links(out_dir / "source", folder=True)
    ensure_folder(out_dir / "source")
    progress(f"reading what the graph knows ({len(paths)} report(s) to draft)")
    gaz = build(kg)
    seen: set[str] = set()
    for i, path in enumerate(paths, 1):
        try:
            wanted = slug or default_slug(path)
            if wanted in seen:
                raise UsageError(f"its slug {wanted!r} is already taken by another report of this run: give it --id")
            done = draft_one(
                path,
                out_dir,
                kg,
                gaz,
                slug=wanted,
                overrides=overrides or Overrides(reviewed, planned),
                force=force,
                max_bytes=max_bytes,
                progress=progress,
            )
        except ImportError:
            raise  # a missing extra stops the run, and the command names it: no single file is to blame
        except MzkgError as e:
            run.failed.append(Failed(path, str(e)))
            continue
        except Exception as e:
            run.failed.append(Failed(path, f"could not be drafted ({type(e).__name__}: {e})"))
            continue
        seen.add(done.slug)
        run.drafted.append(done)
        progress(
            f"[{i}/{len(paths)}] {path.name} → {done.ttl.name} ({done.kind}, {done.encoding}): {done.statements} statements, "
            f"{done.figures} figures, {done.flagged} to review"
        )
    return run


__all__ = ["DraftRun", "Drafted", "Failed", "Overrides", "draft_reports"]
