"""The files a graph is made of: each file its own named graph, a valid IRI, whatever its name."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from mzkg.core import resources, sources
from mzkg.core.errors import LoadError
from mzkg.core.graph import load

TRIPLE = b'<urn:x:a> <urn:x:p> "x" .\n'


def test_packaged_files_keep_their_published_graph_names():
    assert sources.graph_name(resources.ontology_dir() / "mzkg.ttl") == "https://w3id.org/mzkg/graph/ontology/mzkg"
    assert sources.graph_name(resources.data_dir() / "report.ttl") == "https://w3id.org/mzkg/graph/data/report"


def test_files_of_one_stem_load_into_graphs_of_their_own(tmp_path: Path):
    for name in ("a.ttl", "a.nt", "a.ttl.bak"):
        (tmp_path / name).write_bytes(TRIPLE)
    kg = load([tmp_path / n for n in ("a.ttl", "a.nt", "a.ttl.bak")], ontology=False)
    assert len(set(kg.graph_names)) == 3
    assert len({q.graph_name for q in kg.store}) == 3


def test_graph_names_are_iris_whatever_the_file_is_called(tmp_path: Path):
    odd = tmp_path / "a folder" / "報告 <1>%.ttl"
    odd.parent.mkdir()
    odd.write_bytes(TRIPLE)
    name = sources.graph_name(odd)
    pyoxigraph.NamedNode(name)  # a valid IRI
    assert "報告" in name and " " not in name and "<" not in name
    assert len(load([odd], ontology=False)) == 1


def test_one_file_named_twice_is_read_once(tmp_path: Path):
    (tmp_path / "a.ttl").write_bytes(TRIPLE)
    kg = load([tmp_path, tmp_path / "a.ttl"], ontology=False)
    assert [s.path.name for s in kg.sources] == ["a.ttl"]


def test_two_files_that_would_share_a_graph_are_refused(tmp_path: Path):
    (tmp_path / "a.ttl").write_bytes(TRIPLE)
    (tmp_path / "a").write_bytes(TRIPLE)
    with pytest.raises(LoadError, match="one named graph"):
        load([tmp_path / "a.ttl", tmp_path / "a"], ontology=False)
