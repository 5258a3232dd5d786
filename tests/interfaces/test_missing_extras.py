"""A command whose optional extra is not installed says which extra to install, in one line, exit 2.

Each test runs mzkg in a child Python whose `sitecustomize` refuses to import the extra's modules, as if
`pip install .` had been run without it; benchmarks/fresh_venvs.py does the same with real fresh installs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import mzkg
from mzkg.core.extras import EXTRA_OF_MODULE
from support.paths import DATA

pytestmark = pytest.mark.slow

BLOCKER = """\
import os
import sys

BLOCKED = frozenset(os.environ["MZKG_BLOCKED_MODULES"].split(","))


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
"""

PACKAGE_ROOT = Path(mzkg.__file__).resolve().parent.parent  # the mzkg under test, wherever it is installed


def without(extra: str, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m mzkg ARGS` (or `python -c` code, for the library) where the extra's modules cannot be imported."""
    return run_blocking([m for m, e in EXTRA_OF_MODULE.items() if e == extra], args, tmp_path)


def run_blocking(modules: list[str], args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(PACKAGE_ROOT)]),
        "MZKG_BLOCKED_MODULES": ",".join(modules),
    }
    cmd = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "mzkg", *args]
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)


def assert_names_the_extra(res: subprocess.CompletedProcess[str], what: str, extra: str) -> None:
    """Exit 2, and the error is one line, the last on stderr (progress lines may come before it)."""
    assert res.returncode == 2, res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("mzkg: error:")]
    assert errors == [f"mzkg: error: {what} needs the '{extra}' extra: pip install 'mzkg[{extra}]'"], res.stderr
    assert res.stderr.splitlines()[-1] == errors[0]
    assert "Traceback" not in res.stdout + res.stderr


def test_the_blocker_blocks(tmp_path):
    res = without("stores", ["-c", "import uvicorn"], tmp_path)
    assert res.returncode == 1 and "No module named 'uvicorn'" in res.stderr


def test_serve_without_the_stores_extra(tmp_path):
    assert_names_the_extra(without("stores", ["serve", "--port", "0"], tmp_path), "mzkg serve", "stores")


def test_draft_without_the_draft_extra(tmp_path):
    report = DATA / "corpus" / "hn-2023-invented.gb18030.txt"
    res = without("draft", ["draft", str(report), "-o", str(tmp_path / "drafts")], tmp_path)
    assert_names_the_extra(res, "mzkg draft", "draft")
    assert not list((tmp_path / "drafts").glob("*.ttl"))


def test_draft_place_without_the_draft_extra(tmp_path):
    """--place is checked against every division of China before anything is drafted: that list is the extra's too."""
    report = DATA / "corpus" / "hn-2023-invented.gb18030.txt"
    res = without("draft", ["draft", str(report), "-o", str(tmp_path / "drafts"), "--place", "430000"], tmp_path)
    assert_names_the_extra(res, "mzkg draft", "draft")


def test_draw_without_the_owl_extra(tmp_path):
    res = without("owl", ["draw", "tiers", "-o", str(tmp_path / "tiers.svg")], tmp_path)
    assert_names_the_extra(res, "mzkg draw", "owl")
    assert not (tmp_path / "tiers.svg").exists()


def test_docs_without_the_owl_extra(tmp_path):
    res = without("owl", ["docs", "-o", str(tmp_path / "site")], tmp_path)
    assert_names_the_extra(res, "the ontology's HTML documentation (pyLODE)", "owl")


def test_check_without_the_owl_extra_lints_then_names_it(tmp_path):
    res = without("owl", ["check"], tmp_path)
    assert_names_the_extra(res, "the HermiT reasoner (owlready2)", "owl")
    assert "checks: 0 error(s)" in res.stdout  # the lint needs no extra
    assert without("owl", ["check", "--no-hermit"], tmp_path).returncode == 0


def test_a_dataframe_without_the_jupyter_extra(tmp_path):
    """The jupyter extra has no command: the library says what is missing when a DataFrame is asked for."""
    code = "import mzkg; res = mzkg.query('kuasheng-services'); print(len(res.rows)); res.to_dataframe()"
    res = without("jupyter", ["-c", code], tmp_path)
    assert res.returncode == 1
    assert res.stdout.strip().isdigit()  # the query itself needs no extra
    assert res.stderr.splitlines()[-1] == (
        "mzkg.core.errors.MissingExtra: to_dataframe (pandas) needs the 'jupyter' extra: pip install 'mzkg[jupyter]'"
    )


def test_a_module_no_extra_brings_is_not_blamed_on_an_extra(tmp_path):
    """networkx comes with every install: without it the install is broken, and the traceback says where."""
    res = run_blocking(["networkx"], ["graph", "central"], tmp_path)
    assert res.returncode == 1
    assert "Traceback" in res.stderr and "No module named 'networkx'" in res.stderr
    assert "needs the" not in res.stderr
