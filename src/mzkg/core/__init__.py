"""The core: terms, sources, the Oxigraph store and the rdflib dataset, SPARQL (catalogue, parameters,
read-only rules), engines, results and the one query service. It knows nothing of features or interfaces."""
