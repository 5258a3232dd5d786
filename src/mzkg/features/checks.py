"""Ontology lint as data: queries/checks/*-violation.rq must return no rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core import resources
from ..core.graph import KnowledgeGraph
from ..core.service import select
from ..core.sparql.catalogue import NamedQuery

SEVERITY = re.compile(r"^#\s*severity:\s*(\w+)", re.MULTILINE)


@dataclass(frozen=True)
class CheckViolation:
    check: str
    severity: str
    focus: str
    message: str

    def line(self) -> str:
        return f"{self.severity}: [{self.check}] <{self.focus}> {self.message}"


def check_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or resources.queries_dir() / "checks").glob("*-violation.rq"))


def run_checks(kg: KnowledgeGraph, folder: Path | None = None) -> list[CheckViolation]:
    """Every violation found by every check query, errors first."""
    found: list[CheckViolation] = []
    for path in check_files(folder):
        check = NamedQuery.from_file(path, trusted=folder is None)  # the packaged checks are tested read-only
        m = SEVERITY.search(check.text)
        severity = m.group(1).lower() if m else "error"
        name = path.stem.removesuffix("-violation")
        found.extend(CheckViolation(name, severity, str(r["focus"]), str(r["message"])) for r in select(check, kg=kg).records())
    found.sort(key=lambda v: (v.severity != "error", v.check, v.focus, v.message))
    return found
