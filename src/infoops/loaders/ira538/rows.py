"""A chunk of 538 rows -> the Twitter records (twitter_io/records.py) of the same tweets.

The 538 columns are checked here, each failing row quarantined with its line, its raw fields
and a reason naming the 538 column. The rows that pass are rewritten as the columns of a Twitter
tweets file and parsed by Twitter's own ``parse_tweets_chunk``: ids, times, counts, copies,
fingerprints and edges are then exactly the Twitter loader's. What the 538 set lacks is made
from what it has:

- no retweeted tweet id: a retweet whose text starts ``RT @name:`` points at a placeholder
  original keyed ``retweeted-by-<tweet_id>`` (one per retweet, so it never joins anything),
  whose author the Twitter writer resolves from the prefix as it does for an empty
  ``retweet_userid``: known screen name, else an account keyed ``@name``. AMPLIFIED follows.
  Retweets without the prefix (most of the set) and quote tweets name no original at all;
- no hashtag or mention lists: both are read from the text (Twitter's own lists come from its
  API); a mention is ``@name``, which the writer resolves to an account (writer.py);
- the links are the expanded ``tco1_step1..tco3_step1``;
- the account's ``account_category`` and ``account_type`` are set on the records' accounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.loaders.ira538.columns import COLUMN, LINK_COLUMNS
from infoops.loaders.ira538.languages import language_codes
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.twitter_io.columns import TWEET_COLUMNS
from infoops.loaders.twitter_io.reader import RawChunk
from infoops.loaders.twitter_io.records import (
    ChunkRecords,
    RowChecks,
    first_per_key,
    float_damaged,
    parse_numbers,
    parse_tweets_chunk,
)
from infoops.loaders.twitter_io.tweet_edges import null_if_empty

RETWEETED_BY = "retweeted-by-"  # key prefix of a retweet's unknown original (see above)
_PUBLISHED = (
    r"^(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})/(?P<year>[0-9]{4}) "
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})$"
)
_RT_PREFIX = r"^RT @[^\s:]+:"
# Twitter's rules: a handle is 1-15 word characters, a hashtag holds at least one letter; neither
# starts inside a word (an e-mail address, a URL fragment).
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d_]\w*)")


@dataclass
class _TwitterRows(RawChunk):
    """The rows of a 538 chunk that passed its checks, as a Twitter tweets chunk. A row the
    Twitter parser or writer quarantines is quarantined with its 538 fields."""

    original: RawChunk
    rows: np.ndarray  # row of ``original`` of each row

    def record(self, index: int) -> list[str]:
        return self.original.record(int(self.rows[index]))


def parse_ira538_chunk(chunk: RawChunk, quarantine: Quarantine) -> ChunkRecords:
    checks, published = _checked(chunk)
    rejected = checks.quarantine(quarantine)
    kept = np.flatnonzero(~checks.bad)
    twitter = _TwitterRows(
        chunk.source,
        chunk.kind,
        _as_twitter_tweets(chunk, pa.array(kept), published),
        chunk.lines[kept],
        chunk,
        kept,
    )
    records = parse_tweets_chunk(twitter, quarantine)
    records.rejected += rejected
    records.accounts = _with_labels(records.accounts, chunk, pa.array(kept))
    return records


def _trimmed(chunk: RawChunk, name: str) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(chunk.table.column(COLUMN[name]))


def _checked(chunk: RawChunk) -> tuple[RowChecks, pa.Array]:
    """The rows failing a check (the first failure gives the reason), and the publish dates."""
    checks = RowChecks(chunk)

    def shown(name: str):  # type: ignore[no-untyped-def]
        return checks.value(COLUMN[name])

    for name in ("tweet_id", "alt_external_id"):
        ids = _trimmed(chunk, name)
        digits = pc.utf8_is_digit(ids)
        checks.add(pc.equal(ids, ""), lambda i, c=name: f"{c} is empty")  # type: ignore[misc]
        checks.add(
            float_damaged(ids, digits),
            lambda i, c=name: f"{c} was damaged by float conversion: {shown(c)(i)}",  # type: ignore[misc]
        )
        checks.add(
            pc.invert(digits),
            lambda i, c=name: f"{c} is not a numeric id: {shown(c)(i)}",  # type: ignore[misc]
        )
    published = _published(_trimmed(chunk, "publish_date"))
    checks.add(
        pc.is_null(published),
        lambda i: f"publish_date is not M/D/YYYY H:MM: {shown('publish_date')(i)}",
    )
    for name in ("following", "followers"):
        bad, _ = parse_numbers(_trimmed(chunk, name))
        checks.add(bad, lambda i, c=name: f"{c} is not a number: {shown(c)(i)}")  # type: ignore[misc]
    checks.add(
        pc.invert(pc.is_in(_trimmed(chunk, "retweet"), pa.array(["0", "1", ""]))),
        lambda i: f"retweet is not 0 or 1: {shown('retweet')(i)}",
    )
    checks.add(
        pc.invert(pc.is_in(_trimmed(chunk, "post_type"), pa.array(["RETWEET", "QUOTE_TWEET", ""]))),
        lambda i: f"post_type is not RETWEET, QUOTE_TWEET or empty: {shown('post_type')(i)}",
    )
    return checks, published


def _published(text: pa.ChunkedArray) -> pa.Array:
    """``M/D/YYYY H:MM`` (UTC) as timestamps; null where the text is not one, including the
    dates Arrow would roll over (2/30 as 3/2, 25:00 as the next day)."""
    text = text.combine_chunks()
    parts = pc.extract_regex(text, _PUBLISHED)
    parsed = pc.strptime(text, format="%m/%d/%Y %H:%M", unit="s", error_is_null=True)
    same = pa.array(np.ones(len(text), dtype=bool))
    for field, of in (
        ("month", pc.month),
        ("day", pc.day),
        ("hour", pc.hour),
        ("minute", pc.minute),
    ):
        given = pc.cast(pc.struct_field(parts, field), pa.int64())
        same = pc.and_(same, pc.equal(of(parsed), given))
    return pc.if_else(same, parsed, pa.scalar(None, parsed.type))


def _as_twitter_tweets(chunk: RawChunk, kept: pa.Array, published: pa.Array) -> pa.Table:
    """The ``kept`` rows in the columns of a Twitter tweets file (twitter_io/columns.py)."""

    def cell(name: str) -> pa.ChunkedArray:
        return _trimmed(chunk, name).take(kept)

    tweet_id = cell("tweet_id")
    text = chunk.table.column(COLUMN["content"]).take(kept)
    post_type = cell("post_type")
    retweet = pc.or_(pc.equal(cell("retweet"), "1"), pc.equal(post_type, "RETWEET"))
    names_original = pc.and_(retweet, pc.match_substring_regex(text, _RT_PREFIX))
    texts = text.to_pylist()
    links = zip(*(cell(name).to_pylist() for name in LINK_COLUMNS), strict=True)
    columns = {
        "tweetid": tweet_id,
        "userid": cell("alt_external_id"),
        "user_screen_name": cell("author"),
        "follower_count": cell("followers"),
        "following_count": cell("following"),
        "tweet_language": language_codes(cell("language")),
        "tweet_text": text,
        "tweet_time": pc.strftime(published.take(kept), format="%Y-%m-%d %H:%M"),
        "is_retweet": pc.if_else(retweet, "true", "false"),
        "retweet_tweetid": pc.if_else(
            names_original, pc.utf8_replace_slice(tweet_id, 0, 0, RETWEETED_BY), ""
        ),
        "hashtags": [_listed(_HASHTAG.findall(t)) for t in texts],
        "urls": [_listed([url for url in row if url]) for row in links],
        "user_mentions": [_listed(["@" + name for name in _MENTION.findall(t)]) for t in texts],
    }
    empty = pa.repeat(pa.scalar("", pa.string()), len(kept))
    return pa.table(
        {name: columns.get(name, empty) for name in TWEET_COLUMNS},
        schema=pa.schema([(name, pa.string()) for name in TWEET_COLUMNS]),
    )


def _listed(items: list[str]) -> str:
    """A list as Twitter's files write one (Python list text), read back by its parser."""
    return repr(list(dict.fromkeys(items))) if items else "[]"


def _with_labels(accounts: pa.Table, chunk: RawChunk, kept: pa.Array) -> pa.Table:
    """``accounts`` with their ``account_category`` and ``account_type``, from the first kept
    row of each (as the rest of the account's columns)."""
    labels = first_per_key(
        pa.table(
            {
                "userid": _trimmed(chunk, "alt_external_id").take(kept),
                "account_category": null_if_empty(_trimmed(chunk, "account_category").take(kept)),
                "account_type": null_if_empty(_trimmed(chunk, "account_type").take(kept)),
            }
        ),
        "userid",
    )
    at = pc.index_in(accounts.column("userid"), value_set=labels.column("userid"))
    for name in ("account_category", "account_type"):
        index = accounts.column_names.index(name)
        accounts = accounts.set_column(index, name, labels.column(name).take(at))
    return accounts
