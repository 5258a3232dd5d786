"""mzkg's own errors. Each class says how an interface reports it: the CLI's exit code, the server's HTTP status.

Exit codes: 0 ok, 1 the data or the answer is not what was asked for (does not conform, not found),
2 a usage or load error. Interfaces map errors by type, never by their message.
"""

from __future__ import annotations


class MzkgError(Exception):
    """A user-facing error: bad input, a missing file, a store that does not answer."""

    exit_code = 2
    http_status = 500


class UsageError(MzkgError):
    """An option, parameter or argument the command cannot use."""

    http_status = 400


class LoadError(MzkgError):
    """A source file could not be read or parsed (the message names the file, line and column)."""


class Refused(MzkgError):
    """A decision that would leave data wrong (a review fix its text does not bear out, a report marked reviewed
    with items still open): nothing is written."""

    exit_code = 1
    http_status = 409


class OutputError(MzkgError):
    """A result could not be written where it was asked for."""


class NotFound(MzkgError):
    """Nothing matches what was asked for (an unknown label or entity)."""

    exit_code = 1
    http_status = 404


class QueryError(MzkgError):
    """A query is unknown or malformed, or failed while it ran."""

    http_status = 400


class QueryRefused(QueryError):
    """A query that would write, or reach the network, in a place that is read-only and local."""

    http_status = 403


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    http_status = 408


class ResultTooLarge(QueryError):
    """An answer has more rows than the limit allows."""

    http_status = 413


class StoreError(MzkgError):
    """A remote store or endpoint could not be reached, or refused the request."""

    http_status = 502


class MissingExtra(MzkgError):
    """Something asked for needs an optional extra that is not installed; the message says how to install it."""

    def __init__(self, what: str, extra: str) -> None:
        super().__init__(f"{what} needs the {extra!r} extra: pip install 'mzkg[{extra}]'")
        self.extra = extra
