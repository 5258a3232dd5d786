"""Every IRI namespace mzkg uses, as rdflib Namespaces (plain strings live in prefixes.py)."""

from __future__ import annotations

from rdflib import Namespace

from . import prefixes
from .prefixes import PREFIXES, sparql_prologue

MZKG = Namespace(prefixes.MZKG)
ONTOLOGY_IRI = "https://w3id.org/mzkg/ontology"
ID = Namespace(prefixes.ID)
GRAPH = Namespace(prefixes.GRAPH)
ORG = Namespace(PREFIXES["org"])
OA = Namespace(PREFIXES["oa"])
CPSV = Namespace(PREFIXES["cpsv"])
CV = Namespace(PREFIXES["cv"])
SCHEMA = Namespace(PREFIXES["schema"])
VANN = Namespace(PREFIXES["vann"])
SH = Namespace(PREFIXES["sh"])
SHAPE = Namespace(PREFIXES["shape"])

__all__ = ["CPSV", "CV", "GRAPH", "ID", "MZKG", "OA", "ONTOLOGY_IRI", "ORG", "PREFIXES", "SCHEMA", "SH", "SHAPE", "VANN",
           "bind_prefixes", "sparql_prologue"]


def bind_prefixes(graph) -> None:
    """Bind mzkg's prefixes on an rdflib graph or dataset."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
