"""The networkx view: entity graph, paths, centrality, export, and the tier hierarchy is acyclic."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib.namespace import RDF

from mzkg.core.namespaces import MZKG
from mzkg.features.network import centrality, shortest_path, to_networkx
from mzkg.interfaces.cli import main


@pytest.fixture(scope="module")
def graph(kg):
    return to_networkx(kg)


def test_entity_graph_has_no_literals_or_provenance(graph):
    assert graph.number_of_nodes() > 200
    assert not any("/span/" in n for n in graph.nodes)
    assert all(d["label"] for _, d in graph.nodes(data=True))
    predicates = {d["predicate"] for _, _, d in graph.edges(data=True)}
    assert "mzkg:involves" in predicates and "prov:wasDerivedFrom" not in predicates and "rdf:type" not in predicates


def test_tier_hierarchy_is_acyclic(kg):
    g = kg.dataset
    tiers = set(g.subjects(RDF.type, MZKG.Tier))
    dag = nx.DiGraph((s, o) for s, o in g.subject_objects(MZKG.tierWithin) if s in tiers)
    assert dag.number_of_edges() == len(tiers) - 1
    assert nx.is_directed_acyclic_graph(dag)


def test_a_programme_reaches_what_it_builds_in_one_hop(kg, graph):
    """雙百工程 builds 社工站: the relation is direct, not through a shared tier."""
    steps = shortest_path(kg, "雙百工程", "社工站", graph).steps
    assert [(s.node.rsplit("/id/", 1)[1], s.predicate) for s in steps] == [
        ("programme/shuangbai", None),
        ("institution/shegongzhan", "mzkg:buildsInstitution"),
    ]
    workforce = shortest_path(kg, "雙百工程", "雙百社工", graph).steps
    assert [s.predicate for s in workforce[1:]] == ["mzkg:deploysWorkforce"]


def test_classification_concepts_are_left_out_unless_asked_for(kg, graph):
    concepts = ("/area/", "/period/", "/unit/", "/action/", "/figure-kind/", "/money-kind/", "/scale/", "/hedge/")
    assert not [n for n in graph.nodes if any(c in n for c in concepts)]
    assert "https://w3id.org/mzkg/id/agency/gd-dca" not in {n for n, _, _, _ in centrality(kg, 10, graph)}
    with_concepts = to_networkx(kg, with_concepts=True)
    assert any("/area/" in n for n in with_concepts.nodes)


def test_centrality_ranks_by_degree(kg, graph):
    top = centrality(kg, 5, graph)
    degrees = [d for _, _, d, _ in top]
    assert degrees == sorted(degrees, reverse=True) and len(top) == 5


def test_cli_graph_commands(runner, tmp_path):
    res = runner.invoke(main, ["graph", "path", "雙百工程", "社工站"])
    assert res.exit_code == 0
    assert "社工站" in res.output and ("-->" in res.output or "<--" in res.output)
    res = runner.invoke(main, ["graph", "central", "--top", "3"])
    assert res.exit_code == 0 and len(res.output.splitlines()) == 4
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        res = runner.invoke(main, ["graph", "export", "--format", fmt, "-o", str(out)])
        assert res.exit_code == 0, res.output
        loaded = reader(out)
        assert loaded.number_of_nodes() > 200
    res = runner.invoke(main, ["graph", "path", "雙百工程", "無此實體"])
    assert res.exit_code == 1 and "no entity has a label" in res.output  # not found, like grep
