"""Querying a remote SPARQL 1.1 Protocol endpoint (the client side; no server here)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from .errors import StoreError
from .queries import is_ordered
from .results import QueryResult, Term, literal_term

ACCEPT = "application/sparql-results+json"


def _term(binding: dict) -> Term:
    kind = binding["type"]
    if kind == "typed-literal":  # SPARQL 1.0 JSON, still sent by some stores
        kind = "literal"
    if kind == "literal":
        return literal_term(binding["value"], binding.get("datatype"), binding.get("xml:lang"))
    return Term(kind, binding["value"])


def parse_results_json(payload: bytes, text: str = "") -> QueryResult:
    """A SPARQL 1.1 Query Results JSON document as a QueryResult."""
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise StoreError(f"the endpoint did not answer with SPARQL JSON results ({e})") from None
    if "boolean" in doc:
        return QueryResult([], [], boolean=bool(doc["boolean"]))
    try:
        names = doc["head"]["vars"]
        rows = [tuple(_term(b[v]) if v in b else None for v in names) for b in doc["results"]["bindings"]]
    except (KeyError, TypeError) as e:
        raise StoreError(f"the endpoint's JSON results are malformed (missing {e})") from None
    return QueryResult(names, rows, ordered=is_ordered(text))


def remote_query(endpoint: str, text: str, graph: str | None = None, timeout: float = 60.0) -> QueryResult:
    """POST a query to a SPARQL endpoint (form-encoded, per SPARQL 1.1 Protocol) and read JSON results."""
    from .prefixes import sparql_prologue

    form = {"query": sparql_prologue() + text}
    if graph:
        form["default-graph-uri"] = graph
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode(form).encode("utf-8"), method="POST",
                                 headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            payload = resp.read()
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace").strip().splitlines()
        raise StoreError(f"{endpoint}: HTTP {e.code} {e.reason}" + (f": {detail[0][:200]}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise StoreError(f"{endpoint}: cannot connect ({reason})") from None
    return parse_results_json(payload, text)
