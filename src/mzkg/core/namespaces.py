"""mzkg's namespaces as rdflib Namespaces, for the features that build or read rdflib graphs (strings: prefixes.py)."""

from __future__ import annotations

from rdflib import Namespace, URIRef

from .prefixes import ID as _ID
from .prefixes import MZKG as _MZKG
from .prefixes import ONTOLOGY_IRI as _ONTOLOGY_IRI
from .prefixes import PREFIXES

MZKG = Namespace(_MZKG)
ONTOLOGY = URIRef(_ONTOLOGY_IRI)
ID = Namespace(_ID)
OA = Namespace(PREFIXES["oa"])
SCHEMA = Namespace(PREFIXES["schema"])
SH = Namespace(PREFIXES["sh"])
SHAPE = Namespace(PREFIXES["shape"])
NIF = Namespace(PREFIXES["nif"])
