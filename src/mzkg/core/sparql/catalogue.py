"""The named competency questions (queries/*.rq) and how a query given by name, file or text is found.

Each file is standalone SPARQL 1.1: its PREFIX lines, then the query. A comment header gives its title, the
question in Chinese and English, and its parameters::

    # title: 出處 / Where a fact comes from
    # question (zh): …
    # question (en): …
    # param: label = 雙百工程 — a label in zh-Hant, zh-Hans or English

A parameter is a variable the query projects and reads (in a FILTER, a BIND or a triple pattern) with its
default written `COALESCE(?label, "雙百工程")`, and a slot `VALUES ?label { UNDEF }` at the top of the WHERE
clause. Local engines bind it natively; for a remote endpoint the slot receives the value's term.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .. import resources
from ..errors import QueryError, UsageError
from .params import Param, parse_value

_HEADER = re.compile(r"^#\s*(title|question \(zh\)|question \(en\)|param)\s*:?\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*=\s*(.*?)\s*(?:—\s*(.*))?$")
_NAME = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: title, questions and parameters."""

    name: str
    text: str
    path: Path | None = None
    title: str = ""
    question_zh: str = ""
    question_en: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    trusted: bool = False  # one of the packaged queries, which the test suite proves read-only and local

    @classmethod
    def parse(cls, name: str, text: str, path: Path | None = None, *, trusted: bool = False) -> NamedQuery:
        info: dict[str, str] = {}
        params: dict[str, Param] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                if line.strip() and not line.upper().startswith("PREFIX"):
                    break
                continue
            m = _HEADER.match(line)
            if not m:
                continue
            key, value = m.group(1), m.group(2).strip()
            if key != "param":
                info[key] = value
            elif pm := _PARAM.match(value):
                params[pm.group(1)] = Param(pm.group(1), parse_value(pm.group(2)), (pm.group(3) or "").strip())
        return cls(
            name, text, path, info.get("title", ""), info.get("question (zh)", ""), info.get("question (en)", ""), params, trusted
        )

    @classmethod
    def from_file(cls, path: Path, *, trusted: bool = False) -> NamedQuery:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise QueryError(f"{path}: not UTF-8 (byte {e.start})") from None
        except OSError as e:
            raise QueryError(f"{path}: {e.strerror}") from None
        return cls.parse(path.stem, text, path, trusted=trusted)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every packaged named query, by name (the file stem)."""
    return {p.stem: NamedQuery.from_file(p, trusted=True) for p in sorted(resources.queries_dir().glob("*.rq"))}


def resolve(source: str) -> NamedQuery:
    """The query a name (see `mzkg queries`), a path to an .rq file, or SPARQL text stands for."""
    candidate = source.strip()
    if not candidate:
        raise QueryError("empty query")
    if candidate.endswith(".rq") and "\n" not in candidate:
        path = Path(candidate)
        if not path.is_file():
            raise UsageError(f"{path}: no such query file")
        return NamedQuery.from_file(path)
    if _NAME.fullmatch(candidate):
        known = named_queries()
        if candidate in known:
            return known[candidate]
        close = difflib.get_close_matches(candidate, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; `mzkg queries` lists them"
        raise UsageError(f"unknown query name {candidate!r}{hint}")
    return NamedQuery("query", source)
