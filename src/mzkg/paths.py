"""Where the packaged sources live: in the wheel, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_resources"
_CHECKOUT = _PACKAGE.parent.parent


def resources_root() -> Path:
    """The folder holding ontology/, data/, shapes/ and queries/."""
    return _BUNDLED if (_BUNDLED / "ontology").is_dir() else _CHECKOUT


def ontology_dir() -> Path:
    return resources_root() / "ontology"


def data_dir() -> Path:
    return resources_root() / "data"


def shapes_dir() -> Path:
    return resources_root() / "shapes"


def queries_dir() -> Path:
    return resources_root() / "queries"


def source_text_path(name: str = "guangdong-minzheng-2022.txt") -> Path:
    return data_dir() / "source" / name


def turtle_files(folder: Path) -> list[Path]:
    """The Turtle files directly in a folder, in name order."""
    return sorted(p for p in folder.glob("*.ttl") if p.is_file())


def graph_name(path: Path) -> str:
    """The IRI of the named graph a source file is loaded into."""
    from .prefixes import GRAPH

    root = resources_root()
    try:
        name = path.resolve().relative_to(root.resolve()).with_suffix("").as_posix()
    except ValueError:
        name = "file/" + path.resolve().with_suffix("").as_posix().lstrip("/")
    return GRAPH + name


def expand(items) -> list[Path]:
    """Files and folders given by the user, as the Turtle files they name (folders searched recursively)."""
    from .errors import LoadError

    files: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.ttl") if q.is_file())
            if not found:
                raise LoadError(f"{p}: no .ttl files in this folder")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise LoadError(f"{p}: no such file or folder")
    return files


def source_files(data=None) -> list[Path]:
    """The ontology files, then the data files (the packaged ones, or those given)."""
    return turtle_files(ontology_dir()) + (expand(data) if data else turtle_files(data_dir()))
