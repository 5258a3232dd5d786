"""One canonical form for the hand-edited Turtle: rdflib's serialiser over sorted triples and stable blank nodes."""

from __future__ import annotations

from pathlib import Path

from ..core import resources
from ..core.dataset import parse_file, sorted_copy
from ..core.files import write_atomically


def source_files() -> list[Path]:
    """The Turtle that `mzkg fmt` keeps canonical: ontology/, data/ and shapes/."""
    folders = (resources.ontology_dir(), resources.data_dir(), resources.shapes_dir())
    return [f for d in folders for f in resources.turtle_files(d)]


def canonical_text(path: Path) -> str:
    return sorted_copy(parse_file(path)).serialize(format="turtle")


def fmt(files: list[Path] | None = None, *, check: bool = False) -> list[Path]:
    """Rewrite each file in canonical form (or, with check, only report); returns the files not canonical.

    Every file is parsed first: a malformed one stops the run before any file is rewritten.
    """
    rewritten = {f: canonical_text(f) for f in (files if files is not None else source_files())}
    changed = [f for f, text in rewritten.items() if f.read_text(encoding="utf-8") != text]
    if not check:
        for f in changed:
            write_atomically(f, rewritten[f])
    return changed
