"""The time of an event, in epoch milliseconds.

``tweet_time`` in Twitter's releases has minutes only, far too coarse for a 60-second window;
a tweet id after November 2010 is a snowflake holding its creation time in milliseconds. The
snowflake time is used where it agrees with ``tweet_time`` to the minute (then the id is a
real snowflake of that tweet), else ``tweet_time`` (old ids, ids that are not snowflakes, a
release whose ids were rewritten). Milliseconds as integers, not seconds as floats: whether two
tweets exactly a window apart count must not depend on rounding.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SNOWFLAKE_EPOCH_MS = 1288834974657  # Twitter's epoch: the time of a snowflake id 0
TIMESTAMP_SHIFT = 22  # the low bits of a snowflake are worker and sequence numbers
MINUTE_MS = 60_000
_DIGITS = r"^[0-9]{1,19}$"

TIME_RULE = (
    "Times: the tweet id's snowflake time (milliseconds) where it agrees with tweet_time to "
    "the minute, else tweet_time (minutes only: old or non-snowflake ids)."
)


def snowflake_ms(tweetid: str) -> int | None:
    """The time in a tweet id read as a snowflake (None for an id that is not a number)."""
    if not tweetid.isascii() or not tweetid.isdigit() or len(tweetid) > 19:
        return None
    return (int(tweetid) >> TIMESTAMP_SHIFT) + SNOWFLAKE_EPOCH_MS


def event_time_ms_of(tweetid: str, time_s: int | None) -> int | None:
    """One tweet's event time (see the module docstring); None without a ``tweet_time``."""
    if time_s is None:
        return None
    snowflake = snowflake_ms(tweetid)
    if snowflake is not None and snowflake // MINUTE_MS == time_s // 60:
        return snowflake
    return time_s * 1000


def event_time_ms(
    tweetid: pa.Array | pa.ChunkedArray, time_s: pa.Array | pa.ChunkedArray
) -> np.ndarray:
    """``event_time_ms_of`` for columns of ids (text) and ``time_s`` (no nulls: callers drop
    tweets without a time first); int64 milliseconds."""
    ids = pc.cast(tweetid, pa.string())
    seconds = np.asarray(pc.cast(time_s, pa.int64()).to_numpy(zero_copy_only=False), np.int64)
    numeric = np.asarray(
        pc.fill_null(pc.match_substring_regex(ids, _DIGITS), False).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    as_number = pc.if_else(pa.array(numeric), ids, pa.scalar("0"))
    raw = np.asarray(pc.cast(as_number, pa.uint64()).to_numpy(zero_copy_only=False), np.uint64)
    snowflake = (raw >> np.uint64(TIMESTAMP_SHIFT)).astype(np.int64) + SNOWFLAKE_EPOCH_MS
    agrees = numeric & (snowflake // MINUTE_MS == seconds // 60)
    return np.where(agrees, snowflake, seconds * 1000)
