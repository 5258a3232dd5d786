"""The plain-rdflib baseline: parse the same Turtle sources and run the same SPARQL, as a user would by hand."""

import sys
from pathlib import Path

from rdflib import Dataset

root, query_file = Path(sys.argv[1]), Path(sys.argv[2])
ds = Dataset(default_union=True)
for folder in ("ontology", "data"):
    for f in sorted((root / folder).glob("*.ttl")):
        ds.graph(f.resolve().as_uri()).parse(f, format="turtle")
rows = list(ds.query(query_file.read_text(encoding="utf-8")))
print(len(rows))
