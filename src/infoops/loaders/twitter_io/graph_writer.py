"""Turn each chunk of Twitter records into staged graph rows, without duplicates.

Nothing is written to the graph until the staged files are (see loaders/staging.py). For each
chunk the writer checks what this load already staged, what the disclosure held before it
(read once per load, with each node's fingerprint: copies.py) and, for the rest, which keys the
graph holds:

- a released tweet already linked to this disclosure (in the graph, or staged by an earlier
  chunk) is *already present*: its row and edges are skipped; one released by another disclosure
  only gains this disclosure's IN_DISCLOSURE edge;
- a tweet or account in the graph only as a placeholder (``in_disclosure=false``, created because
  something retweeted, replied to or mentioned it) is upgraded in place, keeping its edges;
- everything else is new.

A row whose id this disclosure already holds is compared with the copy kept (copies.py): the
same content is *already present*, different content a *conflict*, quarantined with the reason
naming the kept copy, never dropped silently. Accounts are compared for users files only: a
tweets row repeats its author's columns, and those are not the account's record.

A re-load of files already loaded therefore stops at the comparison: every id is a member with
the same fingerprint, nothing is staged and no edge is even built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine, node_table
from infoops.loaders.derived_edges import counted_rows
from infoops.loaders.staging import Stage
from infoops.loaders.twitter_io.copies import (
    CopyCheck,
    in_other_disclosures_cypher,
    members_cypher,
)
from infoops.loaders.twitter_io.fields import domain_of
from infoops.loaders.twitter_io.fingerprints import ACCOUNT_CONTENT, content_fingerprints
from infoops.loaders.twitter_io.records import ChunkRecords, first_per_key, with_fingerprints
from infoops.loaders.twitter_io.tweet_edges import TweetEdges

ACCOUNTS_BY_SCREEN_NAME = (
    "UNWIND $names AS name MATCH (a:Account) WHERE a.screen_name_lc = name "
    "RETURN a.screen_name_lc, a.userid"
)
# Columns a load knows about an account; analysis owns cluster, kcore and role.
_LOADED_ACCOUNT_COLUMNS = [
    "userid",
    "screen_name",
    "screen_name_lc",
    "display_name",
    "hashed",
    "in_disclosure",
    "location",
    "description",
    "url",
    "followers",
    "following",
    "created_at",
    "created_s",
    "language",
    "fingerprint",
]


def statements() -> list[tuple[str, str]]:
    """The statements this writer sends itself, for the Cypher linter (tests collect them)."""
    return [
        ("accounts-by-screen-name", ACCOUNTS_BY_SCREEN_NAME),
        ("account-members", members_cypher("Account")),
        ("tweet-members", members_cypher("Tweet")),
        ("accounts-in-other-disclosures", in_other_disclosures_cypher("Account", "userid")),
        ("tweets-in-other-disclosures", in_other_disclosures_cypher("Tweet", "tweetid")),
    ]


@dataclass
class ChunkOutcome:
    loaded: int = 0  # rows that become (or complete) a tweet / account of the disclosure
    already_present: int = 0  # rows whose tweet / account the disclosure already holds


def _mask(values: Sequence[bool]) -> np.ndarray:
    return np.fromiter(values, dtype=bool, count=len(values))


def _np_mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _fingerprinted(accounts: pa.Table) -> pa.Table:
    """Accounts of a tweets file get their fingerprint when they are staged: most of a chunk's
    authors were staged by an earlier chunk."""
    fingerprints = accounts.column("fingerprint")
    if fingerprints.null_count == 0:
        return accounts
    return with_fingerprints(accounts, content_fingerprints(accounts, ACCOUNT_CONTENT))


class GraphWriter:
    """Stages chunks for one disclosure; keeps a screen-name index for ``RT @name:`` fallbacks."""

    def __init__(self, engine: GraphEngine, disclosure_id: str, stage: Stage) -> None:
        self.engine = engine
        self.disclosure_id = disclosure_id
        self.stage = stage
        self.userid_by_screen_name: dict[str, str] = {}
        self._posted_learned: set[str] = set()
        self.copies = CopyCheck(engine, disclosure_id)

    # -- membership of this disclosure ----------------------------------------------------------

    def _sort(
        self, label: str, keys: pa.Array, props: list[str]
    ) -> tuple[np.ndarray, dict[str, tuple[Any, ...]], dict[str, np.ndarray]]:
        """Where each of ``keys`` (unique) stands: member positions (-1: not a member), the
        graph's values of ``props`` for keys neither members nor staged, and masks: ``staged``
        (by an earlier chunk), ``new``, ``upgrade`` (a placeholder in the graph) and
        ``elsewhere`` (released by another disclosure only)."""
        member_at = self.copies.members[label].find(keys)
        staged_before = self.stage.keys[label].contains(keys)
        unseen = (member_at < 0) & ~staged_before
        candidates = keys.filter(pa.array(unseen)).to_pylist()
        existing = self.engine.lookup(label, candidates, ["in_disclosure", *props])
        exists = np.zeros(len(keys), dtype=bool)
        released = np.zeros(len(keys), dtype=bool)
        if existing:  # not on a first load
            ids = keys.to_pylist()
            exists = unseen & _mask([key in existing for key in ids])
            released = exists & _mask(
                [bool(existing[k][0]) if k in existing else False for k in ids]
            )
        masks = {
            "staged": staged_before,
            "new": unseen & ~exists,
            "upgrade": exists & ~released,
            "elsewhere": released,
        }
        return member_at, existing, masks

    def _link(self, label: str, keys: pa.Array, screen_names: Any = None) -> None:
        """Stage IN_DISCLOSURE for nodes becoming members of the disclosure; an account's edge
        keeps its screen name in this disclosure (the node keeps the first one seen)."""
        self.stage.add_rels(
            "IN_DISCLOSURE",
            label,
            "Disclosure",
            keys,
            pa.repeat(pa.scalar(self.disclosure_id, pa.string()), len(keys)),
            None if screen_names is None else {"screen_name": screen_names},
        )

    # -- accounts -----------------------------------------------------------------------------

    def write_users(self, records: ChunkRecords) -> ChunkOutcome:
        return self._accounts(records.accounts, {}, records)

    def _accounts(
        self,
        released: pa.Table,
        referenced: dict[str, str | None],
        users: ChunkRecords | None = None,
    ) -> ChunkOutcome:
        """Stage released accounts (and the accounts only ``referenced``). With ``users``, the
        records of a users file, repeated userids are compared with the kept copies."""
        keys = released.column("userid").combine_chunks()
        _, _, masks = self._sort("Account", keys, [])
        new, upgrade, elsewhere = masks["new"], masks["upgrade"], masks["elsewhere"]
        self._learn_screen_names(released)
        self.stage.add_nodes("Account", _fingerprinted(released.filter(pa.array(new))), "userid")
        upgraded = _fingerprinted(released.filter(pa.array(upgrade)))
        self.stage.add_updates("Account", upgraded.select(_LOADED_ACCOUNT_COLUMNS))
        staged = self.stage.keys["Account"]
        staged.add(upgraded.column("userid"))
        staged.add(keys.filter(pa.array(elsewhere)))
        placeholders = self.stage.placeholder_accounts
        candidates = [u for u in referenced if u not in placeholders]
        others = [u for u, s in zip(candidates, staged.contains(candidates), strict=True) if not s]
        known = self.engine.lookup("Account", others, [])
        for userid in others:
            if userid not in known:
                placeholders[userid] = referenced[userid]
        linking = new | upgrade | elsewhere
        linked_rows = pa.array(linking)
        self._link(
            "Account",
            keys.filter(linked_rows),
            released.column("screen_name").combine_chunks().filter(linked_rows),
        )
        linked = int(linking.sum())
        if users is None or users.copies is None:
            return ChunkOutcome(loaded=linked, already_present=len(keys) - linked)
        # Users files are small: every id is looked for among the copies kept so far.
        copy_keys = pc.unique(users.copies.keys)
        not_member = self.copies.members["Account"].find(copy_keys) < 0
        maybe_kept = copy_keys.filter(pa.array(not_member))
        conflicts = self.copies.settle("Account", users.copies, maybe_kept)
        users.rejected += conflicts
        rows = len(users.copies.keys)
        users.copies = None  # it holds the raw chunk, which the next one should not meet
        return ChunkOutcome(loaded=linked, already_present=rows - linked - conflicts)

    # -- tweets -------------------------------------------------------------------------------

    def _learn_screen_names(self, accounts: pa.Table) -> None:
        names = accounts.column("screen_name_lc").to_pylist()
        ids = accounts.column("userid").to_pylist()
        self.userid_by_screen_name.update((n, u) for n, u in zip(names, ids, strict=True) if n)

    def _retweet_authors(self, retweets: pa.Table) -> pa.Array:
        """Authors of retweeted originals. An empty retweet_userid is filled from, in order:
        another row retweeting the same original, the original already staged or in the graph,
        the account named by the ``RT @name:`` prefix, and last an account keyed ``@name``."""
        authors = retweets.column("author").combine_chunks()
        missing = _np_mask(pc.and_(pc.is_null(authors), pc.is_valid(retweets.column("name"))))
        if not missing.any():
            return authors
        originals = retweets.column("dst").combine_chunks()
        wanted = pc.unique(originals.filter(pa.array(missing)))
        given = pc.and_(pc.is_valid(authors), pc.is_in(originals, value_set=wanted))
        # The last author another row gave for the original.
        known: dict[str, str] = dict(
            zip(
                originals.filter(given).to_pylist(),
                authors.filter(given).to_pylist(),
                strict=True,
            )
        )
        missing_originals: list[str] = originals.filter(pa.array(missing)).to_pylist()
        names: list[str] = retweets.column("name").filter(pa.array(missing)).to_pylist()
        for original in missing_originals:
            author = self.stage.placeholder_tweets.get(original)
            if author:
                known.setdefault(original, author)
        unknown = [original for original in missing_originals if original not in known]
        for tweetid, (author,) in self.engine.lookup("Tweet", unknown, ["userid"]).items():
            if author:
                known.setdefault(tweetid, author)
        lookup = list({name.lower() for name in names} - self.userid_by_screen_name.keys())
        if lookup:
            for name, userid in self.engine.run(ACCOUNTS_BY_SCREEN_NAME, {"names": lookup}).rows:
                self.userid_by_screen_name.setdefault(name, userid)
        filled = [
            known.get(original)
            or self.userid_by_screen_name.get(
                name.lower(),
                "@" + name.lower(),  # never seen anywhere: an account keyed by its handle
            )
            for original, name in zip(missing_originals, names, strict=True)
        ]
        return pc.replace_with_mask(authors, pa.array(missing), pa.array(filled, pa.string()))

    def write_tweets(self, records: ChunkRecords) -> ChunkOutcome:
        tweets = records.tweets
        assert tweets is not None
        keys = tweets.column("tweetid").combine_chunks()
        _, existing, masks = self._sort("Tweet", keys, ["userid"])
        fresh, upgrade, elsewhere = masks["new"], masks["upgrade"], masks["elsewhere"]
        loadable = fresh | upgrade

        edges = records.edges(loadable)
        retweet_authors = self._retweet_authors(edges.retweets)
        referenced_tweets, referenced_accounts = _referenced(edges, retweet_authors)
        self._accounts(records.accounts, referenced_accounts)
        self._placeholder_tweets(referenced_tweets, keys)

        staged = self.stage.keys["Tweet"]
        all_fresh = bool(fresh.all())
        self.stage.add_nodes(
            "Tweet", tweets if all_fresh else tweets.filter(pa.array(fresh)), "tweetid"
        )
        upgraded = tweets.filter(pa.array(upgrade))
        self.stage.add_updates("Tweet", upgraded)
        staged.add(upgraded.column("tweetid"))
        staged.add(keys.filter(pa.array(elsewhere)))
        # An upgraded placeholder already has its POSTED edge when its author was known.
        authorless = upgrade & _mask(
            [k in existing and existing[k][1] is None for k in keys.to_pylist()]
            if upgrade.any()
            else [False] * len(keys)
        )
        posted = tweets.filter(pa.array(fresh | authorless))
        self.stage.add_rels(
            "POSTED", "Account", "Tweet", posted.column("userid"), posted.column("tweetid")
        )
        linking = fresh | upgrade | elsewhere
        self._link("Tweet", keys.filter(pa.array(linking)))
        conflicts = 0
        if records.copies is not None:
            # Copies kept by this load exist only for ids staged by an earlier chunk.
            maybe_kept = keys.filter(pa.array(masks["staged"]))
            conflicts = self.copies.settle("Tweet", records.copies, maybe_kept)
            records.rejected += conflicts
            records.copies = None  # it holds the raw chunk, which the next one should not meet
        records.edge_source = None
        for rel_type, table in (
            ("RETWEET_OF", edges.retweets),
            ("REPLY_TO", edges.replies),
            ("QUOTES", edges.quotes),
        ):
            self.stage.add_rels(
                rel_type, "Tweet", "Tweet", table.column("src"), table.column("dst")
            )
        self.stage.add_rels(
            "MENTIONS",
            "Tweet",
            "Account",
            edges.mentions.column("src"),
            edges.mentions.column("dst"),
        )
        self._counted_by_derived_edges(tweets.filter(pa.array(loadable)), edges)
        self._hashtags(edges.tagged)
        self._urls(edges.links)
        linked = int(linking.sum())
        return ChunkOutcome(
            loaded=linked,
            already_present=len(keys) + records.duplicates - linked - conflicts,
        )

    def _counted_by_derived_edges(self, loaded: pa.Table, edges: TweetEdges) -> None:
        """What the derived account edges count of the edges staged: the author and time of
        each edge's tweet, and where it points (loaders/derived_edges.py)."""
        userid, time_s = loaded.column("userid"), loaded.column("time_s")
        for source, table in (
            ("RETWEET_OF", edges.retweets),
            ("REPLY_TO", edges.replies),
            ("MENTIONS", edges.mentions),
        ):
            at = table.column("tweet")
            self.stage.add_side(
                counted_rows(source),
                pa.table(
                    {
                        "src": userid.take(at),
                        "dst": table.column("dst"),
                        "time_s": time_s.take(at),
                    }
                ),
            )

    def _placeholder_tweets(self, referenced: pa.Table, in_chunk: pa.Array) -> None:
        """Originals, replied-to and quoted tweets not among the rows become placeholders
        (``referenced``: tweetid ``dst``, the first ``author`` a row gave)."""
        stage = self.stage
        placeholders = stage.placeholder_tweets
        targets = referenced.column("dst").combine_chunks()
        authors = referenced.column("author").combine_chunks()
        known_already = stage.placeholder_keys.contains(targets)
        if stage.authorless_tweets:  # a placeholder without an author learns the first given
            learns = pc.and_(
                pc.is_valid(authors),
                pc.is_in(targets, value_set=pa.array(list(stage.authorless_tweets), pa.string())),
            )
            for tweetid, author in zip(
                targets.filter(learns).to_pylist(), authors.filter(learns).to_pylist(), strict=True
            ):
                placeholders[tweetid] = author
                stage.authorless_tweets.discard(tweetid)
        outside = (
            ~known_already
            & ~_np_mask(pc.is_in(targets, value_set=in_chunk))
            & ~stage.keys["Tweet"].contains(targets)
        )
        others: list[str] = targets.filter(pa.array(outside)).to_pylist()
        referenced_by = dict(
            zip(others, authors.filter(pa.array(outside)).to_pylist(), strict=True)
        )
        known = self.engine.lookup("Tweet", others, ["userid"])
        learned = []
        new = []
        for tweetid in others:
            author = referenced_by[tweetid]
            if tweetid not in known:
                placeholders[tweetid] = author
                new.append(tweetid)
                if author is None:
                    stage.authorless_tweets.add(tweetid)
            elif known[tweetid][0] is None and author and tweetid not in self._posted_learned:
                learned.append((tweetid, author))  # a placeholder in the graph learns its author
                self._posted_learned.add(tweetid)
        stage.placeholder_keys.add(new)
        if learned:
            self.stage.add_updates(
                "Tweet",
                pa.table(
                    {
                        "tweetid": pa.array([t for t, _ in learned], pa.string()),
                        "userid": pa.array([a for _, a in learned], pa.string()),
                    }
                ),
            )
            self.stage.add_rels(
                "POSTED", "Account", "Tweet", [a for _, a in learned], [t for t, _ in learned]
            )

    def _hashtags(self, tagged: pa.Table) -> None:
        tags = first_per_key(tagged.select(["dst", "spelling"]), "dst")
        staged = self.stage.keys["Hashtag"]
        candidates = tags.column("dst").filter(pa.array(~staged.contains(tags.column("dst"))))
        known = self.engine.lookup("Hashtag", candidates.to_pylist(), [])
        new = [t for t in candidates.to_pylist() if t not in known]
        staged.add(list(known))
        if new:
            new_tags = tags.filter(pc.is_in(tags.column("dst"), pa.array(new, pa.string())))
            self.stage.add_nodes(
                "Hashtag",
                node_table(
                    "Hashtag",
                    {"tag": new_tags.column("dst"), "spelling": new_tags.column("spelling")},
                ),
                "tag",
            )
        self.stage.add_rels(
            "TAGGED", "Tweet", "Hashtag", tagged.column("src"), tagged.column("dst")
        )

    def _urls(self, links: pa.Table) -> None:
        staged = self.stage.keys["Url"]
        urls = pc.unique(links.column("dst").combine_chunks())
        candidates = urls.filter(pa.array(~staged.contains(urls))).to_pylist()
        known = self.engine.lookup("Url", candidates, [])
        new_urls = [u for u in candidates if u not in known]
        staged.add(list(known))
        url_domains = [(u, d) for u in new_urls if (d := domain_of(u))]
        staged_domains = self.stage.keys["Domain"]
        found = list(dict.fromkeys(d for _, d in url_domains))
        domains = [d for d, s in zip(found, staged_domains.contains(found), strict=True) if not s]
        known_domains = self.engine.lookup("Domain", domains, [])
        staged_domains.add(list(known_domains))
        self.stage.add_nodes("Url", node_table("Url", {"url": new_urls}), "url")
        self.stage.add_nodes(
            "Domain",
            node_table("Domain", {"name": [d for d in domains if d not in known_domains]}),
            "name",
        )
        self.stage.add_rels("LINKS_TO", "Tweet", "Url", links.column("src"), links.column("dst"))
        self.stage.add_rels(
            "ON_DOMAIN", "Url", "Domain", [u for u, _ in url_domains], [d for _, d in url_domains]
        )


