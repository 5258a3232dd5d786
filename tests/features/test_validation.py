"""SHACL: the data conforms, and every shape has a valid and an invalid fixture that fails for its reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import mzkg
from mzkg.core import resources
from mzkg.core.dataset import parse_file
from mzkg.core.namespaces import SH, SHAPE
from mzkg.features.validation import ValidationReport, load_shapes, validate
from support.paths import SHAPE_FIXTURES as FIXTURES

SHAPES = load_shapes()
TARGETED = sorted(
    s
    for s in SHAPES.subjects(RDF.type, SH.NodeShape)
    if (s, SH.targetClass, None) in SHAPES or (s, SH.targetSubjectsOf, None) in SHAPES
)
INVALID = sorted(p for p in FIXTURES.glob("*/invalid*.ttl"))


def test_packaged_data_conforms(packaged_report):
    assert packaged_report.conforms, packaged_report.text()
    assert packaged_report.results == []


def test_every_targeted_shape_has_fixtures():
    names = {str(s).removeprefix(str(SHAPE)) for s in TARGETED}
    have = {p.name for p in FIXTURES.iterdir() if (p / "valid.ttl").is_file() and (p / "invalid.ttl").is_file()}
    assert names - have == set()
    assert have - names == set()


def _fixture(path: Path) -> tuple[Graph, dict[str, str]]:
    g = parse_file(path)
    expect = dict(re.findall(r"^# expect-(\w+): (\S+)", path.read_text(encoding="utf-8"), flags=re.MULTILINE))
    return g, expect


FIXTURE = "https://w3id.org/mzkg/id/fixture/"


def _focus(g: Graph) -> list:
    return sorted({s for s in g.subjects() if str(s).startswith(FIXTURE)})


@pytest.fixture(scope="module")
def packaged(kg) -> tuple[Graph, Graph]:
    """The packaged graph as one rdflib graph, and its ontology with the catalogue."""
    g = Graph()
    for f in [*resources.turtle_files(resources.ontology_dir()), resources.data_dir() / "catalogue.ttl"]:
        parse_file(f, g)
    return kg.union(), g


def _context(packaged: tuple[Graph, Graph], fixture: Graph) -> Graph:
    """What a fixture needs to be judged, without the whole data: the ontology, the catalogue (the reports every
    link between reports is checked against), the fixture, and what the packaged data says about the nodes the
    fixture points to and the nodes those point to (a span's selectors, a unit's class)."""
    union, ontology_and_catalogue = packaged
    g = Graph() + ontology_and_catalogue
    g += fixture
    seen: set[URIRef] = set()
    step = {o for o in fixture.objects() if isinstance(o, URIRef) and not str(o).startswith(FIXTURE)}
    for _ in range(2):
        seen |= step
        found = set()
        for node in step:
            for t in union.triples((node, None, None)):
                g.add(t)
                found.add(t[2])
        step = {o for o in found if isinstance(o, URIRef)} - seen
    return g


def _hits(report, g: Graph, expect: dict[str, str]) -> list:
    focus = g.namespace_manager.expand_curie(expect["focus"])
    return [v for v in report.results if v.focus in (str(focus), f"<{focus}>") or v.focus.endswith(expect["focus"].split(":")[1])]


@pytest.mark.parametrize("shape", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_valid_fixture_passes(shape):
    """Each valid fixture passes beside the whole packaged data, read as `mzkg --data data --data FIXTURE` reads
    them."""
    path = FIXTURES / shape / "valid.ttl"
    g, _ = _fixture(path)
    report = validate(mzkg.load([resources.data_dir(), path]), SHAPES, focus_nodes=_focus(g))
    assert report.results == [], report.text()


@pytest.fixture(scope="module")
def twins(packaged):
    """A valid fixture and its report in its small graph, judged once for all the invalid fixtures of its shape."""
    done: dict[Path, tuple[Graph, ValidationReport]] = {}

    def judged(path: Path) -> tuple[Graph, ValidationReport]:
        if path not in done:
            g, _ = _fixture(path)
            done[path] = g, validate(_context(packaged, g), SHAPES, focus_nodes=_focus(g))
        return done[path]

    return judged


@pytest.mark.parametrize("path", INVALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_fixture_fails_on_expected_focus_and_path(packaged, twins, path):
    """Each invalid fixture fails on its focus node and path (`-`: a constraint on the node as a whole), judged in
    a small graph of what it needs (`_context`); its valid twin, judged the same way, does not fail
    that rule there, so the fixture fails for its own reason and not for what the small graph leaves out."""
    shape = path.parent.name
    g, expect = _fixture(path)
    report = validate(_context(packaged, g), SHAPES, focus_nodes=_focus(g))
    assert not report.conforms
    hits = _hits(report, g, expect)
    assert hits, report.text()
    want_path = None if expect["path"] == "-" else expect["path"]

    def rule(v) -> bool:
        return v.path == want_path and v.shape.startswith(f"shape:{shape}")

    assert any(rule(v) for v in hits), report.text()
    assert all(v.message_en and v.message_zh for v in hits)
    valid, twin = twins(path.parent / "valid.ttl")
    assert not any(rule(v) for v in _hits(twin, valid, expect)), twin.text()


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
