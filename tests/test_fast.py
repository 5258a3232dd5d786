"""The fast query path: same answers as rdflib, no rdflib import, and never a stale prepared store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mzkg import fast, paths
from mzkg.queries import named_queries

from .test_queries import GOLDEN, _load_golden

QUERIES = named_queries()


@pytest.fixture(scope="module")
def store():
    return fast.load_store()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_fast_path_gives_the_golden_answer(store, name):
    got = fast.run(store, QUERIES[name].text)
    expected = _load_golden(GOLDEN / f"{name}.json")
    assert got.vars == expected.vars
    assert got.canonical() == expected.canonical()


@pytest.mark.parametrize(("args", "expect"), [(["query", "headlines", "--format", "csv"], "婚姻登記"),
                                            (["describe", "双百工程"], "雙百工程@zh-Hant")])
def test_fast_commands_do_not_import_rdflib(tmp_path, args, expect):
    code = ("import sys; from mzkg.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'pandas') if m in sys.modules)\n"
            "print('HEAVY', heavy)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "HEAVY []" in res.stdout, res.stdout
    assert expect in res.stdout


def test_update_and_service_are_refused_on_the_fast_path(store):
    from mzkg.errors import QueryError

    with pytest.raises(QueryError, match="Update is not allowed"):
        fast.run(store, "PREFIX ex: <urn:x:> INSERT DATA { ex:a ex:b ex:c }")
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        fast.run(store, "SELECT * WHERE { SERVICE <http://127.0.0.1:9999/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        fast.run(store, "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9999/> { ?s ?p ?o } }")


def test_prepared_store_is_rebuilt_when_a_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("MZKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(fast, "PREPARE_ABOVE_BYTES", 0)  # force the prepared on-disk store
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    q = "SELECT ?l WHERE { <https://w3id.org/mzkg/id/place/hunan> rdfs:label ?l FILTER (langMatches(lang(?l), 'en')) }"
    first = fast.run(fast.load_store([data]), q)
    assert [r[0].value for r in first.rows] == ["Hunan"]
    assert len(list((tmp_path / "cache").glob("store-*"))) == 1
    report = data / "report.ttl"
    report.write_text(report.read_text(encoding="utf-8").replace('"Hunan"@en', '"Hunan Province"@en'), encoding="utf-8")
    second = fast.run(fast.load_store([data]), q)
    assert [r[0].value for r in second.rows] == ["Hunan Province"]
    assert len(list((tmp_path / "cache").glob("store-*"))) == 2
    # opening it again reuses the prepared store
    assert [r[0].value for r in fast.run(fast.load_store([data]), q).rows] == ["Hunan Province"]
    assert len(list((tmp_path / "cache").glob("store-*"))) == 2


def test_fast_path_load_errors_name_file_and_line(runner):
    from mzkg.cli import main

    bad = Path(__file__).parent / "data" / "malformed.ttl"
    res = runner.invoke(main, ["--data", str(bad), "query", "headlines"])
    assert res.exit_code == 2
    assert "malformed.ttl:5" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["--data", str(Path(__file__).parent / "data" / "not-utf8.ttl"), "query", "headlines"])
    assert res.exit_code == 2 and "not UTF-8" in res.output


def test_fast_path_shows_language_tags_as_written(store):
    """Oxigraph lowercases language tags; answers show them as the sources and rdflib do."""
    got = fast.run(store, QUERIES["conference"].text)
    assert {t.lang for row in got.rows for t in row if t is not None and t.lang} == {"zh-Hant"}
