"""The choices of a clustering run, without the libraries that compute it (the CLI imports
these for its options as it starts, ``--help`` included)."""

from __future__ import annotations

from enum import StrEnum

DEFAULT_RESOLUTION = 1.0
DEFAULT_MIN_SIZE = 3


class GraphKind(StrEnum):
    """Which ties make the account graph."""

    amplified = "amplified"
    coordinated = "coordinated"


class Algorithm(StrEnum):
    """Which community detection runs on it."""

    leiden = "leiden"
    louvain = "louvain"
