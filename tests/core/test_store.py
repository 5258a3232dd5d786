"""The Oxigraph store: parsed in memory or prepared on disk (bulk-loaded, same quads), never stale, errors named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from mzkg.core import resources, store
from mzkg.core.errors import LoadError
from mzkg.core.graph import load
from mzkg.core.service import select
from mzkg.core.sources import read_all, source_paths
from support.paths import DATA


@pytest.fixture
def prepared(tmp_path, monkeypatch):
    """Force the prepared on-disk store into a private cache folder."""
    monkeypatch.setenv("MZKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(store, "PREPARE_ABOVE_BYTES", 0)
    return tmp_path / "cache"


def test_prepared_store_holds_the_same_quads_as_the_memory_store(prepared):
    sources = read_all(source_paths())
    disk, memory = store.open_store(sources), store.memory_store(sources)

    def ground(s: pyoxigraph.Store) -> set[pyoxigraph.Quad]:  # blank-node labels differ between two parses
        return {q for q in s if not any(isinstance(t, pyoxigraph.BlankNode) for t in (q.subject, q.object))}

    assert len(disk) == len(memory)
    assert ground(disk) == ground(memory)
    assert {q.graph_name.value for q in disk} == {s.graph for s in sources}  # one named graph per file


def test_prepared_store_is_rebuilt_when_a_source_changes(tmp_path, prepared):
    data = tmp_path / "data"
    shutil.copytree(resources.data_dir(), data)
    q = "SELECT ?l WHERE { <https://w3id.org/mzkg/id/place/hunan> rdfs:label ?l FILTER (langMatches(lang(?l), 'en')) }"
    assert [r["l"] for r in select(q, kg=load([data])).records()] == ["Hunan"]
    assert len(list(prepared.glob("store-*"))) == 1
    report = data / "report.ttl"
    report.write_text(report.read_text(encoding="utf-8").replace('"Hunan"@en', '"Hunan Province"@en'), encoding="utf-8")
    assert [r["l"] for r in select(q, kg=load([data])).records()] == ["Hunan Province"]
    assert len(list(prepared.glob("store-*"))) == 2
    assert [r["l"] for r in select(q, kg=load([data])).records()] == ["Hunan Province"]  # reused
    assert len(list(prepared.glob("store-*"))) == 2


def test_a_killed_build_leaves_nothing_behind(prepared):
    prepared.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = prepared / f".build-{dead.pid}-x"
    stale.mkdir()
    store.open_store(read_all(source_paths()))
    assert not stale.exists()
    assert [p.name for p in prepared.iterdir() if p.name.startswith(".")] == []


def test_an_unusable_cache_folder_falls_back_to_memory(tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("MZKG_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.setattr(store, "PREPARE_ABOVE_BYTES", 0)
    s = store.open_store(read_all(source_paths()))
    assert len(s) > 5000
    assert "cannot be used" in caplog.text


def test_load_errors_name_file_and_line():
    with pytest.raises(LoadError, match=r"malformed\.ttl:5"):
        _ = load([DATA / "malformed.ttl"]).store
    with pytest.raises(LoadError, match="not UTF-8"):
        load([DATA / "not-utf8.ttl"])


def test_a_named_pipe_is_read_like_a_file(tmp_path):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", f"open({str(fifo)!r}, 'w').write('<urn:a> <urn:b> <urn:c> .')"])
    kg = load([fifo])
    writer.wait(timeout=30)
    assert any(q.subject == pyoxigraph.NamedNode("urn:a") for q in kg.store)


def test_store_commands_do_not_import_rdflib(tmp_path):
    for args in (["query", "headlines", "--format", "csv"], ["describe", "双百工程"]):
        code = (
            "import sys; from mzkg.interfaces.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'pandas') if m in sys.modules)\n"
            "print('HEAVY', heavy)\n"
        )
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
        assert res.returncode == 0, res.stderr
        assert "HEAVY []" in res.stdout, res.stdout
        assert Path(tmp_path).is_dir()
