"""Fixtures shared by every test module (and only here): the packaged graph, its store, its validation report and
its release, a CLI runner, a listener that must receive no connection, and the golden answers."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import mzkg
from mzkg.core.graph import KnowledgeGraph
from mzkg.features.validation import ValidationReport, validate
from mzkg.interfaces.cli import main


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.json from the current answers (review the diff before committing)",
    )


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Prepared stores and kept validation results go to a folder of this run, never to the user's cache."""
    old = os.environ.get("MZKG_CACHE_DIR")
    os.environ["MZKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("mzkg-cache"))
    yield
    if old is None:
        os.environ.pop("MZKG_CACHE_DIR", None)
    else:
        os.environ["MZKG_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    """The packaged graph (ontology + data); tests never change it (they edit copies)."""
    return mzkg.load()


@pytest.fixture(scope="session")
def packaged_report(kg: KnowledgeGraph) -> ValidationReport:
    """The packaged graph validated against the packaged shapes, once a session: the tests that only read the
    report share it."""
    return validate(kg)


@pytest.fixture(scope="session")
def packaged_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`mzkg release -o DIR` of the packaged graph, once a session: (DIR, what the command printed). The tests
    that only read a release read this one."""
    out = tmp_path_factory.mktemp("release") / "release"
    res = CliRunner().invoke(main, ["release", "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out, res.output


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def listener() -> Iterator[tuple[int, socket.socket]]:
    """A socket listening on loopback that must receive no connection: (port, socket)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(50)
    sock.settimeout(0.5)
    yield sock.getsockname()[1], sock
    sock.close()


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def tests_dir() -> Path:
    return Path(__file__).resolve().parent


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a skipped test is a failure: CI installs everything the suite needs."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if os.environ.get("CI", "").lower() == "true" and skipped:
        if reporter is not None:
            reporter.write_line(f"CI: {skipped} test(s) skipped; every test must run under CI", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
