"""Jupyter: the magics return DataFrames, and every notebook in notebooks/ runs top to bottom."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    sh.run_line_magic("load_ext", "mzkg")
    yield sh
    InteractiveShell.clear_instance()


def test_cell_magic_returns_a_dataframe(shell):
    frame = shell.run_cell_magic("sparql", "--out found", "SELECT ?s WHERE { ?s a mzkg:TieredNetwork } ORDER BY ?s")
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 3
    assert shell.user_ns["found"] is frame


def test_line_magic_runs_a_named_query_with_params(shell):
    frame = shell.run_line_magic("sparql", "tasks-by-tier --param tier=街道")
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    assert frame["quote"].str.contains("街道").any()


def test_magic_reports_errors_in_one_line(shell, capsys):
    assert shell.run_line_magic("sparql", "no-such-query") is None
    assert "unknown query name" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks with outputs cleared"
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2
