"""Ontology engineering: HermiT consistency, lint queries with fixtures, canonical Turtle, docs, drawings, release."""

from __future__ import annotations

import re
import shutil

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

import mzkg
from mzkg.core import resources
from mzkg.core.dataset import parse_file
from mzkg.core.graph import KnowledgeGraph
from mzkg.core.namespaces import ID, MZKG, ONTOLOGY
from mzkg.features.checks import check_files, run_checks
from mzkg.features.reasoning import hermit_consistency, reasoner_input
from mzkg.interfaces.cli import main
from support.paths import CHECK_FIXTURES
from support.servers import need


def _with(kg, extra: Graph) -> KnowledgeGraph:
    g = kg.union()
    g += extra
    return KnowledgeGraph.from_graph(g)


# --- reasoning


@pytest.fixture(scope="module")
def java() -> str:
    return need("java", "HermiT needs Java 11 or later; the machine's Java 17 works")


@pytest.mark.slow  # HermiT runs in Java, a subprocess
def test_hermit_finds_ontology_and_data_consistent(kg, java):
    assert hermit_consistency(kg).consistent


def test_the_reasoner_never_reads_owl_imports(kg):
    extra = Graph()
    extra.add((ONTOLOGY, OWL.imports, URIRef("http://127.0.0.1:9/elsewhere.ttl")))
    text, dropped = reasoner_input(_with(kg, extra))
    assert dropped == 1 and "owl#imports" not in text


@pytest.mark.slow  # HermiT runs in Java, a subprocess
def test_hermit_detects_an_individual_in_two_disjoint_classes(kg, java):
    bad = Graph()
    bad.add((ID["programme/shuangbai"], RDF.type, MZKG.Agency))  # Programme and Agency are disjoint
    report = hermit_consistency(_with(kg, bad))
    assert not report.consistent


def test_export_inferred_adds_the_rl_closure(runner):
    res = runner.invoke(main, ["export", "--format", "nt", "--inferred"])
    assert res.exit_code == 0
    closure = Graph().parse(data=res.stdout, format="nt")
    # subclass reasoning: a Task is also a Statement and a prov:Entity
    task = ID["report/guangdong-minzheng-2022/statement/2022/eco-burial"]
    assert (task, RDF.type, MZKG.Statement) in closure
    assert (task, RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in closure


# --- lint as data


def test_packaged_graph_passes_every_check(kg):
    assert run_checks(kg) == []


def test_every_check_has_a_fixture_it_catches():
    names = {p.stem.removesuffix("-violation") for p in check_files()}
    assert names == {p.stem for p in CHECK_FIXTURES.glob("*.ttl")}
    for name in sorted(names):
        path = CHECK_FIXTURES / f"{name}.ttl"
        m = re.search(r"^# expect-focus: (\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert m, path
        focus = m.group(1)
        # the fixture beside the packaged data, read as `mzkg --data data --data FIXTURE check` reads them
        found = [v for v in run_checks(mzkg.load([resources.data_dir(), path])) if v.check == name]
        assert any(v.focus == focus for v in found), (name, found)


@pytest.mark.slow  # HermiT runs in Java, a subprocess
def test_cli_check_reports_violations_and_exit_code(runner, tmp_path, java):
    res = runner.invoke(main, ["check"])
    assert res.exit_code == 0, res.output
    assert "0 error(s)" in res.output and "consistent" in res.output
    bad = tmp_path / "bad.ttl"
    shutil.copy(CHECK_FIXTURES / "naming.ttl", bad)
    res = runner.invoke(main, ["--data", str(resources.data_dir()), "--data", str(bad), "check", "--no-hermit"])
    assert res.exit_code == 0  # naming is a warning
    assert "warning: [naming]" in res.output
    shutil.copy(CHECK_FIXTURES / "subclass-cycle.ttl", bad)
    res = runner.invoke(main, ["--data", str(resources.data_dir()), "--data", str(bad), "check", "--no-hermit"])
    assert res.exit_code == 1 and "error: [subclass-cycle]" in res.output


def test_ontology_version_matches_the_package():
    g = Graph()
    for f in resources.turtle_files(resources.ontology_dir()):
        parse_file(f, g)
    assert str(g.value(ONTOLOGY, OWL.versionInfo)) == mzkg.__version__
    assert str(g.value(ONTOLOGY, OWL.versionIRI)).endswith("/" + mzkg.__version__)
