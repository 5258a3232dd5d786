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
CACHE_VERSION = "2"  # bump when what a content key covers changes


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


def graph_name(path: Path) -> str:
    """The IRI of the named graph a file is loaded into: its path under the resources, or its absolute path."""
    root = resources.root().resolve()
    resolved = path.resolve()
    try:
        name = resolved.relative_to(root).with_suffix("").as_posix()
    except ValueError:
        name = "file/" + resolved.with_suffix("").as_posix().lstrip("/")
    return GRAPH + name


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
    return [read(p) for p in paths]


def content_key(sources: Iterable[Source]) -> str:
    """A digest of every source's graph name and bytes: any edit gives a new key, so a cache is never stale."""
    h = hashlib.sha256(CACHE_VERSION.encode())
    for s in sources:
        h.update(s.graph.encode() + b"\0" + bytes.fromhex(s.digest))
    return h.hexdigest()
