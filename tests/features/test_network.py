"""The networkx view: entity graph, paths, centrality, export, and the tier hierarchy is acyclic."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib.namespace import RDF, SKOS

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
    dag = nx.DiGraph((s, o) for s, o in g.subject_objects(SKOS.broader) if s in tiers)
    assert dag.number_of_edges() == len(tiers) - 1
    assert nx.is_directed_acyclic_graph(dag)


def test_path_between_shuangbai_and_social_work_station(kg, graph):
    steps = shortest_path(kg, "雙百工程", "社工站", graph).steps
    assert steps[0].node.endswith("programme/shuangbai")
    assert steps[-1].node.endswith("institution/shegongzhan")
    assert all(s.predicate for s in steps[1:])


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
