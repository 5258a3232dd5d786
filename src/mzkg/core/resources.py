"""Where the packaged sources live: ontology/, data/, shapes/ and queries/ (in the wheel, or in a checkout).

The wheel carries them under `mzkg/_resources/`; an editable checkout finds them at the top of the
repository. Either way they are found through `importlib.resources`, never through the working directory.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

SOURCE_NAME = "guangdong-minzheng-2022.txt"


@cache
def root() -> Path:
    """The folder holding ontology/, data/, shapes/ and queries/."""
    package = Path(str(files("mzkg")))
    bundled = package / "_resources"
    return bundled if (bundled / "ontology").is_dir() else package.parent.parent


def ontology_dir() -> Path:
    return root() / "ontology"


def data_dir() -> Path:
    return root() / "data"


def shapes_dir() -> Path:
    return root() / "shapes"


def queries_dir() -> Path:
    return root() / "queries"


def source_text_path(name: str = SOURCE_NAME) -> Path:
    """A report's source text among the packaged data."""
    return data_dir() / "source" / name


def turtle_files(folder: Path) -> list[Path]:
    """The Turtle files directly in a folder, in name order."""
    return sorted(p for p in folder.glob("*.ttl") if p.is_file())
