"""SPARQL: the catalogue of named queries, parameters, and the rules that keep queries read-only and local."""
