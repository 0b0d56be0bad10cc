"""The edges a chunk of tweets makes, built only for the tweets a load writes.

A chunk's rows are checked whole (a list that cannot be read rejects its row), but its edges
(retweet, reply and quote targets, mentions, hashtags and urls) are built only for the tweets
the graph writer decides to load: a re-load, whose tweets are all present, builds none, and
splitting the list columns is most of the cost of a chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.loaders.twitter_io import fields

_SIMPLE_QUOTED_LIST = r"^\['[^'\\]*'(, '[^'\\]*')*\]$"
_SIMPLE_NUMBER_LIST = r"^\[[0-9]+(, ?[0-9]+)*\]$"
_RT_PREFIX = r"^RT @(?P<name>[^\s:]+):"


def _np(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def null_if_empty(array: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _empty_edges(*names: str, tweet: bool = False) -> pa.Table:
    table = pa.table({name: pa.array([], pa.string()) for name in names})
    return table.append_column("tweet", pa.array([], pa.int64())) if tweet else table


@dataclass
class ListColumn:
    """A column of Python-list text (``['a', 'b']``, ``[1, 2]``, ``[]``, empty), checked.

    The two common shapes are split by Arrow when the edges are built; anything else went
    through the slow parser when the chunk was checked (``failed`` marks what it refused).
    """

    values: pa.ChunkedArray
    quoted: np.ndarray  # rows holding a simple list of quoted items
    numbers: np.ndarray  # rows holding a simple list of numbers
    parsed: dict[int, list[str]]  # the items of every other non-empty row
    failed: np.ndarray  # rows whose text is not a list

    @staticmethod
    def check(values: pa.ChunkedArray) -> ListColumn:
        empty = _np(pc.or_(pc.equal(values, ""), pc.equal(values, "[]")))
        quoted = _np(pc.match_substring_regex(values, _SIMPLE_QUOTED_LIST))
        numbers = _np(pc.match_substring_regex(values, _SIMPLE_NUMBER_LIST))
        failed = np.zeros(len(values), dtype=bool)
        parsed: dict[int, list[str]] = {}
        for index in np.flatnonzero(~(empty | quoted | numbers)):
            try:
                parsed[int(index)] = fields.parse_list(values[int(index)].as_py())
            except ValueError:
                failed[index] = True
        return ListColumn(values, quoted, numbers, parsed, failed)

    def items(self, selected: np.ndarray) -> tuple[np.ndarray, pa.Array]:
        """(row of each item, item) of the ``selected`` rows: the quoted lists' items row by
        row, then the number lists', then the others'."""
        rows: list[np.ndarray] = []
        items: list[pa.Array] = []
        for mask, strip, separator in ((self.quoted, 2, "', '"), (self.numbers, 1, None)):
            indices = np.flatnonzero(mask & selected)
            if not len(indices):
                continue
            inner = pc.utf8_slice_codeunits(self.values.take(pa.array(indices)), strip, -strip)
            split = (
                pc.split_pattern(inner, separator)
                if separator
                else pc.split_pattern_regex(inner, r",\s*")
            )
            rows.append(indices[pc.list_parent_indices(split).to_numpy()])
            items.append(pc.list_flatten(split).combine_chunks())
        others = [index for index in self.parsed if selected[index]]
        if others:
            rows.append(np.repeat(others, [len(self.parsed[i]) for i in others]).astype(np.int64))
            items.append(pa.array([item for i in others for item in self.parsed[i]], pa.string()))
        if not rows:
            return np.zeros(0, dtype=np.int64), pa.array([], pa.string())
        return np.concatenate(rows), pa.concat_arrays(items)


@dataclass
class TweetEdges:
    """Edges of some tweets of a chunk, as Arrow tables of ``src`` / ``dst`` keys. Those the
    derived account edges count also say which of the tweets each comes from (``tweet``: its
    position among the tweets the edges were built for)."""

    # tweetid, original tweetid, original author (null when the row left it empty), and the
    # screen name of the `RT @name:` prefix (null when the text has none)
    retweets: pa.Table = field(
        default_factory=lambda: _empty_edges("src", "dst", "author", "name", tweet=True)
    )
    replies: pa.Table = field(
        default_factory=lambda: _empty_edges("src", "dst", "author", tweet=True)
    )
    reply_users: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst"))
    quotes: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst"))
    mentions: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst", tweet=True))
    tagged: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst", "spelling"))
    links: pa.Table = field(default_factory=lambda: _empty_edges("src", "dst"))


@dataclass
class TweetEdgeSource:
    """What a chunk's edges are built from: its (trimmed) columns, the chunk row of each tweet
    of the records, and its checked list columns."""

    column: Callable[[str], pa.ChunkedArray]  # a trimmed column of the chunk
    raw: Callable[[str], pa.ChunkedArray]  # an untouched column of the chunk
    tweet_rows: np.ndarray  # chunk row of each tweet of the records
    lists: dict[str, ListColumn]

    def build(self, loadable: np.ndarray) -> TweetEdges:
        """The edges of the tweets marked ``loadable`` (a mask over the records' tweets)."""
        rows = self.tweet_rows[loadable]
        if not len(rows):
            return TweetEdges()
        at = pa.array(rows)
        ids = self.column("tweetid").take(at)
        positions = pa.array(np.arange(len(rows)))

        def edge(dst_column: str, **extra: pa.ChunkedArray | pa.Array) -> pa.Table:
            dst = null_if_empty(self.column(dst_column).take(at))
            return pa.table({"src": ids, "dst": dst, **extra}).filter(pc.is_valid(dst))

        text = self.raw("tweet_text").take(at)
        prefix_name = pc.struct_field(pc.extract_regex(text, _RT_PREFIX), "name")
        edges = TweetEdges(
            retweets=edge(
                "retweet_tweetid",
                author=null_if_empty(self.column("retweet_userid").take(at)),
                name=prefix_name,  # the retweeted author's screen name, from `RT @name:`
                tweet=positions,
            ),
            replies=edge(
                "in_reply_to_tweetid",
                author=null_if_empty(self.column("in_reply_to_userid").take(at)),
                tweet=positions,
            ),
            reply_users=edge("in_reply_to_userid"),
            quotes=edge("quoted_tweet_tweetid"),
        )
        selected = np.zeros(len(self.lists["hashtags"].values), dtype=bool)
        selected[rows] = True
        ids_of_rows = self.column("tweetid")

        def list_edges(column: str) -> tuple[np.ndarray, pa.Array, pa.Array]:
            item_rows, items = self.lists[column].items(selected)
            return item_rows, ids_of_rows.take(pa.array(item_rows)), items

        item_rows, src, tags = list_edges("hashtags")
        spellings = pc.utf8_ltrim(pc.utf8_trim_whitespace(tags), characters="#")
        tagged = pa.table({"src": src, "dst": pc.utf8_lower(spellings), "spelling": spellings})
        edges.tagged = _distinct(tagged, item_rows)
        item_rows, src, urls = list_edges("urls")
        edges.links = _distinct(
            pa.table({"src": src, "dst": pc.utf8_trim_whitespace(urls)}), item_rows
        )
        item_rows, src, mentioned = list_edges("user_mentions")
        position_of_row = np.full(len(selected), -1, dtype=np.int64)
        position_of_row[rows] = np.arange(len(rows))
        mentions = pa.table(
            {
                "src": src,
                "dst": pc.utf8_trim_whitespace(mentioned),
                "tweet": pa.array(position_of_row[item_rows]),
            }
        )
        edges.mentions = _distinct(mentions, item_rows)
        return edges


def _distinct(edges: pa.Table, item_rows: np.ndarray) -> pa.Table:
    """Edges without the empty items, one per (src, dst): the first, with its extra columns.
    Only a list can repeat an item (a tweet's row is its only one in the records), so only the
    items of rows with several are grouped."""
    keep = _np(pc.not_equal(edges.column("dst"), ""))
    counts = np.bincount(item_rows) if len(item_rows) else np.zeros(0, dtype=np.int64)
    several = np.flatnonzero(keep & (counts[item_rows] > 1)) if len(item_rows) else item_rows
    if len(several):
        pairs = edges.select(["src", "dst"]).take(pa.array(several))
        pairs = pairs.append_column("_at", pa.array(several))
        firsts = pairs.group_by(["src", "dst"], use_threads=False).aggregate([("_at", "min")])
        keep[several] = False
        keep[firsts.column("_at_min").to_numpy()] = True
    return edges.filter(pa.array(keep))
