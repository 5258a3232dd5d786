"""The prefixes mzkg binds, as plain strings (importable without rdflib, for the fast query path)."""

from __future__ import annotations

MZKG = "https://w3id.org/mzkg/ontology#"
ID = "https://w3id.org/mzkg/id/"
GRAPH = "https://w3id.org/mzkg/graph/"

PREFIXES: dict[str, str] = {
    "mzkg": MZKG,
    "id": ID,
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "shape": "https://w3id.org/mzkg/shapes#",
}


def sparql_prologue() -> str:
    """PREFIX lines for every mzkg prefix, for queries written without them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
