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
