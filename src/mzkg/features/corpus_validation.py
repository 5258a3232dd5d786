"""Validation of a corpus one report at a time, each result kept under the content it was computed from.

A corpus is split into units: one report's files (the files whose subjects lie under its `id/report/{slug}/`),
with as context the files of no report (the ontology, the shared entities) and the files that define what
the report's files refer to (a task in another report it fulfils, a programme declared beside another report).
A unit is validated on its own, and its result is stored under a key made of everything it can depend on:
mzkg's version and validation code, the shapes, and the bytes of every file of the unit and of its context.
A second run recomputes only the units whose key is new: after one report changes, that report and the
reports that refer to it. Results about another report's nodes are left to that report's own unit.

What a file describes and refers to is read once per file content and kept beside the results.

A shared entity (outside any report) that the files of several units describe, each in its own words (two
drafts' agency, the catalogue every report adds its entry to), is judged by one more unit, and only there: it
reads every file's triples about such entities, with what those triples lead to in their own file (spans,
selectors) and the files of report nodes they lead to elsewhere, so a rule that needs everything all reports
say of it (one English label) sees it all. A shared entity that one unit's files alone describe is seen whole by
that unit. Each report unit still gives the results about its own nodes and the entities of no report's files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, fields
from importlib import metadata
from pathlib import Path

import pyoxigraph

from .._version import __version__
from ..core import resources
from ..core.errors import MzkgError, OutputError
from ..core.files import write_atomically
from ..core.graph import KnowledgeGraph
from ..core.ids import report_of
from ..core.prefixes import GRAPH
from ..core.sources import Source
from ..core.store import cache_dir, memory_store, own_folder, syntax_error
from .validation import ValidationReport, Violation, load_shapes, validate

log = logging.getLogger("mzkg")

CACHE_FORMAT = "2"  # bump when the stored facts or results change shape (2: entries carry kind, key and digest)


@dataclass(frozen=True)
class FileFacts:
    """What one file describes and refers to: the reports whose nodes it describes, the subjects it describes
    outside any report, and the IRIs it refers to without describing them."""

    reports: frozenset[str]
    subjects: frozenset[str]
    refers_to: frozenset[str]
    shared: frozenset[str] = frozenset()  # what a report's file says of shared entities, as N-Triples lines
    pending: frozenset[str] = frozenset()  # report nodes those lines lead to that this file does not describe


FACT_FIELDS = tuple(f.name for f in fields(FileFacts))


@dataclass(frozen=True)
class Unit:
    """Reports validated together (usually one), their files, and the files their result depends on; or the unit
    of the shared entities that reports' files describe (`entities`), which alone gives their results."""

    reports: frozenset[str]
    own: tuple[Source, ...]
    context: tuple[Source, ...]
    entities: frozenset[str] = frozenset()

    def key(self, salt: str) -> str:
        """What the unit's result depends on: the salt, the reports it speaks for (its result keeps only their
        nodes' problems and those of no report), and every file it reads, each marked as its own or context."""
        h = hashlib.sha256(salt.encode())
        h.update(("reports:" + "|".join(sorted(self.reports)) + "\0").encode())
        h.update(("entities:" + "|".join(sorted(self.entities)) + "\0").encode())
        for role, files in (("own", self.own), ("context", self.context)):
            for s in sorted(files, key=lambda s: s.graph):
                h.update(f"{role}:{s.graph}\0{s.digest}".encode())
        return h.hexdigest()


