"""Raw string columns -> validated, typed graph tables for one chunk, vectorised with Arrow.

Each check yields a per-row "bad" mask; a row failing any check goes to the quarantine with the
first reason that applies and its raw fields, and everything else about a good row is kept,
including retweets whose original lies outside the release.

Every good row also gets a fingerprint of its content (fingerprints.py), stored on its node:
when an id comes again, in the same chunk, a later chunk or file, or a later load, the graph
writer tells an exact copy (already present) from a conflicting one (quarantined, naming the
copy that was kept). A tweets chunk's edges are built later, for the tweets the graph writer
loads only (tweet_edges.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import node_table
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.timestamps import iso_utc
from infoops.loaders.twitter_io.fingerprints import (
    ACCOUNT_CONTENT,
    TWEET_CONTENT,
    Copies,
    fingerprint_column,
)
from infoops.loaders.twitter_io.reader import RawChunk
from infoops.loaders.twitter_io.tweet_edges import (
    ListColumn,
    TweetEdges,
    TweetEdgeSource,
    null_if_empty,
)

_FLOAT_DAMAGED = r"^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$|^[0-9]+\.0+$"
_NUMBER = r"^-?[0-9]+(\.[0-9]*)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%MZ")
_REFERENCED_IDS = (
    "retweet_userid",
    "retweet_tweetid",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
)
_LISTS = ("hashtags", "urls", "user_mentions")
_ABSENT_PLACE = ("", "absent")  # coordinates of a tweet without any


@dataclass
class ChunkRecords:
    """What one chunk contributes to the graph, as Arrow tables of the schema's columns."""

    accounts: pa.Table  # released accounts, one row per userid, Account columns
    tweets: pa.Table | None = None  # released tweets, one row per tweetid, Tweet columns
    # Rows rejected for this chunk. The graph writer adds the rows it finds conflicting (the
    # pipeline reads this after staging the chunk), so the report reconciles.
    rejected: int = 0
    duplicates: int = 0  # rows repeating an id already seen in this chunk
    copies: Copies | None = None  # released rows of the chunk (users rows, tweets rows)
    edge_source: TweetEdgeSource | None = None  # what the tweets' edges are built from

    def edges(self, loadable: np.ndarray) -> TweetEdges:
        """The edges of the tweets marked ``loadable`` (a mask over ``tweets``' rows)."""
        if self.edge_source is None:
            return TweetEdges()
        return self.edge_source.build(loadable)


class _Columns:
    """A chunk's columns, each trimmed once however often the checks ask for it."""

    def __init__(self, chunk: RawChunk) -> None:
        self.chunk = chunk
        self._trimmed: dict[str, pa.ChunkedArray] = {}

    def trimmed(self, name: str) -> pa.ChunkedArray:
        if name not in self._trimmed:
            self._trimmed[name] = pc.utf8_trim_whitespace(self.raw(name))
        return self._trimmed[name]

    def raw(self, name: str) -> pa.ChunkedArray:
        if name in self.chunk.table.column_names:
            return self.chunk.table.column(name)
        return pa.chunked_array([pa.array([""] * self.chunk.table.num_rows, pa.string())])


class RowChecks:
    """Collects (bad mask, reason builder) pairs and quarantines the failures in order."""

    def __init__(self, chunk: RawChunk) -> None:
        self.chunk = chunk
        self.rows = chunk.table.num_rows
        self.bad = np.zeros(self.rows, dtype=bool)
        self.reasons: list[tuple[np.ndarray, Callable[[int], str]]] = []

    def add(self, mask: pa.Array | np.ndarray, reason: Callable[[int], str]) -> None:
        array = mask if isinstance(mask, np.ndarray) else _np(mask)
        array = array & ~self.bad  # the first failing check gives the reason
        if array.any():
            self.reasons.append((array, reason))
            self.bad |= array

    def quarantine(self, quarantine: Quarantine) -> int:
        failures = []
        for mask, reason in self.reasons:
            failures += [(int(i), reason(int(i))) for i in np.flatnonzero(mask)]
        for index, why in sorted(failures):
            quarantine.reject(
                self.chunk.source.name,
                int(self.chunk.lines[index]),
                why,
                self.chunk.record(index),
            )
        return len(failures)

    def value(self, column: str) -> Callable[[int], str]:
        data = self.chunk.table.column(column)
        return lambda index: repr(data[index].as_py())


