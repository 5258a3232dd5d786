"""The engines a query can run on: Oxigraph (the default), rdflib, and a remote SPARQL 1.1 endpoint."""