def file_facts(source: Source) -> FileFacts:
    """Read one file's subjects and references (with Oxigraph's parser; a malformed file is a LoadError), and in
    a report's file, what it says of shared entities: their triples and all the file says of the report nodes and
    blank nodes those lead to, as N-Triples lines (blank nodes named by the file, so two files' never merge)."""
    triples: dict[object, list[pyoxigraph.Triple]] = {}
    try:
        for t in pyoxigraph.parse(input=source.data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=source.base_iri):
            triples.setdefault(t.subject, []).append(t)
    except SyntaxError as e:
        raise syntax_error(source.path, e) from None
    subjects = {s.value for s in triples if isinstance(s, pyoxigraph.NamedNode)}
    objects = {t.object.value for ts in triples.values() for t in ts if isinstance(t.object, pyoxigraph.NamedNode)}
    reports = {slug for s in subjects if (slug := report_of(s)) is not None}
    outside = {s for s in subjects if report_of(s) is None}
    shared: set[str] = set()
    pending: set[str] = set()
    if reports:
        tag = source.digest[:16]

        def nt(term: object) -> str:
            return f"_:f{tag}{term.value}" if isinstance(term, pyoxigraph.BlankNode) else str(term)

        todo: list[object] = [pyoxigraph.NamedNode(s) for s in outside]
        seen = set(todo)
        while todo:
            for t in triples.get(todo.pop(), []):
                shared.add(f"{nt(t.subject)} {nt(t.predicate)} {nt(t.object)} .")
                o = t.object
                if isinstance(o, pyoxigraph.NamedNode) and report_of(o.value) is not None and o.value not in subjects:
                    pending.add(o.value)
                elif o not in seen and (
                    isinstance(o, pyoxigraph.BlankNode) or (isinstance(o, pyoxigraph.NamedNode) and report_of(o.value))
                ):
                    seen.add(o)
                    todo.append(o)
    return FileFacts(frozenset(reports), frozenset(outside), frozenset(objects - subjects), frozenset(shared), frozenset(pending))


class Cache:
    """Facts and results in files under the cache folder, written whole or not at all.

    An entry is trusted only if this user wrote it for its key: the folder must be this user's alone (else no
    cache, said once), and each entry carries its kind, its key and a digest over them and its value, so a file
    renamed to another key, written by hand or cut short is ignored (said once) and recomputed. A folder that
    cannot be used means no cache, never an error.
    """

    def __init__(self, folder: str | None) -> None:
        self.folder: Path | None = None
        self._warned = False
        if folder is not None:
            try:
                self.folder = own_folder(folder)
            except OSError as e:
                log.warning("the cache folder %s cannot be used (%s); validating without a cache", cache_dir(), e.strerror or e)

    @staticmethod
    def _digest(kind: str, key: str, value: object) -> str:
        body = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(f"{CACHE_FORMAT}\0{kind}\0{key}\0{body}".encode()).hexdigest()

    def get(self, kind: str, key: str, valid: Callable[[object], bool]) -> object | None:
        """The value kept for (kind, key) if it is intact and `valid` accepts its shape; else None."""
        if self.folder is None:
            return None
        path = self.folder / f"{kind}-{key}.json"
        try:
            with path.open("rb") as f:
                mine = os.fstat(f.fileno()).st_uid == os.geteuid()
                entry = json.loads(f.read().decode("utf-8")) if mine else None
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            return self._ignore(path, str(e))
        if not mine:
            return self._ignore(path, "written by another user")
        if not (isinstance(entry, dict) and entry.keys() == {"kind", "key", "digest", "value"}):
            return self._ignore(path, "not an entry mzkg wrote")
        if entry["kind"] != kind or entry["key"] != key or entry["digest"] != self._digest(kind, key, entry["value"]):
            return self._ignore(path, "its digest does not match its key and content")
        if not valid(entry["value"]):
            return self._ignore(path, "a value of the wrong shape")
        value: object = entry["value"]
        return value

    def _ignore(self, path: Path, why: str) -> object | None:
        """None, the answer for an entry that cannot be trusted; the first such entry of a run is named."""
        if not self._warned:
            log.warning("ignoring the cache entry %s (%s); recomputing what it held", path, why)
            self._warned = True
        return None

    def put(self, kind: str, key: str, value: object) -> None:
        if self.folder is None:
            return
        entry = {"kind": kind, "key": key, "digest": self._digest(kind, key, value), "value": value}
        try:
            write_atomically(self.folder / f"{kind}-{key}.json", json.dumps(entry, ensure_ascii=False), follow_links=False)
        except OutputError as e:
            log.warning("could not keep a validation result (%s)", e)
            self.folder = None


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _valid_facts(value: object) -> bool:
    return isinstance(value, dict) and value.keys() == set(FACT_FIELDS) and all(_strings(v) for v in value.values())


_VIOLATION_FIELDS = {f.name: "None" in str(f.type) for f in fields(Violation)}  # name: whether it may be None


