"""The fast query path: an Oxigraph store parsed straight from the Turtle, or for large inputs a
prepared on-disk store named by the sources' content hash.

Nothing here imports rdflib: `mzkg query` on the fast path costs Python, click, pyoxigraph and the parse.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from . import paths
from .errors import LoadError, QueryError

CACHE_VERSION = "1"  # bump when the cache layout changes


def cache_dir() -> Path:
    base = os.environ.get("MZKG_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "mzkg")
    return Path(base)


def content_key(files: list[Path]) -> str:
    """A digest of every source file's name and bytes: any edit gives a new key, so a cache is never stale."""
    import hashlib

    h = hashlib.sha256(CACHE_VERSION.encode())
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as e:
            raise LoadError(f"{f}: {e.strerror}") from None
        h.update(paths.graph_name(f).encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def read_source(f: Path) -> bytes:
    """A source file's bytes, checked to be UTF-8; unreadable or not UTF-8 is a LoadError naming the file."""
    try:
        data = f.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LoadError(f"{f}: not UTF-8 (byte {e.start})") from None
    except OSError as e:
        raise LoadError(f"{f}: {e.strerror}") from None
    return data


def syntax_error(f: Path, e: SyntaxError) -> LoadError:
    """Oxigraph's parse error as one line: file:line:column: what is wrong."""
    where = f"{e.lineno}:{e.offset}" if e.lineno else "?"
    message = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: ", "", str(e.msg or e).splitlines()[0])
    return LoadError(f"{f}:{where}: {message}")


@lru_cache(maxsize=256)
def bcp47_case(tag: str) -> str:
    """A language tag in RFC 5646 §2.1.1 case (Oxigraph gives it lowercased): zh-hant → zh-Hant, en-ca → en-CA.

    Two-letter subtags are upper case and four-letter ones title case unless first or after a singleton.
    """
    parts = tag.lower().split("-")
    out, extension = [parts[0]], False
    for part in parts[1:]:
        extension = extension or len(part) == 1
        out.append(part if extension else part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(out)


def _parse_into(store, f: Path) -> None:
    import pyoxigraph

    try:
        store.load(input=read_source(f), format=pyoxigraph.RdfFormat.TURTLE, base_iri=f.resolve().as_uri(),
                   to_graph=pyoxigraph.NamedNode(paths.graph_name(f)))
    except SyntaxError as e:
        raise syntax_error(f, e) from None


# Measured: parsing Turtle into an in-memory store costs 3–5 µs a triple (22–35 ms for the packaged
# 6.8k triples); opening a prepared on-disk store 30–35 ms for those, 1.1 s for 6 million triples.
# Small inputs are parsed each time; larger ones are prepared once per content key and opened read-only.
PREPARE_ABOVE_BYTES = 4_000_000


def load_store(data=None):
    """A store holding ontology + data, one named graph per file: parsed afresh, or a prepared store for large inputs."""
    import pyoxigraph

    files = paths.source_files(data)
    if sum(f.stat().st_size for f in files) <= PREPARE_ABOVE_BYTES:
        store = pyoxigraph.Store()
        for f in files:
            _parse_into(store, f)
        return store
    prepared = cache_dir() / f"store-{content_key(files)}"
    if not (prepared / "READY").is_file():
        _prepare(files, prepared)
    return pyoxigraph.Store.read_only(str(prepared))


def _prepare(files: list[Path], target: Path) -> None:
    """Build the on-disk store in a temporary folder and rename it into place, so no reader sees half a store."""
    import shutil
    import sys
    import tempfile

    import pyoxigraph

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=target.parent))
    try:
        print(f"mzkg: preparing a query store for {len(files)} files (once per content) …", file=sys.stderr)
        store = pyoxigraph.Store(str(tmp))
        for f in files:
            _parse_into(store, f)
        store.flush()
        store.optimize()
        del store
        (tmp / "READY").write_text("ok\n")
        try:
            os.rename(tmp, target)
        except OSError:  # another process prepared it first
            pass
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


# SERVICE as a keyword: not part of a longer name, a prefixed name (ex:service) or a variable (?service).
_SERVICE = re.compile(r"(?<![\w:?$\\-])service\b", re.I)


def needs_full_check(text: str) -> bool:
    """Whether a query could hold SERVICE: only then is it parsed with rdflib before running.

    The test errs on the side of parsing (a match inside a string or IRI costs only time); SPARQL
    allows \\u escapes anywhere in a query, so those get the full check too.
    """
    return bool(_SERVICE.search(text)) or "\\u" in text.casefold()


def run(store, text: str, allow_service: bool = False, max_rows: int | None = None, deadline: float | None = None):
    """Run a read-only query on the fast path; updates fail in Oxigraph's query parser, SERVICE is refused
    unless the caller opts in (then Oxigraph makes the HTTP calls the query asks for)."""
    from .queries import check_read_only, run_oxigraph

    if needs_full_check(text):
        check_read_only(text, allow_service=allow_service)
    try:
        return run_oxigraph(store, text, max_rows=max_rows, deadline=deadline)
    except QueryError as e:
        if "syntax error" in str(e) and re.match(r"\s*(PREFIX\s+\S+\s*<[^>]*>\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                                                 text, re.I):
            raise QueryError("SPARQL Update is not allowed: mzkg queries are read-only") from None
        raise
