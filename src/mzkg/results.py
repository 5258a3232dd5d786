"""Query results in an engine-neutral form, and their SPARQL 1.1 result formats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short",
                               "nonNegativeInteger", "positiveInteger", "negativeInteger",
                               "nonPositiveInteger", "unsignedInt", "unsignedLong", "byte")}
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULT_FORMATS = ("table", "csv", "tsv", "json", "markdown")


@dataclass(frozen=True, order=True)
class Term:
    """One RDF term of a result row: kind is 'uri', 'literal' or 'bnode'."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def n3(self) -> str:
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        escaped = (self.value.replace("\\", "\\\\").replace('"', '\\"')
                   .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        if self.lang:
            return f'"{escaped}"@{self.lang}'
        if self.datatype and self.datatype != XSD + "string":
            return f'"{escaped}"^^<{self.datatype}>'
        return f'"{escaped}"'

    def to_json(self) -> dict[str, str]:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out

    def to_python(self) -> Any:
        """The term as a Python value: numbers as Decimal/int/float, dates as date, the rest as text."""
        from decimal import Decimal, InvalidOperation

        if self.kind != "literal" or not self.datatype:
            return self.value
        try:
            if self.datatype in (XSD + "double", XSD + "float"):
                return float(self.value)
            if self.datatype in _NUMERIC:
                d = Decimal(self.value)
                return int(d) if d == d.to_integral_value() and "." not in self.value else d
            if self.datatype == XSD + "date":
                import datetime
                return datetime.date.fromisoformat(self.value)
            if self.datatype == XSD + "boolean":
                return self.value in ("true", "1")
        except (InvalidOperation, ValueError):
            return self.value
        return self.value

    def normalised(self) -> Term:
        """Engines differ in the case of language tags and in numeric lexical forms; this hides both."""
        from decimal import Decimal, InvalidOperation

        lang = self.lang.lower() if self.lang else None
        value, datatype = self.value, self.datatype
        if self.kind == "literal" and datatype in _NUMERIC and datatype not in (XSD + "double", XSD + "float"):
            # Stores differ in how they keep derived integer types (xsd:positiveInteger …): compare values.
            if datatype != XSD + "decimal":
                datatype = XSD + "integer"
            try:
                d = Decimal(value)
                value = str(d.quantize(Decimal(1))) if d == d.to_integral_value() else format(d.normalize(), "f")
            except InvalidOperation:
                pass
        return Term(self.kind, value, datatype, lang)


def literal_term(value: str, datatype: str | None, lang: str | None) -> Term:
    """A literal term written the same way whichever engine produced it (no datatype on plain or tagged strings)."""
    if lang or datatype in (XSD + "string", RDF_LANGSTRING):
        datatype = None
    return Term("literal", value, datatype, lang or None)


@dataclass
class QueryResult:
    """A SELECT or ASK answer: the variables and the rows (None where unbound)."""

    vars: list[str]
    rows: list[tuple[Term | None, ...]]
    boolean: bool | None = None
    ordered: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values."""
        return [{v: (t.to_python() if t is not None else None) for v, t in zip(self.vars, row)} for row in self.rows]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (pandas comes with the `jupyter` extra)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the installed extras
            from .errors import MzkgError
            raise MzkgError("to_dataframe needs pandas: pip install 'mzkg[jupyter]'") from None
        import datetime
        from decimal import Decimal

        frame = pd.DataFrame.from_records(self.records(), columns=self.vars)
        for col in frame.columns:
            values = [v for v in frame[col] if v is not None]
            if not values:
                continue
            if all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in values):
                frame[col] = pd.to_numeric(frame[col].map(lambda v: float(v) if isinstance(v, Decimal) else v))
            elif all(isinstance(v, datetime.date) for v in values):
                frame[col] = pd.to_datetime(frame[col])
        return frame

    # --- serialisations
    def to_json(self) -> str:
        import json

        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}, ensure_ascii=False, indent=2) + "\n"
        bindings = [{v: t.to_json() for v, t in zip(self.vars, row) if t is not None} for row in self.rows]
        return json.dumps({"head": {"vars": self.vars}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        import csv
        import io

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
        esc = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = ["| " + " | ".join(self.vars) + " |", "|" + "|".join("---" for _ in self.vars) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in cells) + " |" for cells in self._cells()]
        return "\n".join(lines) + "\n"

    def to_table(self) -> str:
        if self.boolean is not None:
            return ("yes" if self.boolean else "no") + "\n"
        from unicodedata import east_asian_width

        def width(s: str) -> int:
            return sum(2 if east_asian_width(c) in "WF" else 1 for c in s)

        cells = [[c.replace("\n", " ") for c in row] for row in self._cells()]
        widths = [max([width(v)] + [width(r[i]) for r in cells]) for i, v in enumerate(self.vars)]
        pad = lambda s, w: s + " " * (w - width(s))  # noqa: E731
        lines = ["  ".join(pad(v, w) for v, w in zip(self.vars, widths)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"

    def serialize(self, fmt: str = "table") -> str:
        if fmt not in RESULT_FORMATS:
            from .errors import MzkgError
            raise MzkgError(f"unknown result format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")
        if self.boolean is not None and fmt != "table":
            return self.to_json() if fmt == "json" else str(self.boolean).lower() + "\n"
        return getattr(self, f"to_{fmt}")()

    def canonical(self) -> list[tuple[Term | None, ...]]:
        """Rows with engine differences normalised; sorted unless the query orders them."""
        rows = [tuple(t.normalised() if t is not None else None for t in row) for row in self.rows]
        return rows if self.ordered else sorted(rows, key=lambda r: [(t is None, t) for t in r])
