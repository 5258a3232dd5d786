"""Query answers in an engine-neutral form: tables (SELECT, ASK) in the SPARQL 1.1 result formats, and graphs
(CONSTRUCT, DESCRIBE) in RDF syntaxes."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from unicodedata import east_asian_width

import pyoxigraph

from .errors import MissingExtra, UsageError
from .prefixes import PREFIXES
from .terms import Term

RESULT_FORMATS = ("table", "csv", "tsv", "json", "markdown")
GRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "json-ld": pyoxigraph.RdfFormat.JSON_LD,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}

Row = tuple[Term | None, ...]
LANG_ORDER = ["zh-hant", "zh-hans", "en"]  # the fallback order after the preferred language


def _width(s: str) -> int:
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


@dataclass
class QueryResult:
    """A SELECT or ASK answer: the variables and the rows (None where unbound)."""

    vars: list[str]
    rows: list[Row]
    boolean: bool | None = None
    ordered: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values."""
        return [{v: (t.to_python() if t is not None else None) for v, t in zip(self.vars, row, strict=True)} for row in self.rows]

    def prefer(self, lang: str) -> QueryResult:
        """The rows in one language where a query gives several: of rows that differ only in the language of their
        labels, keep those whose tags come first in the order `lang`, zh-Hant, zh-Hans, en, then untagged. Only
        columns that hold nothing but language-tagged text compete."""
        order = [lang.lower()] + [x for x in LANG_ORDER if x != lang.lower()]

        def rank(term: Term | None) -> int:
            if term is None or term.kind != "literal" or not term.lang:
                return len(order)
            tag = term.lang.lower()
            return order.index(tag) if tag in order else len(order) + 1

        def is_text(t: Term | None) -> bool:
            return t is not None and t.kind == "literal" and bool(t.lang)

        # only columns of language-tagged text compete; a column that also holds IRIs or numbers is a value
        tagged = [
            i
            for i in range(len(self.vars))
            if any(is_text(r[i]) for r in self.rows) and all(r[i] is None or is_text(r[i]) for r in self.rows)
        ]
        best: dict[tuple[Any, ...], int] = {}
        keys = []
        for row in self.rows:
            key = tuple(t for i, t in enumerate(row) if i not in tagged)
            score = sum(rank(row[i]) for i in tagged)
            keys.append((key, score))
            best[key] = min(best.get(key, score), score)
        rows = [row for row, (key, score) in zip(self.rows, keys, strict=True) if score == best[key]]
        return QueryResult(self.vars, rows, self.boolean, self.ordered)

    def to_dataframe(self, lang: str | None = None) -> Any:
        """The rows as a pandas DataFrame (pandas comes with the `jupyter` extra). A column holding language-tagged
        text gets a `<column>_lang` column beside it; `lang="zh-Hant"` keeps one language per row (see `prefer`).
        One typing rule for every engine: integers and years are int64, decimals and doubles float64, dates
        datetimes, booleans bool."""
        try:
            import pandas as pd  # noqa: PLC0415 - optional and heavy: only DataFrame users pay for it
        except ImportError:  # pragma: no cover - depends on the installed extras
            raise MissingExtra("to_dataframe (pandas)", "jupyter") from None
        if lang is not None:
            return self.prefer(lang).to_dataframe()
        frame = pd.DataFrame.from_records(self.records(), columns=self.vars)
        for i, var in reversed(list(enumerate(self.vars))):
            langs = [term.lang if (term := row[i]) is not None else None for row in self.rows]
            if any(langs):
                frame.insert(i + 1, f"{var}_lang", langs)
        for col in frame.columns:
            values = [v for v in frame[col] if v is not None]
            if not values:
                continue
            if all(isinstance(v, int) and not isinstance(v, bool) for v in values) and len(values) == len(frame):
                frame[col] = frame[col].astype("int64")
            elif all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values):
                frame[col] = pd.to_numeric(frame[col].map(lambda v: float(v) if isinstance(v, Decimal | int) else v))
            elif all(isinstance(v, datetime.date) for v in values):
                frame[col] = pd.to_datetime(frame[col])
        return frame

    def to_json(self) -> str:
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}, ensure_ascii=False, indent=2) + "\n"
        bindings = [{v: t.to_json() for v, t in zip(self.vars, row, strict=True) if t is not None} for row in self.rows]
        doc = {"head": {"vars": self.vars}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(self.vars)
        for row in self.rows:
            w.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
        return buf.getvalue()

    def to_tsv(self) -> str:
        lines = ["\t".join("?" + v for v in self.vars)]
        lines += ["\t".join("" if t is None else t.n3() for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def _cells(self) -> list[list[str]]:
        return [["" if t is None else t.value for t in row] for row in self.rows]

    def to_markdown(self) -> str:
        def esc(s: str) -> str:
            return s.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(self.vars) + " |", "|" + "|".join("---" for _ in self.vars) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in cells) + " |" for cells in self._cells()]
        return "\n".join(lines) + "\n"

    def to_table(self) -> str:
        if self.boolean is not None:
            return ("yes" if self.boolean else "no") + "\n"
        cells = [[c.replace("\n", " ") for c in row] for row in self._cells()]
        widths = [max([_width(v)] + [_width(r[i]) for r in cells]) for i, v in enumerate(self.vars)]
        lines = [
            "  ".join(_pad(v, w) for v, w in zip(self.vars, widths, strict=True)).rstrip(),
            "  ".join("-" * w for w in widths),
        ]
        lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"

    def serialize(self, fmt: str = "table") -> str:
        if fmt not in RESULT_FORMATS:
            raise UsageError(f"unknown result format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")
        if self.boolean is not None and fmt != "table":
            return self.to_json() if fmt == "json" else str(self.boolean).lower() + "\n"
        text: str = getattr(self, f"to_{fmt}")()
        return text

    def canonical(self) -> list[Row]:
        """Rows with engine differences normalised; sorted unless the query orders them."""
        rows = [tuple(t.normalised() if t is not None else None for t in row) for row in self.rows]
        return rows if self.ordered else sorted(rows, key=lambda r: [(t is None, t) for t in r])


@dataclass
class GraphResult:
    """A CONSTRUCT or DESCRIBE answer: triples, serialised in an RDF syntax."""

    triples: list[pyoxigraph.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.triples)

    def serialize(self, fmt: str = "turtle") -> str:
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"a CONSTRUCT or DESCRIBE answer is a graph: choose one of {', '.join(GRAPH_FORMATS)}")
        prefixes = {p: ns for p, ns in PREFIXES.items() if p != "id"} if fmt in ("turtle", "xml") else None
        data = pyoxigraph.serialize(self.triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes)
        return data.decode("utf-8") if data else ""


Result = QueryResult | GraphResult
