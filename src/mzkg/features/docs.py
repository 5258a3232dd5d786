"""HTML documentation of the ontology with pyLODE (pinned 3.3.4, which works offline)."""

from __future__ import annotations

import gc
import logging
import warnings
from pathlib import Path

from rdflib import Graph

from ..core import resources
from ..core.dataset import parse_file
from ..core.errors import MissingExtra
from ..core.files import ensure_folder, write_atomically


def ontology_graph() -> Graph:
    g = Graph()
    for f in resources.turtle_files(resources.ontology_dir()):
        parse_file(f, g)
    return g


def build_docs(out_dir: Path) -> Path:
    """Write out_dir/index.html; returns its path."""
    try:
        from pylode import OntPub  # noqa: PLC0415 - the optional `owl` extra
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise MissingExtra("the ontology's HTML documentation (pyLODE)", "owl") from None
    ensure_folder(out_dir)
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))  # pyLODE logs at INFO on the root logger
    with warnings.catch_warnings():
        # pyLODE leaves its CSS file open; collect it here rather than warn later.
        warnings.simplefilter("ignore", ResourceWarning)
        html = OntPub(ontology=ontology_graph()).make_html()
        gc.collect()
    if "charset" not in html[:2000].lower():
        html = html.replace("<head>", '<head>\n<meta charset="utf-8">', 1)
    target = out_dir / "index.html"
    write_atomically(target, html)
    return target
