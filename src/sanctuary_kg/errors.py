"""The one error family. Each error carries what a person needs to fix it.

The CLI turns a ``SanctuaryError`` into one line on stderr and the exit code
of its class; the library never prints.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Exit codes of the ``sanctuary-kg`` command, documented in the README."""

    OK = 0
    ERROR = 1  # unexpected failure (a bug): rerun with --traceback
    USAGE = 2  # bad command-line usage (click's own code)
    INPUT = 3  # a seed, fact sheet or article is wrong
    INVALID = 4  # the graph does not conform to its shapes or spans moved
    QUERY = 5  # a query is unknown, malformed or got a bad parameter
    ENDPOINT = 6  # a remote SPARQL endpoint failed or is unreachable


class SanctuaryError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = ExitCode.ERROR


class UsageError(SanctuaryError):
    """The command was given something it cannot use: a format, an option that needs another, a file it cannot write."""

    exit_code = ExitCode.USAGE


class InputError(SanctuaryError):
    """A seed file, fact sheet or article is wrong; names the file and line."""

    exit_code = ExitCode.INPUT

    def __init__(self, message: str, *, path: object = None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)


class AnchorError(InputError):
    """A quote of a fact sheet is not found once in its article."""


class ValidationFailed(SanctuaryError):
    """The graph does not conform; carries the report."""

    exit_code = ExitCode.INVALID

    def __init__(self, message: str, report: object = None):
        self.report = report
        super().__init__(message)


class QueryError(SanctuaryError):
    """A stored or ad-hoc query is unknown, does not parse or got a bad parameter."""

    exit_code = ExitCode.QUERY


class EndpointError(SanctuaryError):
    """A remote SPARQL endpoint is unreachable, too slow or answered with an error."""

    exit_code = ExitCode.ENDPOINT


class ShapeError(InputError):
    """The fast SHACL engine cannot check these shapes or data (a feature it does not support); names the shape."""