def _referenced(
    edges: TweetEdges, retweet_authors: pa.Array
) -> tuple[pa.Table, dict[str, str | None]]:
    """The tweets the edges point at (original, replied-to, quoted: ``dst`` and the first
    ``author`` a row gave) and the accounts (authors, replied-to and mentioned accounts: userid
    -> the screen name a retweet's ``RT @name:`` prefix gave, if any), in order of first mention."""
    tweets = pa.concat_tables(
        [
            pa.table({"dst": edges.retweets.column("dst"), "author": retweet_authors}),
            edges.replies.select(["dst", "author"]),
            pa.table(
                {
                    "dst": edges.quotes.column("dst"),
                    "author": pa.nulls(edges.quotes.num_rows, pa.string()),
                }
            ),
        ]
    )
    # The first author given for each tweet (Arrow's "first" passes over nulls).
    first_author = tweets.group_by("dst", use_threads=False).aggregate([("author", "first")])
    first_author = first_author.rename_columns(["dst", "author"])
    tweet_authors = first_author.column("author")
    named = pc.is_valid(edges.retweets.column("name"))

    def no_name(userids: Any) -> pa.Table:
        return pa.table({"userid": userids, "name": pa.nulls(len(userids), pa.string())})

    accounts = pa.concat_tables(
        [
            no_name(tweet_authors.filter(pc.is_valid(tweet_authors))),
            no_name(edges.reply_users.column("dst")),
            no_name(edges.mentions.column("dst")),
            # Accounts outside the release are known only by id; the prefix names them.
            pa.table({"userid": retweet_authors, "name": edges.retweets.column("name")}).filter(
                pc.and_(named, pc.is_valid(retweet_authors))
            ),
        ]
    )
    first_name = accounts.group_by("userid", use_threads=False).aggregate([("name", "first")])
    names = dict(
        zip(
            first_name.column("userid").to_pylist(),
            first_name.column("name_first").to_pylist(),
            strict=True,
        )
    )
    return first_author, names
