"""The columnar core of every kind: which keys several disclosures share, and how each
disclosure uses them (uses, accounts, first and last time, the first rows as evidence).

A kind hands over, per disclosure, a table of uses (``key``, ``tweetid``); the tweets of the
disclosure (``tweetid``, ``userid``, ``time_s``) give each use its author and time. All of it is
Arrow group-bys and joins, whatever the size of the disclosures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import Evidence, Presence, SharedItem, iso_time


def shared_keys(present: Mapping[str, pa.Array | pa.ChunkedArray]) -> pa.Array:
    """The keys found in at least two of the disclosures (``present``: each one's keys)."""
    parts = [pc.unique(pc.drop_null(keys)) for keys in present.values()]
    if not parts:
        return pa.array([], pa.string())
    together = pa.chunked_array(parts, pa.string()).combine_chunks()
    counts = pc.value_counts(together)
    several = pc.greater_equal(counts.field("counts"), 2)
    return counts.field("values").filter(several)


def presences(
    uses: pa.Table, tweets: pa.Table, keys: pa.Array, evidence: int
) -> dict[str, Presence]:
    """Each of ``keys`` in one disclosure: its uses (rows of ``uses`` with that key) counted,
    timed and the first ``evidence`` of them listed. A key without uses gets zeros."""
    mine = uses.filter(pc.is_in(uses.column("key"), value_set=keys))
    joined = mine.join(tweets, "tweetid", join_type="left outer", use_threads=False)
    stats = joined.group_by("key", use_threads=False).aggregate(
        [
            ("tweetid", "count_distinct"),
            ("userid", "count_distinct"),
            ("time_s", "min"),
            ("time_s", "max"),
        ]
    )
    found: dict[str, Presence] = {}
    for key, n_tweets, n_accounts, first, last in zip(
        stats.column("key").to_pylist(),
        stats.column("tweetid_count_distinct").to_pylist(),
        stats.column("userid_count_distinct").to_pylist(),
        stats.column("time_s_min").to_pylist(),
        stats.column("time_s_max").to_pylist(),
        strict=True,
    ):
        found[key] = Presence(n_tweets, n_accounts, iso_time(first), iso_time(last))
    for row in _first_rows(joined, evidence):
        found[str(row["key"])].evidence.append(
            Evidence(row["tweetid"], row["userid"], iso_time(row["time_s"]))
        )
    for key in keys.to_pylist():
        found.setdefault(key, Presence(0, 0, None, None))
    return found


def _first_rows(joined: pa.Table, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` rows of every key, by time then tweet id."""
    if not joined.num_rows or limit <= 0:
        return []
    ordered = joined.sort_by(
        [("key", "ascending"), ("time_s", "ascending"), ("tweetid", "ascending")]
    )
    keys = ordered.column("key").combine_chunks()
    n = len(keys)
    change = np.ones(n, dtype=bool)
    if n > 1:
        change[1:] = np.asarray(
            pc.not_equal(keys.slice(1), keys.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        )
    starts = np.flatnonzero(change)
    group = np.cumsum(change) - 1
    rank = np.arange(n) - starts[group]
    kept = ordered.filter(pa.array(rank < limit))
    rows: list[dict[str, Any]] = kept.select(["key", "tweetid", "userid", "time_s"]).to_pylist()
    return rows


def shared_items(
    ctx: CrossrefContext,
    uses: Mapping[str, pa.Table],
    present: Mapping[str, pa.Array | pa.ChunkedArray] | None = None,
) -> list[SharedItem]:
    """Items for the keys that several disclosures hold. ``uses``: per disclosure, rows
    (``key``, ``tweetid``); ``present``: the keys each holds when that is more than the keys
    used (accounts without tweets)."""
    if present is None:
        present = {d: table.column("key") for d, table in uses.items()}
    shared = shared_keys(present)
    by_key: dict[str, dict[str, Presence]] = {}
    if len(shared):
        for disclosure in ctx.disclosures:
            here = pc.unique(pc.drop_null(present[disclosure]))
            keys = shared.filter(pc.is_in(shared, value_set=here))
            if not len(keys):
                continue
            tweets = ctx.table("tweets", disclosure)
            found = presences(uses[disclosure], tweets, keys, ctx.evidence)
            for key, presence in found.items():
                by_key.setdefault(key, {})[disclosure] = presence
    return sort_items([SharedItem(key, presence) for key, presence in by_key.items()])


def sort_items(items: list[SharedItem]) -> list[SharedItem]:
    """Most used first, then by key."""
    return sorted(items, key=lambda item: (-sum(p.uses for p in item.presence.values()), item.key))


def uses_table(keys: pa.Array | pa.ChunkedArray, tweetids: pa.Array | pa.ChunkedArray) -> pa.Table:
    return pa.table({"key": pc.cast(keys, pa.string()), "tweetid": pc.cast(tweetids, pa.string())})
