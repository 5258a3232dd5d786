"""The Oxigraph store the queries run on: parsed into memory from the sources, or for large inputs a prepared
on-disk store named by the sources' content key (built once with Oxigraph's bulk loader, then opened read-only).

Nothing here imports rdflib.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import stat
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


def own_folder(*parts: str) -> Path:
    """A folder of the cache (`own_folder("validation")`), created private if new, and trusted only while it and
    the cache folder above it belong to this user and no one else can write to them: what another user could
    put there (a result, a store) must never answer for this user's data. An OSError says why not."""
    folder = cache_dir()
    chain = [folder]
    for part in parts:
        folder = folder / part
        chain.append(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for f in chain:
        st = f.stat()
        if not stat.S_ISDIR(st.st_mode):
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(f))
        if st.st_uid != os.geteuid():
            raise PermissionError(errno.EPERM, f"{f} belongs to another user (uid {st.st_uid})")
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise PermissionError(errno.EPERM, f"{f} can be written by other users (mode {stat.S_IMODE(st.st_mode):o})")
    return folder


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

    A prepared store is used only when its READY mark names the key it is opened for (a store renamed to another
    key is rebuilt, said once). When the cache folder cannot be used or is not this user's alone, the store is
    built in memory instead.
    """
    if sum(len(s.data) for s in sources) <= PREPARE_ABOVE_BYTES:
        return memory_store(sources)
    key = content_key(sources)
    try:
        target = own_folder() / f"store-{key}"
        if not _ready_for(target, key):
            if target.exists() or target.is_symlink():
                log.warning("the prepared store %s was not built for this content; building it again", target)
                _discard(target)
            _prepare(sources, target, key)
        return pyoxigraph.Store.read_only(str(target))
    except OSError as e:
        log.warning("the cache folder %s cannot be used (%s); building the store in memory", cache_dir(), e.strerror or e)
        return memory_store(sources)


def _ready_for(target: Path, key: str) -> bool:
    """Whether the folder is a store this user prepared for this key (READY holds the key it was built for)."""
    ready = target / "READY"
    try:
        if target.is_symlink() or ready.is_symlink() or ready.stat().st_uid != os.geteuid():
            return False
        return ready.read_text(encoding="utf-8") == f"{key}\n"
    except (OSError, UnicodeDecodeError):
        return False


def _discard(target: Path) -> None:
    """Move a store that must not be used out of the way (removed; a reader that has it open keeps its files)."""
    aside = target.with_name(f".stale-{os.getpid()}-{target.name}")
    target.rename(aside)
    if aside.is_symlink() or not aside.is_dir():
        aside.unlink()
    else:
        shutil.rmtree(aside, ignore_errors=True)


def _prepare(sources: list[Source], target: Path, key: str) -> None:
    """Bulk-load the store in a temporary folder and rename it into place, so no reader sees half a store,
    and a build that fails or is killed leaves nothing behind but a hidden temporary folder that the next
    build removes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_builds(target.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".build-{os.getpid()}-", dir=target.parent))
    try:
        log.info("preparing a query store for %d files (once per content) …", len(sources))
        _bulk_load(tmp, sources)
        (tmp / "READY").write_text(f"{key}\n", encoding="utf-8")
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