def _np(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def parse_numbers(
    values: pa.ChunkedArray, absent: tuple[str, ...] = ("",)
) -> tuple[np.ndarray, pa.ChunkedArray | None]:
    """(rows whose value is neither absent nor a number, the values as float64 with absent ones
    null). Casting all at once is the fast path; only when it fails, or makes a value that is
    not finite ('nan'), are rows tested one pattern at a time (the floats are then None)."""
    if absent == ("",):
        missing = pc.equal(values, "")
    else:
        missing = pc.is_in(pc.utf8_lower(values), pa.array(list(absent)))
    as_null = pc.if_else(missing, pa.scalar(None, pa.string()), values)
    try:
        floats = pc.cast(as_null, pa.float64())
        if pc.all(pc.fill_null(pc.is_finite(floats), True)).as_py():
            return np.zeros(len(values), dtype=bool), floats
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    bad = pc.and_(pc.invert(missing), pc.invert(pc.match_substring_regex(values, _NUMBER)))
    return _np(bad), None


def _counts(floats: pa.ChunkedArray) -> pa.ChunkedArray:
    """``3.0`` -> 3 (a count may be written as a float); null stays null."""
    return pc.cast(pc.floor(floats), pa.int64())


def float_damaged(values: pa.ChunkedArray, digits: pa.ChunkedArray | None = None) -> np.ndarray:
    """Ids turned into floats by a spreadsheet ('1.01421E+18', '1234.0'); hashes never match.
    Only values that are neither empty nor all digits can be: the pattern runs on none else."""
    if digits is None:
        digits = pc.utf8_is_digit(values)
    suspects = _np(pc.and_(pc.invert(digits), pc.not_equal(values, "")))
    if not suspects.any():
        return suspects
    return _np(pc.match_substring_regex(values, _FLOAT_DAMAGED))


def _account_checks(columns: _Columns, checks: RowChecks) -> dict[str, pa.ChunkedArray | None]:
    """Checks of the user columns; returns the follower and following counts as floats (None
    when the fast path could not read them)."""
    checks.add(pc.equal(columns.trimmed("userid"), ""), lambda i: "userid is empty")
    created = columns.trimmed("account_creation_date")
    created_day = pc.utf8_slice_codeunits(created, 0, 10)
    checks.add(
        pc.and_(pc.not_equal(created, ""), pc.invert(pc.match_substring_regex(created_day, _DATE))),
        lambda i: (
            f"account_creation_date is not YYYY-MM-DD: {checks.value('account_creation_date')(i)}"
        ),
    )
    floats = {}
    for column in ("follower_count", "following_count"):
        bad, floats[column] = parse_numbers(columns.trimmed(column))
        checks.add(
            bad,
            lambda i, c=column: f"{c} is not a number: {checks.value(c)(i)}",  # type: ignore[misc]
        )
    return floats


def _float_column(
    columns: _Columns,
    name: str,
    floats: dict[str, pa.ChunkedArray | None],
    keep: pa.Array,
    absent: tuple[str, ...] = ("",),
) -> pa.ChunkedArray:
    """The kept rows of a checked number column as float64 (absent values null)."""
    parsed = floats.get(name)
    if parsed is not None:
        return parsed.filter(keep)
    # The slow path checked it: every kept value is a number or absent.
    values = columns.trimmed(name).filter(keep)
    missing = pc.is_in(pc.utf8_lower(values), pa.array(list(absent)))
    return pc.cast(pc.if_else(missing, pa.scalar(None, pa.string()), values), pa.float64())


def _account_rows(
    columns: _Columns, keep: pa.Array, floats: dict[str, pa.ChunkedArray | None]
) -> pa.Table:
    """Released accounts from the users columns of the ``keep`` rows, one row each."""
    userid = columns.trimmed("userid").filter(keep)
    screen_name = null_if_empty(columns.trimmed("user_screen_name").filter(keep))
    created = columns.trimmed("account_creation_date").filter(keep)
    created = null_if_empty(pc.utf8_slice_codeunits(created, 0, 10))
    created_s = pc.cast(
        pc.strptime(created, format="%Y-%m-%d", unit="s", error_is_null=True), pa.int64()
    )
    return node_table(
        "Account",
        {
            "userid": userid,
            "screen_name": screen_name,
            "screen_name_lc": pc.utf8_lower(screen_name),
            "display_name": null_if_empty(columns.raw("user_display_name").filter(keep)),
            "hashed": pc.invert(pc.utf8_is_digit(userid)),
            "in_disclosure": pa.array(np.ones(len(userid), dtype=bool)),
            "location": null_if_empty(columns.raw("user_reported_location").filter(keep)),
            "description": null_if_empty(columns.raw("user_profile_description").filter(keep)),
            "url": null_if_empty(columns.trimmed("user_profile_url").filter(keep)),
            "followers": _counts(_float_column(columns, "follower_count", floats, keep)),
            "following": _counts(_float_column(columns, "following_count", floats, keep)),
            "created_at": created,
            "created_s": created_s,
            "language": null_if_empty(
                pc.utf8_lower(columns.trimmed("account_language")).filter(keep)
            ),
        },
    )


def with_fingerprints(table: pa.Table, fingerprints: np.ndarray) -> pa.Table:
    """``table`` with its ``fingerprint`` column set."""
    index = table.column_names.index("fingerprint")
    return table.set_column(index, "fingerprint", fingerprint_column(fingerprints))


def first_per_key(table: pa.Table, key: str) -> pa.Table:
    """Keep the first row of each distinct ``key`` (Arrow has no drop_duplicates)."""
    return table.take(pa.array(first_rows(table, [key])))


def first_rows(table: pa.Table, keys: list[str]) -> np.ndarray:
    """Sorted row numbers of the first row of each distinct combination of ``keys``."""
    if table.num_rows == 0:
        return np.array([], dtype=np.int64)
    indexed = table.select(keys).append_column("_row", pa.array(np.arange(table.num_rows)))
    firsts = indexed.group_by(keys, use_threads=False).aggregate([("_row", "min")])
    return np.sort(firsts.column("_row_min").to_numpy())


def parse_users_chunk(chunk: RawChunk, quarantine: Quarantine) -> ChunkRecords:
    columns = _Columns(chunk)
    checks = RowChecks(chunk)
    floats = _account_checks(columns, checks)
    rejected = checks.quarantine(quarantine)
    keep = pa.array(~checks.bad)
    rows = _account_rows(columns, keep, floats)
    copies = Copies.of(chunk, quarantine, ~checks.bad, rows, "userid", ACCOUNT_CONTENT)
    first = np.flatnonzero(copies.first)
    accounts = with_fingerprints(rows.take(pa.array(first)), copies.fingerprints[first])
    return ChunkRecords(
        accounts=accounts,
        rejected=rejected,
        duplicates=chunk.table.num_rows - rejected - accounts.num_rows,
        copies=copies,
    )


def _parse_times(values: pa.ChunkedArray) -> pa.Array:
    """Timestamps in the first format that reads them (the others are tried on the rest)."""
    text = values.combine_chunks()
    parsed = pc.strptime(text, format=_TIME_FORMATS[0], unit="s", error_is_null=True)
    for time_format in _TIME_FORMATS[1:]:
        missing = pc.is_null(parsed)
        if not pc.any(missing).as_py():
            break
        again = pc.strptime(text.filter(missing), format=time_format, unit="s", error_is_null=True)
        parsed = pc.replace_with_mask(parsed, missing, again)
    return parsed


def parse_tweets_chunk(chunk: RawChunk, quarantine: Quarantine) -> ChunkRecords:
    columns = _Columns(chunk)
    checks = RowChecks(chunk)
    tweetid = columns.trimmed("tweetid")
    tweetid_digits = pc.utf8_is_digit(tweetid)
    checks.add(
        float_damaged(tweetid, tweetid_digits),
        lambda i: f"tweetid was damaged by float conversion: {checks.value('tweetid')(i)}",
    )
    checks.add(
        pc.invert(tweetid_digits),
        lambda i: f"tweetid is not a numeric id: {checks.value('tweetid')(i)}",
    )
    floats = _account_checks(columns, checks)
    times = _parse_times(columns.trimmed("tweet_time"))
    checks.add(
        pc.is_null(times),
        lambda i: f"tweet_time is not YYYY-MM-DD HH:MM: {checks.value('tweet_time')(i)}",
    )
    retweet_flag = pc.utf8_lower(columns.trimmed("is_retweet"))
    checks.add(
        pc.invert(pc.is_in(retweet_flag, pa.array(["true", "false", "1", "0", "t", "f", ""]))),
        lambda i: f"is_retweet is not True/False: {checks.value('is_retweet')(i)}",
    )
    for column in ("like_count", "retweet_count", "reply_count", "quote_count"):
        bad, floats[column] = parse_numbers(columns.trimmed(column))
        checks.add(
            bad,
            lambda i, c=column: f"{c} is not a number: {checks.value(c)(i)}",  # type: ignore[misc]
        )
    for column in ("latitude", "longitude"):
        bad, floats[column] = parse_numbers(columns.trimmed(column), _ABSENT_PLACE)
        checks.add(
            bad,
            lambda i, c=column: f"{c} is not a number or 'absent': {checks.value(c)(i)}",  # type: ignore[misc]
        )
    for column in _REFERENCED_IDS:
        checks.add(
            float_damaged(columns.trimmed(column)),
            lambda i, c=column: f"{c} was damaged by float conversion: {checks.value(c)(i)}",  # type: ignore[misc]
        )
    lists = {}
    for column in _LISTS:
        lists[column] = ListColumn.check(columns.trimmed(column))
        checks.add(
            lists[column].failed,
            lambda i, c=column: f"{c} is not a list: {checks.value(c)(i)}",  # type: ignore[misc]
        )
    rejected = checks.quarantine(quarantine)
    good = ~checks.bad
    keep = pa.array(good)

    def kept(name: str) -> pa.ChunkedArray:
        return columns.trimmed(name).filter(keep)

    ids = kept("tweetid")
    time_kept = times.filter(keep)
    flag = retweet_flag.filter(keep)
    is_retweet = pc.if_else(
        pc.equal(flag, ""),
        pc.is_valid(null_if_empty(kept("retweet_tweetid"))),
        pc.is_in(flag, pa.array(["true", "1", "t"])),
    )
    tweets = node_table(
        "Tweet",
        {
            "tweetid": ids,
            "userid": kept("userid"),
            "text": columns.raw("tweet_text").filter(keep),
            "time": iso_utc(time_kept),
            "time_s": pc.cast(time_kept, pa.int64()),
            "lang": null_if_empty(pc.utf8_lower(kept("tweet_language"))),
            "client": null_if_empty(kept("tweet_client_name")),
            "likes": _counts(_float_column(columns, "like_count", floats, keep)),
            "retweets": _counts(_float_column(columns, "retweet_count", floats, keep)),
            "replies": _counts(_float_column(columns, "reply_count", floats, keep)),
            "quotes": _counts(_float_column(columns, "quote_count", floats, keep)),
            "is_retweet": is_retweet,
            "in_disclosure": pa.array(np.ones(len(ids), dtype=bool)),
            "latitude": _float_column(columns, "latitude", floats, keep, _ABSENT_PLACE),
            "longitude": _float_column(columns, "longitude", floats, keep, _ABSENT_PLACE),
            "poll_choices": null_if_empty(columns.raw("poll_choices").filter(keep)),
        },
    )
    copies = Copies.of(chunk, quarantine, good, tweets, "tweetid", TWEET_CONTENT)
    unique_rows = np.flatnonzero(copies.first)
    tweets = with_fingerprints(tweets.take(pa.array(unique_rows)), copies.fingerprints[unique_rows])
    # Their fingerprints are left to the graph writer, for the accounts it stages.
    accounts = first_per_key(_account_rows(columns, keep, floats), "userid")
    return ChunkRecords(
        accounts=accounts,
        tweets=tweets,
        rejected=rejected,
        duplicates=len(ids) - tweets.num_rows,
        copies=copies,
        # Edges come from the first row of each tweet id only, like the tweet itself.
        edge_source=TweetEdgeSource(
            column=columns.trimmed,
            raw=columns.raw,
            tweet_rows=np.flatnonzero(good)[unique_rows],
            lists=lists,
        ),
    )
