"""RDF terms in an engine-neutral form, their SPARQL/Turtle spelling, and the conversion to and from Oxigraph.

rdflib terms are converted in `dataset.py`, the one module of the core that needs rdflib.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

import pyoxigraph

from .errors import UsageError
from .prefixes import RDF, RDF_TYPE, XSD

XSD_STRING = XSD + "string"
RDF_TYPE_NODE = pyoxigraph.NamedNode(RDF_TYPE)  # rdf:type as Oxigraph's term, for reading the store by pattern
RDF_LANGSTRING = RDF + "langString"
_FLOATS = {XSD + "double", XSD + "float"}
_INTEGERS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
NUMERIC = _FLOATS | _INTEGERS | {XSD + "decimal"}

Kind = Literal["uri", "literal", "bnode"]

# The characters a SPARQL/Turtle string literal must escape (ECHAR). Never \\u escapes: SPARQL processes
# those before parsing, so \\u0022 would close the string.
_ECHAR = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"})


@dataclass(frozen=True, order=True)
class Term:
    """One RDF term: kind is 'uri', 'literal' or 'bnode'; a literal has a datatype or a language, not both."""

    kind: Kind
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        """An IRI term, checked by Oxigraph's IRI parser (a bad IRI is a UsageError, never spliced into text)."""
        try:
            pyoxigraph.NamedNode(value)
        except ValueError as e:
            raise UsageError(f"not a valid IRI: {value!r} ({e})") from None
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        """A literal written the same way whichever engine produced it (no datatype on plain or tagged strings)."""
        if lang or datatype in (XSD_STRING, RDF_LANGSTRING):
            datatype = None
        return cls("literal", value, datatype, lang or None)

    def n3(self) -> str:
        """The term in SPARQL/Turtle syntax; the value can never end the term early."""
        if self.kind == "uri":
            return f"<{Term.iri(self.value).value}>"
        if self.kind == "bnode":  # Oxigraph checks the label against the grammar: nothing else can follow `_:`
            try:
                return str(pyoxigraph.BlankNode(self.value))
            except ValueError:
                raise UsageError(f"not a blank node label: {self.value!r}") from None
        text = f'"{self.value.translate(_ECHAR)}"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype:
            return f"{text}^^<{Term.iri(self.datatype).value}>"
        return text

    def to_json(self) -> dict[str, str]:
        """The term as a SPARQL 1.1 Query Results JSON binding."""
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out

    def to_python(self) -> Any:
        """The term as a Python value: numbers as int/Decimal/float, dates as date, years (xsd:gYear) as int,
        booleans as bool, else text."""
        if self.kind != "literal" or not self.datatype:
            return self.value
        try:
            if self.datatype in _FLOATS:
                return float(self.value)
            if self.datatype in _INTEGERS:
                return int(self.value)
            if self.datatype == XSD + "decimal":
                return Decimal(self.value)
            if self.datatype == XSD + "date":
                return datetime.date.fromisoformat(self.value)
            if self.datatype == XSD + "boolean":
                return self.value in ("true", "1")
            if self.datatype == XSD + "gYear" and self.value.lstrip("-").isdigit():
                return int(self.value)
        except (InvalidOperation, ValueError):
            return self.value
        return self.value

    def normalised(self) -> Term:
        """Engines differ in the case of language tags and in numeric and boolean lexical forms; this hides them."""
        lang = self.lang.lower() if self.lang else None
        value, datatype = self.value, self.datatype
        if self.kind == "literal" and datatype == XSD + "boolean":
            value = {"1": "true", "0": "false"}.get(value, value)
        if self.kind == "literal" and datatype in NUMERIC and datatype not in _FLOATS:
            # Stores differ in how they keep derived integer types (xsd:positiveInteger …): compare values.
            if datatype != XSD + "decimal":
                datatype = XSD + "integer"
            try:
                d = Decimal(value)
                value = str(d.quantize(Decimal(1))) if d == d.to_integral_value() else format(d.normalize(), "f")
            except InvalidOperation:
                pass
        return Term(self.kind, value, datatype, lang)


@lru_cache(maxsize=256)
def bcp47_case(tag: str) -> str:
    """A language tag in RFC 5646 §2.1.1 case (Oxigraph gives it lowercased): zh-hant → zh-Hant, en-ca → en-CA.

    Two-letter subtags are upper case and four-letter ones title case unless first or after a singleton.
    """
    parts = tag.lower().split("-")
    out, extension = [parts[0]], False
    for part in parts[1:]:
        extension = extension or len(part) == 1
        out.append(part if extension else part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(out)


OxTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


def from_oxigraph(node: object) -> Term | None:
    """An Oxigraph term as a Term; language tags in their usual case, as the sources write them."""
    if node is None:
        return None
    if isinstance(node, pyoxigraph.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, pyoxigraph.Literal):
        return Term.literal(node.value, node.datatype.value, bcp47_case(node.language) if node.language else None)
    raise TypeError(f"not an RDF term mzkg handles: {node!r}")  # RDF-star triple terms are not used


def value_of(node: object) -> str:
    """The lexical value of an Oxigraph IRI, blank node or literal."""
    if isinstance(node, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal):
        return node.value
    raise TypeError(f"not an RDF term mzkg handles: {node!r}")


def to_oxigraph(term: Term) -> OxTerm:
    """A Term as the Oxigraph term that engine binds natively."""
    if term.kind == "uri":
        return pyoxigraph.NamedNode(term.value)
    if term.kind == "bnode":
        return pyoxigraph.BlankNode(term.value)
    if term.lang:
        return pyoxigraph.Literal(term.value, language=term.lang)
    if term.datatype:
        return pyoxigraph.Literal(term.value, datatype=pyoxigraph.NamedNode(term.datatype))
    return pyoxigraph.Literal(term.value)
