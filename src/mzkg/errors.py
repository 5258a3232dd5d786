"""mzkg's own errors: each says what went wrong and where."""

from __future__ import annotations


class MzkgError(Exception):
    """A user-facing error: bad input, a missing file, a store that does not answer."""

    exit_code = 2


class LoadError(MzkgError):
    """A source file could not be read or parsed."""


class QueryError(MzkgError):
    """A query is unknown, malformed or not allowed."""


class StoreError(MzkgError):
    """A remote store could not be reached or refused the request."""
