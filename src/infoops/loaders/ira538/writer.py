"""The Twitter graph writer (twitter_io/graph_writer.py), with what the 538 rows add to it.

- Mentions are handles read from the text (``@name``), not account ids: each becomes the
  account of that screen name (this load's, or the graph's), else an account keyed ``@name``,
  exactly as the Twitter writer resolves a retweet's ``RT @name:`` prefix.
- The 538 labels (``account_category``, ``account_type``) reach every account the load makes
  a member of the disclosure: new ones carry them, and the Twitter writer's update of a
  placeholder, or its link to an account another disclosure released, does not, so they are
  set by an update of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.loaders.twitter_io.graph_writer import (
    ACCOUNTS_BY_SCREEN_NAME,
    ChunkOutcome,
    GraphWriter,
)
from infoops.loaders.twitter_io.records import ChunkRecords
from infoops.loaders.twitter_io.tweet_edges import TweetEdges, TweetEdgeSource

_LABELS = ["userid", "account_category", "account_type"]


@dataclass
class _ResolvedMentions:
    """A chunk's edge source whose mentions (``@name``) are resolved to accounts."""

    source: TweetEdgeSource
    writer: Ira538Writer

    def build(self, loadable: np.ndarray) -> TweetEdges:
        edges = self.source.build(loadable)
        handles = pc.utf8_slice_codeunits(edges.mentions.column("dst"), 1)
        userids = self.writer.accounts_named(handles.to_pylist())
        index = edges.mentions.column_names.index("dst")
        edges.mentions = edges.mentions.set_column(index, "dst", pa.array(userids, pa.string()))
        return edges


class Ira538Writer(GraphWriter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._not_in_graph: set[str] = set()  # lower-cased handles the graph was asked about
        self._handles: dict[str, str] = {}  # this chunk's '@name' keys -> the handle as written

    def learn_authors(self, handles: list[str], userids: list[str]) -> None:
        """Lower-cased handles and their ids, from the files' rows (survey.py)."""
        known = self.userid_by_screen_name
        for handle, userid in zip(handles, userids, strict=True):
            known.setdefault(handle, userid)

    def accounts_named(self, handles: list[str]) -> list[str]:
        """The userid of each handle's account (known to this load or the graph), else the
        key ``@name`` that the Twitter writer gives a handle it has never seen."""
        known = self.userid_by_screen_name
        wanted = {handle.lower() for handle in handles} - known.keys() - self._not_in_graph
        if wanted:
            rows = self.engine.run(ACCOUNTS_BY_SCREEN_NAME, {"names": sorted(wanted)}).rows
            for name, userid in rows:
                known.setdefault(name, userid)
            self._not_in_graph |= wanted - known.keys()
        userids = []
        for handle in handles:
            userid = known.get(handle.lower(), "@" + handle.lower())
            if userid.startswith("@"):
                self._handles.setdefault(userid, handle)
            userids.append(userid)
        return userids

    def write_tweets(self, records: ChunkRecords) -> ChunkOutcome:
        accounts = records.accounts
        self._handles = {}
        self._learn_screen_names(accounts)  # an author of the chunk mentioned in it is known
        _, _, where = self._sort("Account", accounts.column("userid").combine_chunks(), [])
        if records.edge_source is not None:
            records.edge_source = _ResolvedMentions(records.edge_source, self)  # type: ignore[assignment]
        outcome = super().write_tweets(records)
        labelled = accounts.filter(pa.array(where["upgrade"] | where["elsewhere"]))
        if labelled.num_rows:
            self.stage.add_updates("Account", labelled.select(_LABELS))
        placeholders = self.stage.placeholder_accounts
        for key, handle in self._handles.items():
            if key in placeholders and placeholders[key] is None:
                placeholders[key] = handle  # a mentioned handle names its account
        return outcome