def _valid_results(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, dict)
        and v.keys() == _VIOLATION_FIELDS.keys()
        and all(isinstance(v[k], str) or (v[k] is None and nullable) for k, nullable in _VIOLATION_FIELDS.items())
        for v in value
    )


def _facts(sources: list[Source], cache: Cache) -> dict[str, FileFacts]:
    out = {}
    for s in sources:
        key = hashlib.sha256(f"{CACHE_FORMAT}|{s.base_iri}|{s.digest}".encode()).hexdigest()
        kept = cache.get("facts", key, _valid_facts)
        if isinstance(kept, dict):
            facts = FileFacts(**{k: frozenset(kept[k]) for k in FACT_FIELDS})
        else:
            facts = file_facts(s)
            cache.put("facts", key, {k: sorted(v) for k, v in asdict(facts).items()})
        out[s.graph] = facts
    return out


def units(sources: list[Source], facts: dict[str, FileFacts]) -> list[Unit]:
    """The corpus split into units: reports that share a file are one unit; the files of no report are the
    context of every unit, with the files that describe what the unit's files or the shared files refer to
    (one step: a task another report fulfils, the span a shared programme was read from)."""
    shared = [s for s in sources if not facts[s.graph].reports]
    owned = [s for s in sources if facts[s.graph].reports]
    if not owned:
        return [Unit(frozenset(), tuple(sources), ())]
    # reports that share a file are validated together (union-find over the slugs)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s in owned:
        first, *rest = sorted(facts[s.graph].reports)
        for r in rest:
            parent[find(r)] = find(first)
    groups: dict[str, list[Source]] = {}
    for s in owned:
        groups.setdefault(find(min(facts[s.graph].reports)), []).append(s)
    files_of: dict[str, list[Source]] = {}  # a report's files
    describes: dict[str, list[Source]] = {}  # the report files that describe an IRI outside any report
    for s in owned:
        for slug in facts[s.graph].reports:
            files_of.setdefault(slug, []).append(s)
        for iri in facts[s.graph].subjects:
            describes.setdefault(iri, []).append(s)
    out = []
    for root, own in sorted(groups.items()):
        mine = frozenset(r for r in parent if find(r) == root)
        needed: dict[str, Source] = {}
        for s in own + shared:  # what shared entities refer to (the spans they were read from) counts too
            for iri in facts[s.graph].refers_to:
                report = report_of(iri)
                for d in describes.get(iri, []) if report is None else files_of.get(report, []):
                    needed[d.graph] = d
        for s in own:
            needed.pop(s.graph, None)
        context = shared + sorted(needed.values(), key=lambda s: s.graph)
        out.append(Unit(mine, tuple(own), tuple(context)))
    # a shared entity the files of one unit alone describe is seen whole there; one that the files of several
    # units describe is judged by one more unit that reads every file's description of it
    unit_of = {s.graph: root for root, own in groups.items() for s in own}
    several = frozenset(iri for iri, files in describes.items() if len({unit_of[f.graph] for f in files}) > 1)
    if several:
        out.append(_entities_unit(several, [s for s in owned if facts[s.graph].subjects & several], shared, facts, files_of))
    return out


def _entities_unit(
    entities: frozenset[str],
    describing: list[Source],
    shared: list[Source],
    facts: dict[str, FileFacts],
    files_of: dict[str, list[Source]],
) -> Unit:
    """The shared entities that several units' files describe, checked with everything any file says of them:
    the describing files' lines about shared entities (and about what those lead to in that file) as one derived
    source, beside the files of no report and the files of the report nodes those lines lead to that their own
    file does not hold."""
    lines = sorted({line for s in describing for line in facts[s.graph].shared})
    data = ("\n".join(lines) + "\n").encode("utf-8")
    derived = Source(Path("shared-entities.nt"), GRAPH + "derived/shared-entities", data)
    needed: dict[str, Source] = {}
    for s in describing:
        for iri in facts[s.graph].pending:
            for d in files_of.get(report_of(iri) or "", []):
                needed[d.graph] = d
    return Unit(frozenset(), (derived,), tuple(shared + sorted(needed.values(), key=lambda s: s.graph)), entities)


