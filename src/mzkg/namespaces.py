"""Every IRI namespace mzkg uses, in one place."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

MZKG = Namespace("https://w3id.org/mzkg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/mzkg/ontology"
ID = Namespace("https://w3id.org/mzkg/id/")
GRAPH = Namespace("https://w3id.org/mzkg/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE = Namespace("https://w3id.org/mzkg/shapes#")

PREFIXES: dict[str, str] = {
    "mzkg": str(MZKG),
    "id": str(ID),
    "org": str(ORG),
    "oa": str(OA),
    "cpsv": str(CPSV),
    "cv": str(CV),
    "schema": str(SCHEMA),
    "vann": str(VANN),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "shape": str(SHAPE),
}


def bind_prefixes(graph) -> None:
    """Bind mzkg's prefixes on an rdflib graph or dataset."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)


def sparql_prologue() -> str:
    """PREFIX lines for every mzkg prefix, for queries written without them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
