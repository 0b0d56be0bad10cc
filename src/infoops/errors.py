"""One exception hierarchy, so the CLI can turn any expected failure into a one-line message.

Every error a user can act on is defined here, whichever layer raises it, so a newcomer finds
them in one place and the CLI needs one ``except InfoopsError``. Two exceptions live with their
code because they never leave it: ``loaders.source_format.MalformedFile`` (a fast reader hands a
file to the exact one) and ``queries.guard.CypherRefused`` (the tokenizer's refusal, turned into a
``WriteRefusedError`` before it reaches a caller).
"""


class InfoopsError(Exception):
    """Base class for errors a user can act on; the CLI prints them without a traceback."""


class ConfigurationError(InfoopsError):
    """Settings are missing or contradictory (engine, database path, credentials)."""


class EngineError(InfoopsError):
    """The graph engine refused or failed a statement."""


class CypherSyntaxError(EngineError):
    """The engine could not parse or bind a Cypher statement; the message carries its position."""


class WriteRefusedError(EngineError):
    """A statement that writes was sent on a read-only connection."""


class InputFileError(InfoopsError):
    """An input file is not what the loader expects (missing columns, unknown format)."""


class DiskFullError(InfoopsError):
    """A disk filled up during a load; the message names it and about how much space is needed."""


class QueryError(InfoopsError):
    """A query cannot be run as asked (unknown id, bad parameter, more than one statement)."""


class UnknownQueryError(QueryError):
    """No canned query has this id."""


class QueryParameterError(QueryError):
    """A parameter is missing, unknown, or not of its declared type or range."""


class QueryLibraryError(InfoopsError):
    """A query file is invalid: the library itself is broken (a bug, caught by the tests)."""


class ViewError(InfoopsError):
    """A view cannot be built as asked: unknown seed, bad depth, unknown colour choice, ..."""


class NotFoundError(ViewError):
    """The account or tweet a view starts from is not in the graph."""


class Neo4jImportError(InfoopsError):
    """The graph cannot be written as import files (a node without its key, a bad name)."""


class PushError(InfoopsError):
    """The source cannot be pushed as it is, or the target did not take what was sent."""


class EngineMemoryError(EngineError):
    """The embedded engine's page cache is too small for a step; the message says how to give
    it more, and that a load run again resumes where it stopped."""


class CoordinationError(InfoopsError):
    """A coordination network cannot be computed or explained as asked (unknown method or
    account, bad window)."""


class ClusterError(InfoopsError):
    """Clusters cannot be computed as asked (nothing to cluster, unknown disclosure, bad
    resolution or minimum size)."""


class NoClustersError(ViewError):
    """A clusters view was asked for, but no account has a stored cluster yet."""


class DisclosureNotFoundError(InfoopsError):
    """No disclosure of this name is loaded; the message lists those that are."""


class RemovalRefusedError(InfoopsError):
    """A disclosure cannot be removed now (another load is unfinished); the message says what
    to run first."""


class CrossrefError(InfoopsError):
    """A cross-reference cannot be made as asked (an unknown kind, fewer than two disclosures,
    an option out of range); the message says what is allowed."""
