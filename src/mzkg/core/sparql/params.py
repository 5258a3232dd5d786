"""Query parameters: a `--param KEY=VALUE` as an RDF term, checked against what the query declares.

Local engines bind terms natively (Oxigraph `substitutions=`, rdflib `initBindings=`), so a value can never
change a query's structure. Only for a remote endpoint, which offers nothing else, is a term written into the
text: into the parameter's `VALUES ?key { UNDEF }` slot, by the escaping serializer `Term.n3`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import UsageError
from ..terms import Term

_IRI_FORM = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Param:
    """A declared parameter: its variable, its default term, what it means."""

    name: str
    default: Term
    description: str = ""

    def describe(self) -> str:
        return f"{self.name} (default {self.default.value}){': ' + self.description if self.description else ''}"


def parse_value(value: str) -> Term:
    """A parameter value as an RDF term: `<iri>` or an http(s) IRI (checked by Oxigraph's IRI parser), else a
    plain literal."""
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        return Term.iri(value[1:-1])
    if _IRI_FORM.match(value):
        return Term.iri(value)
    return Term.literal(value)


def parse_pairs(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`KEY=VALUE` strings as a dict (a usage error names the one without `=`)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--param {pair!r}: expected KEY=VALUE")
        out[key] = value
    return out


def bind(declared: Mapping[str, Param], given: Mapping[str, str | Term], *, named: bool) -> dict[str, Term]:
    """The terms to bind: every declared parameter (given, as text or a term, or its default); for a query with
    no header, any variable the caller names. An unknown parameter of a named query is a usage error."""
    unknown = [k for k in given if named and k not in declared]
    if unknown:
        takes = ", ".join(declared) or "none"
        raise UsageError(f"unknown parameter {unknown[0]!r}; this query takes: {takes}")
    terms = {name: p.default for name, p in declared.items()}
    terms.update({k: v if isinstance(v, Term) else parse_value(v) for k, v in given.items()})
    return terms


def slot(name: str) -> re.Pattern[str]:
    """The `VALUES ?name { UNDEF }` slot a parameter's value goes into when written as text."""
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}", re.IGNORECASE)


def write_into_text(text: str, terms: Mapping[str, Term]) -> str:
    """The query with each term written into its parameter's slot (for remote endpoints only)."""
    for name, term in terms.items():
        pattern = slot(name)
        m = pattern.search(text)
        if m is None:
            raise UsageError(
                f"parameter {name!r} has no `VALUES ?{name} {{ UNDEF }}` slot in this query, which a remote endpoint needs"
            )
        text = f"{text[: m.start()]}VALUES ?{name} {{ {term.n3()} }}{text[m.end() :]}"
    return text
