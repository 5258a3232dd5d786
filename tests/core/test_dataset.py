"""The rdflib side: sources parsed by Oxigraph into rdflib graphs as rdflib's own parser would, and exports."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from mzkg.core import resources
from mzkg.core.dataset import parse_file
from mzkg.core.sources import source_paths


def test_loader_gives_what_rdflibs_own_turtle_parser_gives():
    """Same triples, language tags in their usual case, the files' prefixes bound."""
    for f in source_paths() + resources.turtle_files(resources.shapes_dir()):
        ours, theirs = parse_file(f), Graph()
        theirs.parse(f, format="turtle", publicID=f.resolve().as_uri())
        _, only_ours, only_theirs = graph_diff(to_isomorphic(ours), to_isomorphic(theirs))
        assert not only_ours and not only_theirs, f
        assert {str(o.language) for o in ours.objects() if getattr(o, "language", None)} == {
            str(o.language) for o in theirs.objects() if getattr(o, "language", None)
        }, f
        assert dict(theirs.namespaces()).items() <= dict(ours.namespaces()).items(), f


def test_exports_are_byte_identical_and_the_same_graph(kg):
    nt = kg.export("nt")
    assert nt == kg.export("nt")
    assert nt.count("\n") == len(kg)
    reference = Graph().parse(data=nt, format="nt")
    assert to_isomorphic(Graph().parse(data=kg.export("turtle"), format="turtle")) == to_isomorphic(reference)
