"""The files a graph is made of: which they are, the named graph each one fills, and their bytes.

Each file is read once; everything built from it (the Oxigraph store, the rdflib dataset, the cache key)
is built from those same bytes, so an edit made while mzkg runs can never leave a cache that lies.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from os import PathLike
from pathlib import Path

from . import resources
from .errors import LoadError
from .prefixes import GRAPH

PathArg = str | PathLike[str]
CACHE_VERSION = "3"  # bump when what a content key covers changes (3: graph names keep a non-Turtle suffix)


@dataclass(frozen=True)
class Source:
    """One Turtle file: where it came from, the named graph it fills, and its bytes (checked to be UTF-8)."""

    path: Path
    graph: str
    data: bytes

    @property
    def base_iri(self) -> str:
        return self.path.resolve().as_uri()

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the bytes (hex), computed once: every cache key built from this file uses it."""
        return hashlib.sha256(self.data).hexdigest()


TURTLE_SUFFIX = ".ttl"  # mzkg's sources are Turtle: their graph is named without it, as it is published

# What an IRI path may hold as it is (RFC 3987 iunreserved, sub-delims, ":", "@", "/"); anything else, and "%"
# itself, is percent-encoded, so that two different paths never give one name.
_IRI_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")
_UCS = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF), (0x10000, 0xEFFFD))


def _iri_path(text: str) -> str:
    def one(ch: str) -> str:
        if ch in _IRI_SAFE or any(lo <= ord(ch) <= hi and (ord(ch) & 0xFFFE) != 0xFFFE for lo, hi in _UCS):
            return ch
        return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogateescape"))

    return "".join(map(one, text))


def graph_name(path: Path) -> str:
    """The IRI of the named graph a file is loaded into: its path under the resources, or its absolute path,
    without the `.ttl` of a Turtle file; any other name is kept whole (`a.nt` is not `a.ttl`'s graph)."""
    root = resources.root().resolve()
    resolved = path.resolve()
    name = resolved.name.removesuffix(TURTLE_SUFFIX) if resolved.name != TURTLE_SUFFIX else resolved.name
    try:
        where = resolved.parent.relative_to(root).as_posix()
    except ValueError:
        where = "file/" + resolved.parent.as_posix().lstrip("/")
    return GRAPH + _iri_path(f"{where}/{name}".removeprefix("./"))


def expand(items: Iterable[PathArg]) -> list[Path]:
    """Files and folders given by the user, as the Turtle files they name (folders searched recursively).

    A named pipe (as from `--data <(…)`) is read like a file.
    """
    found: list[Path] = []
    for item in items:
        p = Path(item)
        try:
            mode = p.stat().st_mode
        except FileNotFoundError:
            raise LoadError(f"{p}: no such file or folder") from None
        except OSError as e:
            raise LoadError(f"{p}: {e.strerror}") from None
        if stat.S_ISDIR(mode):
            ttl = sorted(q for q in p.rglob("*.ttl") if q.is_file())
            if not ttl:
                raise LoadError(f"{p}: no .ttl files in this folder")
            found.extend(ttl)
        elif stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
            found.append(p)
        else:
            raise LoadError(f"{p}: not a file, folder or pipe")
    return found


def source_paths(data: Sequence[PathArg] | None = None, *, ontology: bool = True) -> list[Path]:
    """The ontology files (unless left out), then the data files: the packaged ones, or those given."""
    chosen = expand(data) if data else resources.turtle_files(resources.data_dir())
    return (resources.turtle_files(resources.ontology_dir()) if ontology else []) + chosen


def read(path: Path) -> Source:
    """A file's bytes, checked to be UTF-8; unreadable or not UTF-8 is a LoadError naming the file."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LoadError(f"{path}: not UTF-8 (byte {e.start})") from None
    except OSError as e:
        raise LoadError(f"{path}: {e.strerror}") from None
    return Source(path, graph_name(path), data)


def read_all(paths: Iterable[Path]) -> list[Source]:
    """Each file once (a file named twice, as a folder and by name, is read once), each in a graph of its own:
    two files whose names would give one graph (`a` and `a.ttl`) are a LoadError, never one file's facts
    replacing the other's."""
    out: list[Source] = []
    by_graph: dict[str, Path] = {}
    seen: set[Path] = set()
    for p in paths:
        resolved = p.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        source = read(p)
        other = by_graph.setdefault(source.graph, p)
        if other is not p:
            raise LoadError(f"{p}: would load into one named graph with {other} ({source.graph}); rename one of them")
        out.append(source)
    return out


def content_key(sources: Iterable[Source]) -> str:
    """A digest of every source's graph name and bytes: any edit gives a new key, so a cache is never stale."""
    h = hashlib.sha256(CACHE_VERSION.encode())
    for s in sources:
        h.update(s.graph.encode() + b"\0" + bytes.fromhex(s.digest))
    return h.hexdigest()
