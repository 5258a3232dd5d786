"""One canonical form for the hand-edited Turtle: rdflib's serialiser over sorted triples and stable blank nodes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from . import paths
from .graph import _sorted_copy, parse_turtle


def source_files() -> list[Path]:
    """The Turtle that `mzkg fmt` keeps canonical: ontology/, data/ and shapes/."""
    return [f for d in (paths.ontology_dir(), paths.data_dir(), paths.shapes_dir()) for f in paths.turtle_files(d)]


def canonical_text(path: Path) -> str:
    g = Graph()
    parse_turtle(path, g)
    return _sorted_copy(g).serialize(format="turtle")


def fmt(files: list[Path] | None = None, check: bool = False) -> list[Path]:
    """Rewrite each file in canonical form (or, with check, only report); returns the files not canonical."""
    from .graph import write_atomically

    changed = []
    for f in files if files is not None else source_files():
        text = canonical_text(f)
        if f.read_text(encoding="utf-8") != text:
            changed.append(f)
            if not check:
                write_atomically(f, text)
    return changed
