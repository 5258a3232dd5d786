from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import mzkg
from mzkg.graph import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.json from the current answers (review the diff before committing)")


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return mzkg.load()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