def _shapes_digest(shapes_dir: Path) -> str:
    h = hashlib.sha256()
    for f in resources.turtle_files(shapes_dir):
        h.update(f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _salt(shapes: str) -> str:
    """What every result depends on besides the data: mzkg's version and all of its code, the engines and parsers
    it validates with, the shapes."""
    h = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{shapes}".encode())
    package = Path(__file__).resolve().parent.parent
    for module in sorted(package.rglob("*.py")):
        h.update(module.relative_to(package).as_posix().encode() + b"\0" + module.read_bytes())
    for dist in ("pyshacl", "pyoxigraph", "rdflib", "cn2an"):
        h.update(f"{dist}={metadata.version(dist)}".encode())
    return h.hexdigest()


def _own_result(unit: Unit, v: Violation) -> bool:
    """A result about another report's node is that report's own unit's to give."""
    node = v.node.strip("<>")
    slug = report_of(node)
    return slug is None or slug in unit.reports or not unit.reports


def _given_by(unit: Unit, v: Violation, entities: frozenset[str]) -> bool:
    """A shared entity that reports' files describe is the entities unit's to judge (it alone sees every file's
    description); a report's unit sees only its own part of it."""
    node = v.node.strip("<>")
    return node in unit.entities if unit.entities else node not in entities


_SHAPES: dict[str, object] = {}  # the shapes parsed once per worker process, by the digest of their files


def _validate_unit(unit: Unit, shapes_dir: Path, shapes_digest: str) -> list[Violation]:
    from rdflib import Graph  # noqa: PLC0415 - only to check what the shapes cache holds

    shapes = _SHAPES.get(shapes_digest)
    if shapes is None:
        shapes = _SHAPES[shapes_digest] = load_shapes(shapes_dir)
    assert isinstance(shapes, Graph)
    sources = list(unit.context + unit.own)
    # in memory: a unit never leaves a prepared store behind in the cache folder
    report = validate(KnowledgeGraph(sources, _store=memory_store(sources)), shapes)
    return [v for v in report.results if _own_result(unit, v)]


def validate_corpus(
    kg: KnowledgeGraph,
    *,
    jobs: int | None = None,
    cache: bool = True,
    shapes_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate every report of a corpus, reusing each unit's kept result while nothing it depends on changed.

    ``jobs`` units are validated side by side in worker processes (default: the machine's cores); ``progress``
    is told (done, to do) as units finish.
    """
    shapes_dir = shapes_dir or resources.shapes_dir()
    store = Cache("validation" if cache else None)
    facts = _facts(kg.sources, store)
    shapes_digest = _shapes_digest(shapes_dir)
    salt = _salt(shapes_digest)
    found: set[Violation] = set()
    todo: list[tuple[str, Unit]] = []
    kept_count = 0
    split = units(kg.sources, facts)
    entities = frozenset().union(*(u.entities for u in split))
    unit_of = {}
    for unit in split:
        key = unit.key(salt)
        kept = store.get("result", key, _valid_results)
        if isinstance(kept, list):
            found.update(v for v in (Violation(**v) for v in kept) if _given_by(unit, v, entities))
            kept_count += 1
        else:
            todo.append((key, unit))
            unit_of[key] = unit
    if todo and kept_count:
        log.info("validating %d report unit(s); %d unchanged, their kept results reused", len(todo), kept_count)
    for done, (key, results) in enumerate(_run(todo, shapes_dir, shapes_digest, jobs), start=1):
        store.put("result", key, [asdict(v) for v in results])
        found.update(v for v in results if _given_by(unit_of[key], v, entities))
        if progress:
            progress(done, len(todo))
    return ValidationReport.of(found)


def _run(
    todo: list[tuple[str, Unit]], shapes_dir: Path, shapes_digest: str, jobs: int | None
) -> Iterable[tuple[str, list[Violation]]]:
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        for key, unit in todo:
            yield key, _validate_unit(unit, shapes_dir, shapes_digest)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_validate_unit, unit, shapes_dir, shapes_digest): key for key, unit in todo}
        try:
            for f in as_completed(futures):
                yield futures[f], f.result()
        except BrokenProcessPool:
            raise MzkgError("a validation worker died (out of memory?); try --jobs 1") from None
        finally:
            for f in futures:
                f.cancel()
