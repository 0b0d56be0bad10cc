"""Raw string columns -> validated, typed graph tables for one chunk, vectorised with Arrow.

Each check yields a per-row "bad" mask; a row failing any check goes to the quarantine with the
first reason that applies and its raw fields, and everything else about a good row is kept,
including retweets whose original lies outside the release.

Every good row also gets a fingerprint of its content (``Copies``): when an id comes again, in
the same chunk, a later chunk or file, or a later load, the graph writer tells an exact copy
(already present) from a conflicting one (quarantined, naming the copy that was kept).
"""

from __future__ import annotations

import hashlib
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import node_table
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.timestamps import iso_utc
from infoops.loaders.twitter_io import fields
from infoops.loaders.twitter_io.reader import RawChunk

_DIGITS = r"^[0-9]+$"
_FLOAT_DAMAGED = r"^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$|^[0-9]+\.0+$"
_NUMBER = r"^-?[0-9]+(\.[0-9]*)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_SIMPLE_QUOTED_LIST = r"^\['[^'\\]*'(, '[^'\\]*')*\]$"
_SIMPLE_NUMBER_LIST = r"^\[[0-9]+(, ?[0-9]+)*\]$"
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%MZ")
_REFERENCED_IDS = (
    "retweet_userid",
    "retweet_tweetid",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
)


# What "the same content" means for two rows with one id: what the loader keeps of a row, as it
# normalises it ('3.0' and '3' are the same count, 'absent' and '' the same coordinate). That is
# the node properties it writes, except the key, properties derived from others (time from
# time_s; screen_name_lc, hashed and created_s) and in_disclosure (true for every released row).
# Columns the loader does not keep do not count, nor do the edges a row makes (retweet, reply and
# quote targets, hashtags, urls, mentions): the graph holds those apart from the node, comparing
# them with a later load would cost a query per edge type, and hashtags, urls and mentions come
# from the text, which counts. A tweets row's user columns are the account's, not the tweet's.
TWEET_CONTENT = (
    "userid",
    "text",
    "time_s",
    "lang",
    "client",
    "likes",
    "retweets",
    "replies",
    "quotes",
    "is_retweet",
    "latitude",
    "longitude",
    "poll_choices",
)
ACCOUNT_CONTENT = (
    "screen_name",
    "display_name",
    "location",
    "description",
    "url",
    "followers",
    "following",
    "created_at",
    "language",
)
# Fingerprints are compared within one process and never stored. Python's own string hash is
# SipHash keyed per process, so a hostile file cannot be crafted for two different rows to hash
# alike; where PYTHONHASHSEED fixes that key, a BLAKE2b keyed here (ten times slower) is used.
_FINGERPRINT_KEY = secrets.token_bytes(16)


def _hashes(texts: list[str]) -> np.ndarray:
    if sys.flags.hash_randomization:
        return np.fromiter(map(hash, texts), dtype=np.int64, count=len(texts)).view(np.uint64)
    return np.fromiter(
        (
            int.from_bytes(
                hashlib.blake2b(text.encode(), digest_size=8, key=_FINGERPRINT_KEY).digest(),
                "little",
            )
            for text in texts
        ),
        dtype=np.uint64,
        count=len(texts),
    )


_FINGERPRINT_ROWS = 16_384  # rows hashed at a time: the joined text is a copy of the rows'


