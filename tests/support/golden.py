"""Golden answers: tests/golden/NAME.json holds a named query's expected answer (SPARQL JSON plus `ordered`)."""

from __future__ import annotations

import json
from pathlib import Path

from mzkg.core.results import QueryResult
from mzkg.core.terms import Term

from .paths import GOLDEN


def path(name: str) -> Path:
    return GOLDEN / f"{name}.json"


def load(name: str) -> QueryResult:
    doc = json.loads(path(name).read_text(encoding="utf-8"))
    names = doc["head"]["vars"]
    rows = []
    for b in doc["results"]["bindings"]:
        row = []
        for v in names:
            t = b.get(v)
            row.append(None if t is None else Term(t["type"], t["value"], t.get("datatype"), t.get("xml:lang")))
        rows.append(tuple(row))
    return QueryResult(names, rows, ordered=doc.get("ordered", False))


def save(name: str, result: QueryResult) -> None:
    doc = json.loads(result.to_json())
    doc["ordered"] = result.ordered
    path(name).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
