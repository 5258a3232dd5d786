"""The Oxigraph store the queries run on: parsed into memory from the sources, or for large inputs a prepared
on-disk store named by the sources' content key (built once with Oxigraph's bulk loader, then opened read-only).

Nothing here imports rdflib.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph

from .errors import LoadError
from .sources import Source, content_key

log = logging.getLogger("mzkg")

# Measured: parsing Turtle into an in-memory store costs 3–5 µs a triple; opening a prepared on-disk store
# costs about 30 ms at this project's size and about 1 s at 6 million triples. Small inputs are parsed each
# time; larger ones are prepared once per content key.
PREPARE_ABOVE_BYTES = 4_000_000
LOAD_THREADS = min(8, 4 * (os.cpu_count() or 1))  # each load has worker threads of its own


def cache_dir() -> Path:
    """Where prepared stores are kept: $MZKG_CACHE_DIR, else $XDG_CACHE_HOME/mzkg, else ~/.cache/mzkg."""
    explicit = os.environ.get("MZKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mzkg"


def syntax_error(path: Path, e: SyntaxError) -> LoadError:
    """Oxigraph's parse error as one line: file:line:column: what is wrong."""
    where = f"{e.lineno}:{e.offset}" if e.lineno else "?"
    first = str(e.msg or e).splitlines()[0]
    message = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: ", "", first)
    return LoadError(f"{path}:{where}: {message}")


def _load(store: pyoxigraph.Store, source: Source, *, bulk: bool = False) -> None:
    graph = pyoxigraph.NamedNode(source.graph)
    try:
        if bulk:
            store.bulk_load(input=source.data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=source.base_iri, to_graph=graph)
        else:
            store.load(input=source.data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=source.base_iri, to_graph=graph)
    except SyntaxError as e:
        raise syntax_error(source.path, e) from None


def memory_store(sources: list[Source]) -> pyoxigraph.Store:
    """An in-memory store holding every source in its own named graph."""
    store = pyoxigraph.Store()
    for s in sources:
        _load(store, s)
    return store


def open_store(sources: list[Source]) -> pyoxigraph.Store:
    """A store over the sources: in memory when small, else the prepared store for their content (built if new).

    When the cache folder cannot be used, the store is built in memory instead.
    """
    if sum(len(s.data) for s in sources) <= PREPARE_ABOVE_BYTES:
        return memory_store(sources)
    target = cache_dir() / f"store-{content_key(sources)}"
    try:
        if not (target / "READY").is_file():
            _prepare(sources, target)
        return pyoxigraph.Store.read_only(str(target))
    except OSError as e:
        log.warning("the cache folder %s cannot be used (%s); building the store in memory", target.parent, e.strerror or e)
        return memory_store(sources)


def _prepare(sources: list[Source], target: Path) -> None:
    """Bulk-load the store in a temporary folder and rename it into place, so no reader sees half a store,
    and a build that fails or is killed leaves nothing behind but a hidden temporary folder that the next
    build removes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(target.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".build-{os.getpid()}-", dir=target.parent))
    try:
        log.info("preparing a query store for %d files (once per content) …", len(sources))
        _bulk_load(tmp, sources)
        (tmp / "READY").write_text("ok\n", encoding="utf-8")
        with contextlib.suppress(OSError):  # another process prepared it first
            tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _bulk_load(folder: Path, sources: list[Source]) -> None:
    """Every source into its named graph of a new on-disk store, closed on return.

    Oxigraph's bulk loader releases the interpreter lock, so files load side by side, as `oxigraph load` loads
    them (measured at 100 files on two cores: 5.5 s one at a time, 2.9 s with eight threads). The store is not
    compacted afterwards: at 1,000 files the questions ran no faster after `optimize()`.
    """
    db = pyoxigraph.Store(str(folder))
    with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
        for _ in pool.map(lambda s: _load(db, s, bulk=True), sources):
            pass
    db.flush()


def _remove_stale_builds(folder: Path) -> None:
    """Remove temporary build folders whose process is gone (a build killed before its rename)."""
    for old in folder.glob(".build-*"):
        pid = old.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
