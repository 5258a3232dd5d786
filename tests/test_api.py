"""The library API: the names the README documents, callable whatever submodules were imported."""

from __future__ import annotations

import importlib
import pkgutil

import mzkg


def test_api_functions_survive_importing_every_submodule(kg):
    for mod in pkgutil.walk_packages(mzkg.__path__, "mzkg."):
        if not mod.name.endswith(("__main__", "jupyter")):
            importlib.import_module(mod.name)
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
