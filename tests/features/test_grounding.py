"""The source text, its provenance selectors and the labels derived from it."""

from __future__ import annotations

import hashlib

import opencc
import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from mzkg.core import resources
from mzkg.core.errors import UsageError
from mzkg.core.graph import KnowledgeGraph
from mzkg.core.namespaces import ID, MZKG, NIF, OA
from mzkg.features.grounding import coverage

SOURCE = resources.source_text_path()


def test_source_is_utf8_lf_without_bom():
    raw = SOURCE.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    raw.decode("utf-8")


def test_sha256_in_graph_matches_the_file(kg):
    recorded = kg.dataset.value(ID["report/guangdong-minzheng-2022/text"], MZKG.sha256)
    assert str(recorded) == hashlib.sha256(SOURCE.read_bytes()).hexdigest()


def test_the_graph_carries_the_packaged_text(kg):
    """The text mzkg validate checks spans against (nif:isString) is the packaged file, byte for byte."""
    text = kg.dataset.value(ID["report/guangdong-minzheng-2022/text"], NIF.isString)
    assert str(text) == SOURCE.read_text(encoding="utf-8")


def test_every_statement_and_measurement_has_a_selector(kg):
    g = kg.dataset
    for cls in (MZKG.Achievement, MZKG.Task, MZKG.Measurement):
        nodes = set(g.subjects(RDF.type, cls))
        assert nodes, cls
        for n in nodes:
            assert list(g.objects(n, PROV.wasDerivedFrom)), n


@pytest.fixture(scope="module")
def t2s():
    return opencc.OpenCC("t2s")


def test_every_zh_hans_label_is_opencc_t2s_of_the_zh_hant_label(kg, t2s):
    g = kg.dataset
    pairs = 0
    for pred in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.definition):
        for s in set(g.subjects(pred, None)):
            objs = [o for o in g.objects(s, pred) if isinstance(o, Literal)]
            hant = sorted(str(o) for o in objs if o.language == "zh-Hant")
            hans = sorted(str(o) for o in objs if o.language == "zh-Hans")
            if not hant:
                continue
            assert hans == sorted(t2s.convert(h) for h in hant), (s, pred)
            pairs += len(hant)
    assert pairs > 500


def test_labels_keep_the_source_spelling(kg):
    # The source writes 志愿 (not 志願) and 僵尸; labels must quote it as written.
    labels = {str(o) for o in kg.dataset.objects(None, RDFS.label) if isinstance(o, Literal) and o.language == "zh-Hant"}
    assert "志愿服務" in labels
    assert "“僵尸型”社會組織" in labels


def test_coverage_is_complete(kg):
    rep = coverage(kg)
    assert rep.complete, rep.text()
    missing = [s.text for s, ok in rep.figures if not ok] + [s.text for s, ok in rep.clauses if not ok]
    assert missing == []
    assert len(rep.figures) == 34
    assert len(rep.clauses) >= 50


def test_coverage_notices_a_figure_that_is_not_encoded(kg):
    g = kg.union()
    g.remove((ID["report/guangdong-minzheng-2022/measurement/2021/lottery-sales"], None, None))
    rep = coverage(KnowledgeGraph.from_graph(g))
    assert [s.text for s, ok in rep.figures if not ok] == ["161.83"]
    assert not rep.complete


def test_coverage_notices_a_clause_that_is_not_encoded(kg):
    g = kg.union()
    g.remove((ID["report/guangdong-minzheng-2022/statement/2022/eco-burial"], None, None))
    rep = coverage(KnowledgeGraph.from_graph(g))
    missing = [s.text for s, ok in rep.clauses if not ok]
    assert len(missing) == 1 and missing[0].endswith("積極推行節地生態安葬")


def test_coverage_counts_only_spans_whose_quote_is_the_text(kg):
    """A span that misquotes its text covers nothing (mzkg validate says why)."""
    g = kg.union()
    span = next(s for s in g.subjects(OA.hasSource, None) if str(s).endswith("/span/2592-2602"))
    for sel in g.objects(span, OA.hasSelector):
        if g.value(sel, OA.exact) is not None:
            g.set((sel, OA.exact, Literal("積極推行節地安葬")))
    rep = coverage(KnowledgeGraph.from_graph(g))
    assert not rep.complete


def test_coverage_needs_a_text_in_the_graph(kg):
    g = kg.union()
    g.remove((None, NIF.isString, None))
    with pytest.raises(UsageError, match="0 source texts"):
        coverage(KnowledgeGraph.from_graph(g))
