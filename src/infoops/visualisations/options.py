"""What a view or an export can be asked for: its enums and limits, without a drawing library.

The CLI declares its options from these when it starts, before any command runs; living here,
apart from the modules that draw (pyvis, igraph), they cost nothing to import.
"""

from __future__ import annotations

from enum import StrEnum

MAX_DEPTH = 6  # hops of an amplification-chains view


class Direction(StrEnum):
    """``in``: accounts amplifying the seed; ``out``: accounts the seed amplifies."""

    upstream = "in"
    downstream = "out"
    both = "both"


class ExportFormat(StrEnum):
    gexf = "gexf"
    graphml = "graphml"
    csv = "csv"
