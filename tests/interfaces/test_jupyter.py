"""Jupyter: the magics return DataFrames, and every notebook in notebooks/ runs top to bottom."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import servers
from support.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    sh.run_line_magic("load_ext", "mzkg")
    yield sh
    InteractiveShell.clear_instance()


def test_cell_magic_returns_a_dataframe(shell):
    frame = shell.run_cell_magic("sparql", "--out found", "SELECT ?s WHERE { ?s a mzkg:TieredNetwork } ORDER BY ?s")
    assert type(frame).__name__ == "DataFrame"
    assert len(frame) == 4
    assert shell.user_ns["found"] is frame


def test_line_magic_runs_a_named_query_with_params(shell):
    frame = shell.run_line_magic("sparql", "tasks-by-tier --param tier=街道")
    assert type(frame).__name__ == "DataFrame" and len(frame) > 0
    assert frame["quote"].str.contains("街道").any()


def test_magic_reports_errors_in_one_line(shell, capsys):
    assert shell.run_line_magic("sparql", "no-such-query") is None
    assert "unknown query name" in capsys.readouterr().out


# The notebook runs in a process of its own, as `jupyter execute` would run it: its kernel and event loops live
# and die there.
RUN_NOTEBOOK = """
import sys, nbclient, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks with outputs cleared"
    out = tmp_path / "executed.ipynb"
    res = subprocess.run(
        [sys.executable, "-c", RUN_NOTEBOOK, str(path), str(out), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2


def test_endpoint_path_refuses_updates_like_the_cli(shell, capsys, listener):
    port, sock = listener
    frame = shell.run_cell_magic(
        "sparql", f"--endpoint http://127.0.0.1:{port}/sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    )
    assert frame is None
    assert "Update is not allowed" in capsys.readouterr().out
    assert servers.nothing_arrived(sock), "the update reached the endpoint"


def test_loading_the_extension_sets_a_cjk_font_for_plots():
    from matplotlib import rcParams

    from mzkg.interfaces.jupyter import use_cjk_font

    font = use_cjk_font()
    assert font is not None and font.startswith("Noto Sans CJK")  # CI installs fonts-noto-cjk
    assert rcParams["font.sans-serif"][0] == font


def test_numbers_display_as_people_read_them(shell):
    import pandas as pd

    from mzkg.interfaces.jupyter import plain_number

    assert plain_number(13020000000.0) == "13,020,000,000" and plain_number(98.5) == "98.5" and plain_number(0.0) == "0"
    assert "13,020,000,000" in pd.DataFrame({"yuan": [13020000000.0, 5.0]}).to_string()  # after %load_ext mzkg
