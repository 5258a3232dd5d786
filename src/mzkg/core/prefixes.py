"""The one prefix table: it feeds SPARQL prologues, Oxigraph, rdflib bindings and CURIEs shown to people.

Plain strings only, so the fast query path can use it without rdflib.
"""

from __future__ import annotations

MZKG = "https://w3id.org/mzkg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/mzkg/ontology"
ID = "https://w3id.org/mzkg/id/"
GRAPH = "https://w3id.org/mzkg/graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"

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
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": RDF,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "sh": "http://www.w3.org/ns/shacl#",
    "shape": "https://w3id.org/mzkg/shapes#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "qudt": "http://qudt.org/schema/qudt/",
}

# Instances are shown by their full IRI: `id:` CURIEs would hide the kind/slug path people read.
_SHOWN = [(p, ns) for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])) if p != "id"]


def sparql_prologue() -> str:
    """PREFIX lines for every mzkg prefix, for queries written without them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def curie(iri: str) -> str:
    """An IRI as `prefix:local` when a known namespace holds it, else `<iri>`."""
    for prefix, ns in _SHOWN:
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"
