"""SHACL: the data conforms, and every shape has a valid and an invalid fixture that fails for its reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from mzkg.core import resources
from mzkg.core.dataset import parse_file
from mzkg.core.namespaces import SH, SHAPE
from mzkg.features.validation import load_shapes, validate
from support.paths import SHAPE_FIXTURES as FIXTURES

SHAPES = load_shapes()
TARGETED = sorted(
    s
    for s in SHAPES.subjects(RDF.type, SH.NodeShape)
    if (s, SH.targetClass, None) in SHAPES or (s, SH.targetSubjectsOf, None) in SHAPES
)
INVALID = sorted(p for p in FIXTURES.glob("*/invalid*.ttl"))


def test_packaged_data_conforms(kg):
    report = validate(kg, SHAPES)
    assert report.conforms, report.text()
    assert report.results == []


def test_every_targeted_shape_has_fixtures():
    names = {str(s).removeprefix(str(SHAPE)) for s in TARGETED}
    have = {p.name for p in FIXTURES.iterdir() if (p / "valid.ttl").is_file() and (p / "invalid.ttl").is_file()}
    assert names - have == set()
    assert have - names == set()


def _fixture(path: Path) -> tuple[Graph, dict[str, str]]:
    g = parse_file(path)
    expect = dict(re.findall(r"^# expect-(\w+): (\S+)", path.read_text(encoding="utf-8"), flags=re.MULTILINE))
    return g, expect


def _focus(g: Graph) -> list:
    return sorted({s for s in g.subjects() if str(s).startswith("https://w3id.org/mzkg/id/fixture/")})


@pytest.mark.parametrize("shape", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_valid_fixture_passes(kg, shape):
    g, _ = _fixture(FIXTURES / shape / "valid.ttl")
    report = validate(kg, SHAPES, extra=g, focus_nodes=_focus(g))
    assert report.results == [], report.text()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_fixture_fails_on_expected_focus_and_path(kg, path):
    """Each invalid fixture fails on its focus node and path (`-`: a constraint on the node as a whole)."""
    shape = path.parent.name
    g, expect = _fixture(path)
    report = validate(kg, SHAPES, extra=g, focus_nodes=_focus(g))
    assert not report.conforms
    focus = g.namespace_manager.expand_curie(expect["focus"])
    hits = [v for v in report.results if v.focus in (str(focus), f"<{focus}>") or v.focus.endswith(expect["focus"].split(":")[1])]
    assert hits, report.text()
    want_path = None if expect["path"] == "-" else expect["path"]
    assert any(v.path == want_path and v.shape.startswith(f"shape:{shape}") for v in hits), report.text()
    assert all(v.message_en and v.message_zh for v in hits)


def test_an_ill_typed_literal_is_a_violation_and_never_a_traceback(runner, tmp_path):
    from mzkg.interfaces.cli import main

    (tmp_path / "ill.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/mzkg/id/x> <https://w3id.org/mzkg/ontology#value> "x"^^xsd:integer .\n',
        encoding="utf-8",
    )
    args = ["--data", str(resources.data_dir()), "--data", str(tmp_path)]
    res = runner.invoke(main, [*args, "validate", "--no-cache"])
    assert res.exit_code == 1, res.output
    assert "python:ill-typed-literal" in res.output and "「x」 is not a value of xsd:integer" in res.output
    for command in (["export"], ["stats"], ["query", "--engine", "rdflib", "--sparql", 'SELECT * WHERE { ?s ?p "x" }']):
        res = runner.invoke(main, [*args, *command])
        assert res.exit_code == 0 and "Traceback" not in res.stderr, command
