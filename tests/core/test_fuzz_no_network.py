"""Property: no query text, however SERVICE, LOAD or an update is written into it and wherever it stands, makes
mzkg open a connection. Queries are composed by hypothesis: every position a graph pattern may take (top level,
OPTIONAL, UNION, MINUS, GRAPH, FILTER EXISTS, subquery, nested), every query form, keywords in any case or
written with \\u escapes, glued to a number or a literal before them, separated by comments or newlines, and
updates alone, chained with `;` or after a prologue. Each runs through the query service on both engines with a
time limit (a query that did call out would wait on the listener, which never answers); the listener must see
no connection at the end."""

from __future__ import annotations

import contextlib

import pytest

from mzkg.core.errors import MzkgError
from mzkg.core.service import Limits, run
from support import servers


def _strategies(port: int):
    from hypothesis import strategies as st

    url = f"<http://127.0.0.1:{port}/x>"
    keyword = st.sampled_from(["SERVICE", "service", "Service", "\\u0053ERVICE", "SERV\\u0049CE", "\\u0073ervice"])
    silent = st.sampled_from(["", " SILENT", " silent"])
    gap = st.sampled_from([" ", "\n", "\t", " #c\n", "\n#SERVICE\n", ""])
    glued = st.sampled_from(["", "1", "1.5", "1e0", '"x"', "true", "?v ", "<urn:a>", ".", ";", ","])
    target = st.sampled_from([url, "?endpoint"])

    @st.composite
    def service(draw):
        return (
            f"{draw(glued)}{draw(keyword)}{draw(silent)}{draw(gap)}{draw(target)}{draw(gap)}"
            f"{{ ?a ?b ?c }}{draw(gap)}VALUES ?endpoint {{ {url} }}"
        )

    wrappers = st.sampled_from(
        [
            "{}",
            "?s ?p ?o . {}",
            "OPTIONAL {{ {} }}",
            "{{ ?s ?p ?o }} UNION {{ {} }}",
            "?s ?p ?o MINUS {{ {} }}",
            "GRAPH ?g {{ {} }}",
            "FILTER EXISTS {{ {} }}",
            "FILTER NOT EXISTS {{ {} }}",
            "{{ SELECT * WHERE {{ {} }} }}",
            "{{ {} }}",
            "BIND (1 AS ?one) {}",
        ]
    )
    forms = st.sampled_from(
        [
            "SELECT * WHERE {{ {} }} LIMIT 1",
            "SELECT * {{ {} }}",
            "ASK {{ {} }}",
            "CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {} }}",
            "DESCRIBE ?a WHERE {{ {} }}",
            "PREFIX ex: <urn:x:> SELECT (COUNT(*) AS ?n) WHERE {{ {} }}",
        ]
    )

    @st.composite
    def query(draw):
        pattern = draw(service())
        for wrap in draw(st.lists(wrappers, max_size=3)):
            pattern = wrap.format(pattern)
        return draw(forms).format(pattern)

    update_word = st.sampled_from(["LOAD", "load", "\\u004COAD", "LOAD SILENT"])
    update = st.one_of(
        st.builds(lambda w, g: f"{w}{g}{url}", update_word, gap),
        st.builds(lambda w, g: f"{w}{g}{url} INTO GRAPH <urn:g>", update_word, gap),
        st.builds(lambda w, g: f"PREFIX ex: <urn:x:>{g}{w} {url}", update_word, gap),
        st.builds(lambda w, g: f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ;{g}{w} {url}", update_word, gap),
        st.builds(lambda g: f"INSERT {{ ?a ?b ?c }}{g}WHERE {{ SERVICE {url} {{ ?a ?b ?c }} }}", gap),
        st.builds(lambda g: f"CLEAR ALL ;{g}LOAD {url}", gap),
    )
    return st.one_of(query(), update)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_no_composed_query_reaches_a_listener(kg, listener, engine):
    from hypothesis import HealthCheck, given, settings

    port, sock = listener
    seen: list[str] = []
    kg.dataset  # noqa: B018 - built once here, not in every child

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_strategies(port))
    def one(text: str) -> None:
        seen.append(text)
        with contextlib.suppress(MzkgError):
            run(text, kg=kg, engine=engine, limits=Limits(timeout=3))

    one()
    assert len(seen) >= 100
    assert servers.nothing_arrived(sock, wait=1.0), "a composed query opened a connection"