def content_fingerprints(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """A 64-bit fingerprint of ``columns`` per row (uint64). Rows from a chunk and rows read back
    from the graph fingerprint alike when their typed values are equal."""
    fingerprints = np.zeros(table.num_rows, dtype=np.uint64)
    for start in range(0, table.num_rows, _FINGERPRINT_ROWS):
        part = table.slice(start, _FINGERPRINT_ROWS)
        fingerprints[start : start + part.num_rows] = _fingerprint_rows(part, columns)
    return fingerprints


def _fingerprint_rows(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    pieces = []
    for name in columns:
        column = table.column(name)
        text = pc.cast(column, pa.string())
        if pa.types.is_string(column.type):
            # '<length>:<text>', so that no text can pass for a column boundary
            length = pc.cast(pc.utf8_length(text), pa.string())
            text = pc.binary_join_element_wise(length, text, ":")
        pieces.append(pc.fill_null(text, "-"))  # a number, a boolean or a length never reads "-"
    return _hashes(pc.binary_join_element_wise(*pieces, "|").to_pylist())


@dataclass
class Copies:
    """Every row of a chunk that passed the checks, in file order, for telling an id that comes
    again as an exact copy from a conflicting one. The first row of each id in the chunk is the
    one the records hold; the others are its repeats."""

    key: str  # "tweetid" or "userid", for messages
    keys: pa.Array
    fingerprints: np.ndarray  # content_fingerprints of each row
    first_of: np.ndarray  # position of the first row with the same key
    rows: np.ndarray  # index of each row in the chunk
    chunk: RawChunk
    quarantine: Quarantine

    @property
    def first(self) -> np.ndarray:
        """Whether each row is the first of its key in the chunk."""
        first: np.ndarray = self.first_of == np.arange(len(self.first_of))
        return first

    def line(self, position: int) -> int:
        return int(self.chunk.lines[int(self.rows[position])])

    def lines(self) -> np.ndarray:
        """The line where each row starts."""
        lines: np.ndarray = np.asarray(self.chunk.lines)[self.rows]
        return lines

    def reject(self, position: int, reason: str) -> None:
        row = int(self.rows[position])
        self.quarantine.reject(
            self.chunk.source.name, int(self.chunk.lines[row]), reason, self.chunk.record(row)
        )


def _copies(
    chunk: RawChunk,
    quarantine: Quarantine,
    good: np.ndarray,
    rows: pa.Table,
    key: str,
    columns: Sequence[str],
) -> Copies:
    """``rows``: the normalised table of the good rows of ``chunk`` (``good`` marks them), all
    of them, before keeping the first row per key."""
    keys = rows.column(key).combine_chunks()
    # Dictionary codes number the keys in the order they first appear: 0, 1, 2...
    codes = pc.dictionary_encode(keys).indices.to_numpy(zero_copy_only=False)
    _, first_index = np.unique(codes, return_index=True)
    return Copies(
        key=key,
        keys=keys,
        fingerprints=content_fingerprints(rows, columns),
        first_of=first_index[codes].astype(np.int64),
        rows=np.flatnonzero(good),
        chunk=chunk,
        quarantine=quarantine,
    )


def _empty_edges(*names: str) -> pa.Table:
    return pa.table({name: pa.array([], pa.string()) for name in names})


@dataclass
class ChunkRecords:
    """What one chunk contributes to the graph, as Arrow tables of the schema's columns."""

    accounts: pa.Table  # released accounts, one row per userid, Account columns
    tweets: pa.Table = field(default_factory=lambda: node_table("Tweet", {}))
    # tweetid, original tweetid, original author (null when the row left it empty), and the
    # screen name of the `RT @name:` prefix (null when the text has none)
    retweets: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst", "author", "name"))
    replies: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst", "author"))
    reply_users: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst"))
    quotes: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst"))
    mentions: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst"))
    tagged: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst", "spelling"))
    links: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst"))
    # Rows rejected for this chunk. The graph writer adds the rows it finds conflicting (the
    # loader reads this after writing the chunk), so the report reconciles.
    rejected: int = 0
    duplicates: int = 0  # rows repeating an id already seen in this chunk
    copies: Copies | None = None  # released rows of the chunk (users rows, tweets rows)


class _Checks:
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


def _col(chunk: RawChunk, name: str) -> pa.ChunkedArray:
    if name in chunk.table.column_names:
        return pc.utf8_trim_whitespace(chunk.table.column(name))
    return pa.chunked_array([pa.array([""] * chunk.table.num_rows, pa.string())])


def _raw(chunk: RawChunk, name: str) -> pa.ChunkedArray:
    if name in chunk.table.column_names:
        return chunk.table.column(name)
    return pa.chunked_array([pa.array([""] * chunk.table.num_rows, pa.string())])


def _null_if_empty(array: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _counts(array: pa.ChunkedArray) -> pa.ChunkedArray:
    """``'3.0'`` -> 3, empty -> null; callers have already rejected non-numbers."""
    as_float = pc.cast(_null_if_empty(array), pa.float64())
    return pc.cast(pc.floor(as_float), pa.int64())


def _not_a_number(values: pa.ChunkedArray, absent: tuple[str, ...] = ("",)) -> np.ndarray:
    """Rows whose value is neither absent nor a number. Casting all at once is the fast path;
    only when it fails are rows tested one pattern at a time."""
    present = pc.invert(pc.is_in(pc.utf8_lower(values), pa.array(list(absent))))
    candidates = values.filter(present)
    try:
        pc.cast(candidates, pa.float64())
        return np.zeros(len(values), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _np(pc.and_(present, pc.invert(pc.match_substring_regex(values, _NUMBER))))


def _float_damaged(values: pa.ChunkedArray) -> np.ndarray:
    """Ids turned into floats by a spreadsheet ('1.01421E+18', '1234.0'); hashes never match."""
    suspects = _np(
        pc.or_(pc.match_substring(values, "e+", ignore_case=True), pc.match_substring(values, "."))
    )
    if not suspects.any():
        return suspects
    return _np(pc.match_substring_regex(values, _FLOAT_DAMAGED))


def _account_checks(chunk: RawChunk, checks: _Checks) -> None:
    checks.add(pc.equal(_col(chunk, "userid"), ""), lambda i: "userid is empty")
    created = _col(chunk, "account_creation_date")
    created_day = pc.utf8_slice_codeunits(created, 0, 10)
    checks.add(
        pc.and_(pc.not_equal(created, ""), pc.invert(pc.match_substring_regex(created_day, _DATE))),
        lambda i: (
            f"account_creation_date is not YYYY-MM-DD: {checks.value('account_creation_date')(i)}"
        ),
    )
    for column in ("follower_count", "following_count"):
        checks.add(
            _not_a_number(_col(chunk, column)),
            lambda i, c=column: f"{c} is not a number: {checks.value(c)(i)}",  # type: ignore[misc]
        )


def _accounts_table(chunk: RawChunk, keep: pa.Array) -> pa.Table:
    """Released accounts from the users columns, first row per userid wins."""
    return first_per_key(_account_rows(chunk, keep), "userid")


def _account_rows(chunk: RawChunk, keep: pa.Array) -> pa.Table:
    """Released accounts from the users columns of the ``keep`` rows, one row each."""
    userid = _col(chunk, "userid").filter(keep)
    screen_name = _null_if_empty(_col(chunk, "user_screen_name").filter(keep))
    created = _null_if_empty(pc.utf8_slice_codeunits(_col(chunk, "account_creation_date"), 0, 10))
    created = created.filter(keep)
    created_s = pc.cast(
        pc.strptime(created, format="%Y-%m-%d", unit="s", error_is_null=True), pa.int64()
    )
    return node_table(
        "Account",
        {
            "userid": userid,
            "screen_name": screen_name,
            "screen_name_lc": pc.utf8_lower(screen_name),
            "display_name": _null_if_empty(_raw(chunk, "user_display_name").filter(keep)),
            "hashed": pc.invert(pc.utf8_is_digit(userid)),
            "in_disclosure": pa.array(np.ones(len(userid), dtype=bool)),
            "location": _null_if_empty(_raw(chunk, "user_reported_location").filter(keep)),
            "description": _null_if_empty(_raw(chunk, "user_profile_description").filter(keep)),
            "url": _null_if_empty(_col(chunk, "user_profile_url").filter(keep)),
            "followers": _counts(_col(chunk, "follower_count").filter(keep)),
            "following": _counts(_col(chunk, "following_count").filter(keep)),
            "created_at": created,
            "created_s": created_s,
            "language": _null_if_empty(pc.utf8_lower(_col(chunk, "account_language").filter(keep))),
        },
    )


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
    checks = _Checks(chunk)
    _account_checks(chunk, checks)
    rejected = checks.quarantine(quarantine)
    keep = pa.array(~checks.bad)
    rows = _account_rows(chunk, keep)
    copies = _copies(chunk, quarantine, ~checks.bad, rows, "userid", ACCOUNT_CONTENT)
    accounts = rows.take(pa.array(np.flatnonzero(copies.first)))
    return ChunkRecords(
        accounts=accounts,
        rejected=rejected,
        duplicates=chunk.table.num_rows - rejected - accounts.num_rows,
        copies=copies,
    )


def _parse_times(values: pa.ChunkedArray) -> pa.ChunkedArray:
    parsed = pc.strptime(values, format=_TIME_FORMATS[0], unit="s", error_is_null=True)
    for time_format in _TIME_FORMATS[1:]:
        parsed = pc.coalesce(
            parsed, pc.strptime(values, format=time_format, unit="s", error_is_null=True)
        )
    return parsed


def _list_items(
    values: pa.ChunkedArray, checks: _Checks, column: str
) -> tuple[np.ndarray, list[str]]:
    """Python-list text per row -> (row index of each item, items). Bad lists are rejected."""
    empty = _np(pc.or_(pc.equal(values, ""), pc.equal(values, "[]")))
    quoted = _np(pc.match_substring_regex(values, _SIMPLE_QUOTED_LIST))
    numbers = _np(pc.match_substring_regex(values, _SIMPLE_NUMBER_LIST))
    rows: list[np.ndarray] = []
    items: list[str] = []
    for mask, strip, separator in ((quoted, 2, "', '"), (numbers, 1, None)):
        if not mask.any():
            continue
        indices = np.flatnonzero(mask)
        selected = values.take(pa.array(indices))
        inner = pc.utf8_slice_codeunits(selected, strip, -strip)
        split = (
            pc.split_pattern(inner, separator)
            if separator
            else pc.split_pattern_regex(inner, r",\s*")
        )
        rows.append(indices[pc.list_parent_indices(split).to_numpy()])
        items += pc.list_flatten(split).to_pylist()
    # Anything else (escaped quotes, double quotes, odd spacing) goes through the slow parser.
    unusual = np.flatnonzero(~(empty | quoted | numbers))
    failed = np.zeros(len(values), dtype=bool)
    slow_rows: list[int] = []
    for index in unusual:
        text = values[int(index)].as_py()
        try:
            parsed = fields.parse_list(text)
        except ValueError:
            failed[index] = True
            continue
        slow_rows += [int(index)] * len(parsed)
        items += parsed
    rows.append(np.array(slow_rows, dtype=np.int64))
    checks.add(failed, lambda i: f"{column} is not a list: {checks.value(column)(i)}")
    return np.concatenate(rows) if rows else np.array([], dtype=np.int64), items


def parse_tweets_chunk(chunk: RawChunk, quarantine: Quarantine) -> ChunkRecords:
    checks = _Checks(chunk)
    tweetid = _col(chunk, "tweetid")
    checks.add(
        _float_damaged(tweetid),
        lambda i: f"tweetid was damaged by float conversion: {checks.value('tweetid')(i)}",
    )
    checks.add(
        pc.invert(pc.utf8_is_digit(tweetid)),
        lambda i: f"tweetid is not a numeric id: {checks.value('tweetid')(i)}",
    )
    _account_checks(chunk, checks)
    times = _parse_times(_col(chunk, "tweet_time"))
    checks.add(
        pc.is_null(times),
        lambda i: f"tweet_time is not YYYY-MM-DD HH:MM: {checks.value('tweet_time')(i)}",
    )
    retweet_flag = pc.utf8_lower(_col(chunk, "is_retweet"))
    checks.add(
        pc.invert(pc.is_in(retweet_flag, pa.array(["true", "false", "1", "0", "t", "f", ""]))),
        lambda i: f"is_retweet is not True/False: {checks.value('is_retweet')(i)}",
    )
    for column in ("like_count", "retweet_count", "reply_count", "quote_count"):
        checks.add(
            _not_a_number(_col(chunk, column)),
            lambda i, c=column: f"{c} is not a number: {checks.value(c)(i)}",  # type: ignore[misc]
        )
    for column in ("latitude", "longitude"):
        checks.add(
            _not_a_number(_col(chunk, column), ("", "absent")),
            lambda i, c=column: f"{c} is not a number or 'absent': {checks.value(c)(i)}",  # type: ignore[misc]
        )
    for column in _REFERENCED_IDS:
        checks.add(
            _float_damaged(_col(chunk, column)),
            lambda i, c=column: f"{c} was damaged by float conversion: {checks.value(c)(i)}",  # type: ignore[misc]
        )
    list_items = {
        column: _list_items(_col(chunk, column), checks, column)
        for column in ("hashtags", "urls", "user_mentions")
    }
    rejected = checks.quarantine(quarantine)
    good = ~checks.bad
    keep = pa.array(good)

    def kept(name: str) -> pa.ChunkedArray:
        return _col(chunk, name).filter(keep)

    ids = kept("tweetid")
    time_kept = times.filter(keep)
    flag = retweet_flag.filter(keep)
    retweet_tweetid = _null_if_empty(kept("retweet_tweetid"))
    is_retweet = pc.if_else(
        pc.equal(flag, ""),
        pc.is_valid(retweet_tweetid),
        pc.is_in(flag, pa.array(["true", "1", "t"])),
    )
    coordinates = {
        name: pc.cast(
            pc.if_else(
                pc.is_in(pc.utf8_lower(kept(name)), pa.array(["", "absent"])),
                pa.scalar(None, pa.string()),
                kept(name),
            ),
            pa.float64(),
        )
        for name in ("latitude", "longitude")
    }
    text = _raw(chunk, "tweet_text").filter(keep)
    tweets = node_table(
        "Tweet",
        {
            "tweetid": ids,
            "userid": kept("userid"),
            "text": text,
            "time": iso_utc(time_kept),
            "time_s": pc.cast(time_kept, pa.int64()),
            "lang": _null_if_empty(pc.utf8_lower(kept("tweet_language"))),
            "client": _null_if_empty(kept("tweet_client_name")),
            "likes": _counts(kept("like_count")),
            "retweets": _counts(kept("retweet_count")),
            "replies": _counts(kept("reply_count")),
            "quotes": _counts(kept("quote_count")),
            "is_retweet": is_retweet,
            "in_disclosure": pa.array(np.ones(len(ids), dtype=bool)),
            "latitude": coordinates["latitude"],
            "longitude": coordinates["longitude"],
            "poll_choices": _null_if_empty(_raw(chunk, "poll_choices").filter(keep)),
        },
    )
    copies = _copies(chunk, quarantine, good, tweets, "tweetid", TWEET_CONTENT)
    unique_rows = np.flatnonzero(copies.first)
    tweets = tweets.take(pa.array(unique_rows))
    records = ChunkRecords(
        accounts=_accounts_table(chunk, keep),
        tweets=tweets,
        rejected=rejected,
        duplicates=len(ids) - tweets.num_rows,
        copies=copies,
    )
    # Edges come from the first row of each tweet id only, like the tweet itself.
    first = np.zeros(len(ids), dtype=bool)
    first[unique_rows] = True
    first_mask = pa.array(first)

    def edge(dst_column: str, *extra: tuple[str, pa.ChunkedArray]) -> pa.Table:
        dst = _null_if_empty(kept(dst_column))
        present = pc.and_(pc.is_valid(dst), first_mask)
        table = pa.table({"src": ids, "dst": dst, **dict(extra)})
        return table.filter(present)

    retweet_author = _null_if_empty(kept("retweet_userid"))
    prefix_name = pc.struct_field(pc.extract_regex(text, r"^RT @(?P<name>[^\s:]+):"), "name")
    records.retweets = edge(
        "retweet_tweetid",
        ("author", retweet_author),
        ("name", prefix_name),  # the retweeted author's screen name, from `RT @name:`
    )
    records.replies = edge(
        "in_reply_to_tweetid", ("author", _null_if_empty(kept("in_reply_to_userid")))
    )
    records.reply_users = edge("in_reply_to_userid")
    records.quotes = edge("quoted_tweet_tweetid")

    # List columns: map item rows (indices into the full chunk) to kept-row tweet ids.
    first_full = np.zeros(len(good), dtype=bool)
    first_full[np.flatnonzero(good)[unique_rows]] = True
    all_ids = tweetid.to_numpy(zero_copy_only=False)

    def list_edges(column: str) -> tuple[np.ndarray, list[str]]:
        rows, items = list_items[column]
        mask = first_full[rows] if len(rows) else np.array([], dtype=bool)
        values = [item for item, ok in zip(items, mask, strict=True) if ok]
        return all_ids[rows[mask]], values

    src, tags = list_edges("hashtags")
    spellings = [tag.strip().lstrip("#") for tag in tags]
    tagged = pa.table(
        {
            "src": pa.array(src, pa.string()),
            "dst": pa.array([s.lower() for s in spellings], pa.string()),
            "spelling": pa.array(spellings, pa.string()),
        }
    )
    records.tagged = _distinct_edges(tagged.filter(pc.not_equal(tagged.column("dst"), "")))
    src, urls = list_edges("urls")
    links = pa.table(
        {"src": pa.array(src, pa.string()), "dst": pa.array([u.strip() for u in urls], pa.string())}
    )
    records.links = _distinct_edges(links.filter(pc.not_equal(links.column("dst"), "")))
    src, mentioned = list_edges("user_mentions")
    mentions = pa.table(
        {
            "src": pa.array(src, pa.string()),
            "dst": pa.array([m.strip() for m in mentioned], pa.string()),
        }
    )
    records.mentions = _distinct_edges(mentions.filter(pc.not_equal(mentions.column("dst"), "")))
    return records


def _distinct_edges(table: pa.Table) -> pa.Table:
    """One edge per (src, dst); extra columns keep the first row's value."""
    return table.take(pa.array(first_rows(table, ["src", "dst"])))
