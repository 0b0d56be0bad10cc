"""Followers and following counts of the released accounts, in log-scaled bins.

Counts span six orders of magnitude (most accounts of an operation have none or a handful of
followers, the odd one has a hundred thousand), so the bins double: 0, 1, 2-3, 4-7, 8-15, ...
An account without a count (the release left it empty) is counted apart, not as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine

FOLLOW_COUNTS = " RETURN a.followers AS followers, a.following AS following"


@dataclass(frozen=True)
class Distribution:
    """Accounts per log2 bin of one count: ``labels[i]`` names the bin of ``counts[i]``."""

    name: str  # "followers" or "following"
    labels: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    unknown: int = 0  # accounts without a value
    median: float | None = None

    @property
    def known(self) -> int:
        return sum(self.counts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "bins": [
                {"bin": b, "accounts": n} for b, n in zip(self.labels, self.counts, strict=True)
            ],
            "unknown": self.unknown,
            "median": self.median,
        }


def follow_distributions(
    engine: GraphEngine, cypher: str, params: dict[str, Any]
) -> tuple[Distribution, Distribution]:
    """(followers, following) from ``cypher``: a selection of accounts + ``FOLLOW_COUNTS``."""
    table = engine.run_table(cypher, params)
    return log_bins("followers", table.column("followers")), log_bins(
        "following", table.column("following")
    )


def log_bins(name: str, column: pa.ChunkedArray | pa.Array) -> Distribution:
    """Accounts per bin 0, 1, 2-3, 4-7, ... up to the bin of the largest value."""
    known = pc.drop_null(column)
    unknown = len(column) - len(known)
    if len(known) == 0:
        return Distribution(name, unknown=unknown)
    values = np.asarray(known.cast(pa.int64()).to_numpy(), dtype="int64")
    values = np.clip(values, 0, None)  # a negative count is not a count: drawn with the zeros
    # bin 0 holds 0, bin k >= 1 holds [2^(k-1), 2^k)
    bins = np.where(values > 0, np.floor(np.log2(np.maximum(values, 1))).astype("int64") + 1, 0)
    counts = np.bincount(bins)
    labels = [bin_label(k) for k in range(len(counts))]
    return Distribution(
        name,
        labels=labels,
        counts=[int(n) for n in counts],
        unknown=unknown,
        median=float(np.median(values)),
    )


def bin_label(k: int) -> str:
    """0, 1, 2-3, ..., 512-1023, then rounded thousands: 1k-2k, 2k-4k, ..., 16k-33k."""
    if k == 0:
        return "0"
    low, high = 2 ** (k - 1), 2**k - 1
    if low == high:
        return str(low)
    if high < 1024:
        return f"{low}-{high}"
    return f"{short_number(low)}-{short_number(high + 1)}"


def short_number(n: int) -> str:
    """1024 -> '1k', 32768 -> '33k', 2097152 -> '2.1M': bin labels that fit under a bar."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"
