"""The library API: the names documented in the README, callable whatever submodules were imported."""

from __future__ import annotations

import importlib
import pkgutil

import mzkg


def test_api_functions_survive_importing_every_submodule(kg):
    for mod in pkgutil.iter_modules(mzkg.__path__):
        if mod.name not in {"__main__", "jupyter"}:
            importlib.import_module(f"mzkg.{mod.name}")
    for name in ("load", "query", "validate", "export", "stats", "describe", "coverage", "to_networkx"):
        assert callable(getattr(mzkg, name)), name
    assert mzkg.validate(kg).conforms
    assert mzkg.describe("五社聯動", kg=kg)[0].iri.endswith("programme/wushe-liandong")
    assert mzkg.coverage(kg).complete
    assert mzkg.query("headlines", kg=kg).vars == ["headline", "kind", "restates"]
    assert mzkg.export("nt", kg=kg).count("\n") == len(kg)
    assert mzkg.stats(kg)["triples"] == len(kg)
    assert mzkg.to_networkx(kg).number_of_nodes() > 200


def test_query_result_dataframe_types(kg):
    frame = mzkg.query("conference", kg=kg).to_dataframe()
    assert str(frame["date"].dtype).startswith("datetime64")
    frame = mzkg.query("figures-2021", kg=kg).to_dataframe()
    assert frame["value"].dtype.kind == "f"
    assert frame["as_written"].map(type).eq(str).all()


def test_loader_gives_what_rdflibs_own_turtle_parser_gives():
    """Sources are parsed with Oxigraph's parser into rdflib graphs: same triples, language tags in their
    usual case, the files' prefixes bound."""
    from rdflib import Graph
    from rdflib.compare import graph_diff, to_isomorphic

    from mzkg import paths
    from mzkg.graph import parse_turtle

    for f in paths.source_files(None) + paths.turtle_files(paths.shapes_dir()):
        ours, theirs = Graph(), Graph()
        parse_turtle(f, ours)
        theirs.parse(f, format="turtle", publicID=f.resolve().as_uri())
        _, only_ours, only_theirs = graph_diff(to_isomorphic(ours), to_isomorphic(theirs))
        assert not only_ours and not only_theirs, f
        assert {str(o.language) for o in ours.objects() if getattr(o, "language", None)} == \
            {str(o.language) for o in theirs.objects() if getattr(o, "language", None)}, f
        assert dict(theirs.namespaces()).items() <= dict(ours.namespaces()).items(), f


def test_language_tags_get_their_usual_case():
    from mzkg.fast import bcp47_case

    assert [bcp47_case(t) for t in ("zh-hant", "en", "zh-hant-tw", "sgn-be-fr", "az-latn-x-latn")] == \
        ["zh-Hant", "en", "zh-Hant-TW", "sgn-BE-FR", "az-Latn-x-latn"]
