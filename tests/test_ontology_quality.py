"""Ontology engineering: HermiT consistency, lint queries with fixtures, canonical Turtle, docs, drawings, release."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

import mzkg
from mzkg import paths
from mzkg.canonical import canonical_text, fmt, source_files
from mzkg.checks import check_files, run_checks
from mzkg.cli import main
from mzkg.graph import KnowledgeGraph, parse_turtle
from mzkg.namespaces import ID, MZKG, ONTOLOGY_IRI

CHECK_FIXTURES = Path(__file__).parent / "checks"


def _with(kg, extra: Graph) -> KnowledgeGraph:
    g = kg.union()
    g += extra
    return KnowledgeGraph.from_graph(g)


# --- reasoning

@pytest.fixture(scope="module")
def java():
    if not shutil.which("java"):
        pytest.skip("Java is not installed (HermiT needs it)")


def test_hermit_finds_ontology_and_data_consistent(kg, java):
    from mzkg.reasoning import hermit_consistency

    assert hermit_consistency(kg).consistent


def test_hermit_detects_an_individual_in_two_disjoint_classes(kg, java):
    from mzkg.reasoning import hermit_consistency

    bad = Graph()
    bad.add((ID["programme/shuangbai"], RDF.type, MZKG.Agency))  # Programme and Agency are disjoint
    report = hermit_consistency(_with(kg, bad))
    assert not report.consistent


def test_export_inferred_adds_the_rl_closure(runner):
    res = runner.invoke(main, ["export", "--format", "nt", "--inferred"])
    assert res.exit_code == 0
    closure = Graph().parse(data=res.stdout, format="nt")
    # subclass reasoning: a Task is also a Statement and a prov:Entity
    task = ID["statement/2022/eco-burial"]
    assert (task, RDF.type, MZKG.Statement) in closure
    assert (task, RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in closure


# --- lint as data

def test_packaged_graph_passes_every_check(kg):
    assert run_checks(kg) == []


def test_every_check_has_a_fixture_it_catches(kg):
    names = {p.stem.removesuffix("-violation") for p in check_files()}
    assert names == {p.stem for p in CHECK_FIXTURES.glob("*.ttl")}
    for name in sorted(names):
        path = CHECK_FIXTURES / f"{name}.ttl"
        extra = Graph()
        parse_turtle(path, extra)
        focus = re.search(r"^# expect-focus: (\S+)", path.read_text(encoding="utf-8"), re.M).group(1)
        found = [v for v in run_checks(_with(kg, extra)) if v.check == name]
        assert any(v.focus == focus for v in found), (name, found)


def test_cli_check_reports_violations_and_exit_code(runner, tmp_path, java):
    res = runner.invoke(main, ["check"])
    assert res.exit_code == 0, res.output
    assert "0 error(s)" in res.output and "consistent" in res.output
    bad = tmp_path / "bad.ttl"
    shutil.copy(CHECK_FIXTURES / "naming.ttl", bad)
    res = runner.invoke(main, ["--data", str(paths.data_dir()), "--data", str(bad), "check", "--no-hermit"])
    assert res.exit_code == 0  # naming is a warning
    assert "warning: [naming]" in res.output
    shutil.copy(CHECK_FIXTURES / "subclass-cycle.ttl", bad)
    res = runner.invoke(main, ["--data", str(paths.data_dir()), "--data", str(bad), "check", "--no-hermit"])
    assert res.exit_code == 1 and "error: [subclass-cycle]" in res.output


def test_ontology_version_matches_the_package():
    g = Graph()
    for f in paths.turtle_files(paths.ontology_dir()):
        parse_turtle(f, g)
    onto = URIRef(ONTOLOGY_IRI)
    assert str(g.value(onto, OWL.versionInfo)) == mzkg.__version__
    assert str(g.value(onto, OWL.versionIRI)).endswith("/" + mzkg.__version__)


# --- canonical sources

def test_sources_are_canonical(runner):
    res = runner.invoke(main, ["fmt", "--check"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("path", source_files(), ids=lambda p: p.name)
def test_canonical_form_is_the_same_graph(path):
    original, reformatted = Graph(), Graph()
    parse_turtle(path, original)
    reformatted.parse(data=canonical_text(path), format="turtle")
    assert isomorphic(original, reformatted)


def test_fmt_rewrites_a_scrambled_file_and_check_notices(tmp_path):
    src = paths.data_dir() / "report.ttl"
    scrambled = tmp_path / "report.ttl"
    lines = src.read_text(encoding="utf-8").split("\n\n")
    scrambled.write_text("\n\n".join(lines[:1] + list(reversed(lines[1:]))), encoding="utf-8")
    assert fmt([scrambled], check=True) == [scrambled]
    fmt([scrambled])
    assert scrambled.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")


# --- docs, drawings, release

def test_docs_html_has_the_class_labels(runner, tmp_path):
    res = runner.invoke(main, ["docs", "-o", str(tmp_path / "docs")])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    for label in ("機關", "Agency", "分級網絡", "Tiered network".lower()):
        assert label in html or label in html.lower(), label
    assert 'charset="utf-8"' in html.lower() or "charset=utf-8" in html.lower()


@pytest.fixture(scope="module")
def dot():
    if not shutil.which("dot"):
        pytest.skip("Graphviz is not installed (apt-get install graphviz fonts-noto-cjk)")


@pytest.mark.parametrize("which,needle", [("tiers", "街道"), ("programmes", "雙百工程")])
def test_draw_svg_has_chinese_text(runner, tmp_path, dot, which, needle):
    out = tmp_path / f"{which}.svg"
    res = runner.invoke(main, ["draw", which, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert needle in out.read_text(encoding="utf-8")


def test_draw_png(runner, tmp_path, dot):
    out = tmp_path / "tiers.png"
    assert runner.invoke(main, ["draw", "tiers", "-o", str(out)]).exit_code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_release_files_verify_with_sha256sum(runner, tmp_path, kg):
    out = tmp_path / "release"
    res = runner.invoke(main, ["release", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "writing SHA256SUMS" in res.output
    names = sorted(p.name for p in out.iterdir())
    v = mzkg.__version__
    assert names == sorted([f"mzkg-{v}.ttl", f"mzkg-{v}.nt", f"mzkg-{v}.trig", f"mzkg-{v}.jsonld",
                            f"mzkg-ontology-{v}.ttl", "void.ttl", "SHA256SUMS"])
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    void = Graph().parse(out / "void.ttl")
    triples = void.value(URIRef("https://w3id.org/mzkg/dataset"), URIRef("http://rdfs.org/ns/void#triples"))
    assert triples == Literal(len(kg))
