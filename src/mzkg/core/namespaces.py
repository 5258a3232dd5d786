"""mzkg's namespaces as rdflib Namespaces, for the features that build or read rdflib graphs (strings: prefixes.py)."""

from __future__ import annotations

from rdflib import Namespace, URIRef

from .prefixes import GRAPH as _GRAPH
from .prefixes import ID as _ID
from .prefixes import MZKG as _MZKG
from .prefixes import ONTOLOGY_IRI as _ONTOLOGY_IRI
from .prefixes import PREFIXES

MZKG = Namespace(_MZKG)
ONTOLOGY = URIRef(_ONTOLOGY_IRI)
ID = Namespace(_ID)
GRAPH = Namespace(_GRAPH)
ORG = Namespace(PREFIXES["org"])
OA = Namespace(PREFIXES["oa"])
CPSV = Namespace(PREFIXES["cpsv"])
CV = Namespace(PREFIXES["cv"])
SCHEMA = Namespace(PREFIXES["schema"])
VANN = Namespace(PREFIXES["vann"])
SH = Namespace(PREFIXES["sh"])
SHAPE = Namespace(PREFIXES["shape"])
NIF = Namespace(PREFIXES["nif"])
