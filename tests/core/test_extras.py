"""The table of optional extras agrees with pyproject.toml: each module it names comes with the extra it names,
and each requirement of an extra that mzkg imports has a module in the table."""

from __future__ import annotations

import importlib.metadata
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from mzkg.core.errors import MissingExtra
from mzkg.core.extras import EXTRA_OF_MODULE, extra_of, missing_extra
from support.paths import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CORE = {canonicalize_name(Requirement(r).name) for r in PROJECT["dependencies"]}
EXTRAS = {
    extra: {canonicalize_name(Requirement(r).name) for r in reqs} - CORE
    for extra, reqs in PROJECT["optional-dependencies"].items()
}
FOR_CONTRIBUTORS = {"test", "lint", "dev"}  # installed by `make install`, never asked of a user
NEVER_IMPORTED = {"ipykernel"}  # Jupyter's kernel: the jupyter extra brings it so notebooks run, mzkg never imports it
DISTRIBUTIONS = importlib.metadata.packages_distributions()


@pytest.mark.parametrize("module", sorted(EXTRA_OF_MODULE))
def test_each_module_comes_with_the_extra_named(module):
    brought_by = {canonicalize_name(d) for d in DISTRIBUTIONS.get(module, [])}
    assert brought_by & EXTRAS[EXTRA_OF_MODULE[module]], (module, brought_by)


@pytest.mark.parametrize("extra", sorted(set(EXTRAS) - FOR_CONTRIBUTORS))
def test_each_requirement_of_a_user_extra_has_a_module_in_the_table(extra):
    named = {canonicalize_name(d) for m, e in EXTRA_OF_MODULE.items() if e == extra for d in DISTRIBUTIONS.get(m, [])}
    assert EXTRAS[extra] - NEVER_IMPORTED <= named, extra


def test_the_labels_extra_adds_nothing_to_an_install():
    """OpenCC became a dependency of every install; the extra stays so that old install lines keep working."""
    assert EXTRAS["labels"] == set()


def test_only_a_missing_module_of_an_extra_names_an_extra():
    assert extra_of(ModuleNotFoundError("No module named 'uvicorn'", name="uvicorn")) == "stores"
    assert extra_of(ModuleNotFoundError("No module named 'graphviz.backend'", name="graphviz.backend")) == "owl"
    assert extra_of(ModuleNotFoundError("No module named 'networkx'", name="networkx")) is None  # a broken install
    assert extra_of(ImportError("cannot import name 'x' from 'pandas'", name="pandas")) is None  # a wrong version
    assert extra_of(ModuleNotFoundError("no name given")) is None
    error = missing_extra("mzkg draft", ModuleNotFoundError(name="ahocorasick"))
    assert isinstance(error, MissingExtra)
    assert str(error) == "mzkg draft needs the 'draft' extra: pip install 'mzkg[draft]'"
    assert (error.exit_code, error.extra) == (2, "draft")
