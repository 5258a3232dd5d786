"""`mzkg release`: versioned dumps, the ontology alone, a VoID/DCAT description and SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, VOID, XSD

from ..core.dataset import bind_prefixes, jsonld_context
from ..core.files import ensure_folder, write_atomically
from ..core.graph import KnowledgeGraph
from ..core.namespaces import MZKG, ONTOLOGY
from .examples import sparql_examples

DUMPS = [
    ("turtle", "ttl", "text/turtle"),
    ("nt", "nt", "application/n-triples"),
    ("trig", "trig", "application/trig"),
    ("json-ld", "jsonld", "application/ld+json"),
]
DATASET = URIRef("https://w3id.org/mzkg/dataset")
DESCRIPTION_EN = (
    "Chinese civil-affairs (民政) work reports as a knowledge graph of programmes and institutions: agencies, "
    "programmes, public services, target groups, tiered networks, statements and figures, each traced to its span "
    "of the report's text; with the OWL ontology, SHACL shapes and the competency questions as SPARQL examples."
)
DESCRIPTION_ZH = "民政工作報告的知識圖譜:機關、項目、公共服務、服務對象、分級網絡、陳述與數據,每一項都溯源到報告原文的片段。"


def _version(kg: KnowledgeGraph) -> str:
    v = kg.dataset.value(ONTOLOGY, OWL.versionInfo)
    return str(v) if v is not None else "0"


def release(kg: KnowledgeGraph, out_dir: Path, progress: Callable[[str], None] = lambda _msg: None) -> list[Path]:
    """Write every release file into out_dir, whole or not at all: every file is written first into a private
    folder beside it, and moved in only when all are (an error or Ctrl-C on the way leaves out_dir as it was).
    Returns them, SHA256SUMS last."""
    out_dir = Path(out_dir)
    ensure_folder(out_dir.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        files = _write(kg, staging, progress)
        ensure_folder(out_dir)
        for f in files:
            f.replace(out_dir / f.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / f.name for f in files]


def _write(kg: KnowledgeGraph, out_dir: Path, progress: Callable[[str], None]) -> list[Path]:
    version = _version(kg)
    written: list[tuple[Path, str]] = []
    for fmt, ext, media in DUMPS:
        path = out_dir / f"mzkg-{version}.{ext}"
        progress(f"writing {path.name}")
        write_atomically(path, kg.export(fmt))
        written.append((path, media))
    path = out_dir / "context.jsonld"
    progress(f"writing {path.name} (the JSON-LD context of the dumps)")
    write_atomically(path, json.dumps({"@context": jsonld_context()}, indent=2, sort_keys=True) + "\n")
    written.append((path, "application/ld+json"))
    ontology = KnowledgeGraph.from_graph(_ontology_only(kg))
    path = out_dir / f"mzkg-ontology-{version}.ttl"
    progress(f"writing {path.name}")
    write_atomically(path, ontology.export("turtle"))
    written.append((path, "text/turtle"))
    path = out_dir / "sparql-examples.ttl"
    progress(f"writing {path.name} (the named queries as SPARQL examples)")
    write_atomically(path, sparql_examples().serialize(format="turtle"))
    written.append((path, "text/turtle"))
    path = out_dir / "void.ttl"
    progress("writing void.ttl (VoID and DCAT description)")
    write_atomically(path, _description(kg, version, written).serialize(format="turtle"))
    written.append((path, "text/turtle"))
    progress("writing SHA256SUMS")
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p, _ in written)
    write_atomically(out_dir / "SHA256SUMS", sums)
    return [p for p, _ in written] + [out_dir / "SHA256SUMS"]


def _ontology_only(kg: KnowledgeGraph) -> Graph:
    g = Graph()
    for name in kg.graph_names:
        if "/graph/ontology/" in name:
            g.addN((s, p, o, g) for s, p, o in kg.dataset.graph(URIRef(name)))
    return g


def _description(kg: KnowledgeGraph, version: str, files: list[tuple[Path, str]]) -> Graph:
    g = Graph()
    bind_prefixes(g)
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    union = kg.union()
    entities = {s for s in union.subjects() if isinstance(s, URIRef)}
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("mzkg: 民政工作報告知識圖譜", lang="zh-Hant")))
    g.add((d, DCTERMS.title, Literal("mzkg: civil-affairs work reports as a knowledge graph", lang="en")))
    g.add((d, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((d, DCTERMS.description, Literal(DESCRIPTION_EN, lang="en")))
    g.add((d, DCTERMS.description, Literal(DESCRIPTION_ZH, lang="zh-Hant")))
    for term in (DCTERMS.issued, DCTERMS.modified):
        source = DCTERMS.created if term == DCTERMS.issued else DCTERMS.modified
        when = kg.dataset.value(ONTOLOGY, source)
        if when is not None:
            g.add((d, term, when))
    publisher = URIRef("https://w3id.org/mzkg/id/organization/mzkg-contributors")
    g.add((d, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("mzkg contributors")))
    g.add((d, VOID.sparqlEndpoint, URIRef("http://127.0.0.1:8000/sparql")))
    g.add(
        (
            d,
            RDFS.comment,
            Literal(
                "The SPARQL endpoint is the one `mzkg serve` starts on the user's machine; its SPARQL examples are at /.well-known/sparql-examples and in sparql-examples.ttl.",
                lang="en",
            ),
        )
    )
    for example in ("programme/shuangbai", "institution/shegongzhan", "report/guangdong-minzheng-2022"):
        g.add((d, VOID.exampleResource, URIRef("https://w3id.org/mzkg/id/" + example)))
    _catalogue(g, d, union)
    g.add((d, URIRef(str(DCAT) + "version"), Literal(version)))  # DCAT 3; rdflib knows DCAT 2
    g.add((d, OWL.versionInfo, Literal(version)))
    g.add((d, VOID.triples, Literal(len(union), datatype=XSD.integer)))
    g.add((d, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    g.add((d, VOID.vocabulary, URIRef("https://w3id.org/mzkg/ontology#")))
    g.add((d, VOID.uriSpace, Literal("https://w3id.org/mzkg/id/")))
    for path, media in files:
        dist = URIRef(f"https://w3id.org/mzkg/dataset/{path.name}")
        g.add((d, DCAT.distribution, dist))
        g.add((d, VOID.dataDump, dist))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        g.add((dist, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.title, Literal(path.name)))
    return g


def _catalogue(g: Graph, d: URIRef, union: Graph) -> None:
    """Each report in the catalogue as a part (and VoID subset) of the release, described as the data describes
    it (title, place, level, date, source text and checksum, how it was made); each source text is a source."""
    for report in sorted(union.subjects(RDF.type, DCAT.Dataset), key=str):
        g.add((d, DCTERMS.hasPart, report))
        g.add((d, VOID.subset, report))
        g.add((report, RDF.type, VOID.Dataset))
        for p, o in union.predicate_objects(report):
            g.add((report, p, o))
            if p == PROV.wasDerivedFrom:
                g.add((d, DCTERMS.source, o))
                for p2, o2 in union.predicate_objects(o):
                    if p2 in (MZKG.filePath, MZKG.sha256, DCTERMS.format, RDF.type):
                        g.add((o, p2, o2))
