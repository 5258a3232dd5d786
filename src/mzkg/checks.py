"""Ontology lint as data: queries/checks/*-violation.rq must return no rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .graph import KnowledgeGraph
from .queries import oxigraph_store, run_oxigraph

SEVERITY = re.compile(r"^#\s*severity:\s*(\w+)", re.M)
TITLE = re.compile(r"^#\s*title:\s*(.+)$", re.M)


@dataclass(frozen=True)
class CheckViolation:
    check: str
    severity: str
    focus: str
    message: str

    def line(self) -> str:
        return f"{self.severity}: [{self.check}] <{self.focus}> {self.message}"


def check_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or paths.queries_dir() / "checks").glob("*-violation.rq"))


def run_checks(kg: KnowledgeGraph, folder: Path | None = None) -> list[CheckViolation]:
    """Every violation found by every check query, errors first."""
    found = []
    store = oxigraph_store(kg)  # the self-joins of the lint queries are slow in rdflib
    for path in check_files(folder):
        text = path.read_text(encoding="utf-8")
        m = SEVERITY.search(text)
        severity = m.group(1).lower() if m else "error"
        for row in run_oxigraph(store, text).records():
            found.append(CheckViolation(path.stem.removesuffix("-violation"), severity, str(row["focus"]), str(row["message"])))
    found.sort(key=lambda v: (v.severity != "error", v.check, v.focus, v.message))
    return found
