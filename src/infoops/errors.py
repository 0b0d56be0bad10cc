"""One exception hierarchy, so the CLI can turn any expected failure into a one-line message."""


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
