"""The hand-edited Turtle is kept in one canonical form, and `mzkg fmt` checks every file before it writes."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mzkg.core import resources
from mzkg.core.dataset import parse_file
from mzkg.core.errors import LoadError
from mzkg.features.canonical import canonical_text, fmt, source_files
from mzkg.interfaces.cli import main


def test_sources_are_canonical(runner):
    res = runner.invoke(main, ["fmt", "--check"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("path", source_files(), ids=lambda p: p.name)
def test_canonical_form_is_the_same_graph(path):
    original, reformatted = parse_file(path), Graph()
    reformatted.parse(data=canonical_text(path), format="turtle")
    assert isomorphic(original, reformatted)


def test_fmt_rewrites_a_scrambled_file_and_check_notices(tmp_path):
    src = resources.data_dir() / "report.ttl"
    scrambled = tmp_path / "report.ttl"
    lines = src.read_text(encoding="utf-8").split("\n\n")
    scrambled.write_text("\n\n".join(lines[:1] + list(reversed(lines[1:]))), encoding="utf-8")
    assert fmt([scrambled], check=True) == [scrambled]
    assert fmt([scrambled]) == [scrambled]
    assert scrambled.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")


def test_fmt_stops_before_writing_when_a_later_file_is_malformed(tmp_path):
    first, bad = tmp_path / "a.ttl", tmp_path / "b.ttl"
    scrambled = "<urn:b> <urn:p> <urn:o> .\n<urn:a> <urn:p> <urn:o> .\n"
    first.write_text(scrambled, encoding="utf-8")
    bad.write_text("<urn:a> <urn:p> .\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"b\.ttl"):
        fmt([first, bad])
    assert first.read_text(encoding="utf-8") == scrambled
