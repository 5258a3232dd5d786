"""Documentation, drawings and releases: pyLODE HTML, Graphviz diagrams with Chinese text, dumps that verify."""

from __future__ import annotations

import subprocess

import pytest
from rdflib import Graph, Literal, URIRef

import mzkg
from mzkg.interfaces.cli import main
from support.servers import need


def test_docs_html_has_the_class_labels(runner, tmp_path):
    res = runner.invoke(main, ["docs", "-o", str(tmp_path / "docs")])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    for label in ("機關", "Agency", "分級網絡", "Tiered network".lower()):
        assert label in html or label in html.lower(), label
    assert 'charset="utf-8"' in html.lower() or "charset=utf-8" in html.lower()


@pytest.fixture(scope="module")
def dot() -> str:
    return need("dot", "apt-get install graphviz fonts-noto-cjk")


@pytest.mark.parametrize(("which", "needle"), [("tiers", "街道"), ("programmes", "雙百工程")])
def test_draw_svg_has_chinese_text(runner, tmp_path, dot, which, needle):
    out = tmp_path / f"{which}.svg"
    res = runner.invoke(main, ["draw", which, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert needle in out.read_text(encoding="utf-8")


def test_draw_png(runner, tmp_path, dot):
    out = tmp_path / "tiers.png"
    assert runner.invoke(main, ["draw", "tiers", "-o", str(out)]).exit_code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_release_files_verify_with_sha256sum(packaged_release, kg):
    out, output = packaged_release
    assert "writing SHA256SUMS" in output
    names = sorted(p.name for p in out.iterdir())
    v = mzkg.__version__
    assert names == sorted(
        [
            f"mzkg-{v}.ttl",
            f"mzkg-{v}.nt",
            f"mzkg-{v}.trig",
            f"mzkg-{v}.jsonld",
            f"mzkg-ontology-{v}.ttl",
            "context.jsonld",
            "sparql-examples.ttl",
            "void.ttl",
            "SHA256SUMS",
        ]
    )
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    void = Graph().parse(out / "void.ttl")
    triples = void.value(URIRef("https://w3id.org/mzkg/dataset"), URIRef("http://rdfs.org/ns/void#triples"))
    assert triples == Literal(len(kg))


def test_the_description_names_dumps_publisher_dates_endpoint_and_examples(packaged_release):
    void = Graph().parse(packaged_release[0] / "void.ttl")
    d = URIRef("https://w3id.org/mzkg/dataset")
    ns = "http://rdfs.org/ns/void#"
    dumps = set(void.objects(d, URIRef(ns + "dataDump")))
    assert len(dumps) == 7 and all(void.value(x, URIRef("http://www.w3.org/ns/dcat#downloadURL")) for x in dumps)
    for term in ("publisher", "issued", "modified", "description"):
        assert void.value(d, URIRef("http://purl.org/dc/terms/" + term)) is not None, term
    assert void.value(d, URIRef(ns + "sparqlEndpoint")) is not None
    assert len(set(void.objects(d, URIRef(ns + "exampleResource")))) == 3


def test_the_json_ld_is_compact_with_its_context(packaged_release, kg):
    import json

    out = packaged_release[0]
    doc = json.loads((out / f"mzkg-{mzkg.__version__}.jsonld").read_text(encoding="utf-8"))
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == context and context["mzkg"] == "https://w3id.org/mzkg/ontology#"
    ids = [node["@id"] for node in doc["@graph"] if "@id" in node]
    assert any(i.startswith("id:programme/") for i in ids)  # compact IRIs, not full ones
    assert (out / f"mzkg-{mzkg.__version__}.jsonld").stat().st_size < 1.0 * len(kg.export("json-ld").encode()) + 1
    assert len(Graph().parse(out / f"mzkg-{mzkg.__version__}.jsonld", format="json-ld")) == len(kg)


def test_a_release_is_written_whole_or_not_at_all(tmp_path, kg, monkeypatch):
    from mzkg.features import release as rel

    def broken() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rel, "sparql_examples", broken)
    out = tmp_path / "release"
    with pytest.raises(OSError, match="No space left"):
        rel.release(kg, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []  # nothing half-written, no staging folder left
    out.mkdir()
    (out / "NOTES").write_text("kept", encoding="utf-8")
    with pytest.raises(OSError, match="No space left"):
        rel.release(kg, out)
    assert [p.name for p in out.iterdir()] == ["NOTES"] and len(list(tmp_path.iterdir())) == 1
