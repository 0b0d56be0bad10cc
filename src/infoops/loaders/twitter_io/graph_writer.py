"""Write one chunk of Twitter records into the graph, idempotently and atomically.

Every chunk is one transaction. Before inserting, the writer asks the graph which keys already
exist, so loading the same files again creates nothing, and a load killed mid-way (its open
transaction is discarded by the engine) resumes cleanly when re-run:

- a released tweet already linked to this disclosure was loaded before: its row and edges are
  skipped; one released by another disclosure only gains this disclosure's IN_DISCLOSURE edge;
- a tweet or account present only as a placeholder (``in_disclosure=false``, created because
  something retweeted, replied to or mentioned it) is upgraded in place, keeping its edges;
- everything else is new and bulk-inserted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine, node_table, rel_table
from infoops.loaders.twitter_io.fields import domain_of
from infoops.loaders.twitter_io.records import ChunkRecords, first_per_key

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
]


def linked_cypher(label: str, key: str) -> str:
    return (
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}})-[:IN_DISCLOSURE]->"
        f"(d:Disclosure {{id: $disclosure}}) RETURN n.{key}"
    )


def statements() -> list[tuple[str, str]]:
    """The statements this writer sends itself, for the Cypher linter (engines/catalog.py)."""
    return [
        ("accounts-by-screen-name", ACCOUNTS_BY_SCREEN_NAME),
        ("linked-accounts", linked_cypher("Account", "userid")),
        ("linked-tweets", linked_cypher("Tweet", "tweetid")),
    ]


@dataclass
class ChunkOutcome:
    loaded: int = 0  # rows that became (or completed) a tweet / account of the disclosure
    already_present: int = 0  # rows whose tweet / account the disclosure already held


def _only(table: pa.Table, column: str, keys: set[str] | list[str]) -> pa.Table:
    if table.num_rows == 0:
        return table
    return table.filter(pc.is_in(table.column(column), pa.array(list(keys), pa.string())))


def _without(table: pa.Table, column: str, keys: set[str] | list[str]) -> pa.Table:
    if table.num_rows == 0 or not keys:
        return table
    mask = pc.invert(pc.is_in(table.column(column), pa.array(list(keys), pa.string())))
    return table.filter(mask)


def placeholder_accounts(accounts: dict[str, str | None]) -> pa.Table:
    """Accounts known only by reference: outside the release, hashed decided by id shape."""
    userids = list(accounts)
    names = [accounts[u] for u in userids]
    return node_table(
        "Account",
        {
            "userid": userids,
            "screen_name": names,
            "screen_name_lc": [n.lower() if n else None for n in names],
            # '@name' keys stand for retweeted handles whose id the release never gave.
            "hashed": [not (u.isdigit() or u.startswith("@")) for u in userids],
            "in_disclosure": [False] * len(userids),
        },
    )


class GraphWriter:
    """Writes chunks for one disclosure; keeps a screen-name index for ``RT @name:`` fallbacks."""

    def __init__(self, engine: GraphEngine, disclosure_id: str) -> None:
        self.engine = engine
        self.disclosure_id = disclosure_id
        self.userid_by_screen_name: dict[str, str] = {}

    def write_users(self, records: ChunkRecords) -> ChunkOutcome:
        with self.engine.transaction():
            outcome = self._upsert_accounts(records.accounts, {})
        outcome.already_present += records.duplicates
        return outcome

    def write_tweets(self, records: ChunkRecords) -> ChunkOutcome:
        with self.engine.transaction():
            outcome = self._write_tweets(records)
        outcome.already_present += records.duplicates
        return outcome

    # -- accounts -----------------------------------------------------------------------------

    def _linked(self, label: str, key: str, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        result = self.engine.run(
            linked_cypher(label, key), {"keys": keys, "disclosure": self.disclosure_id}
        )
        return {row[0] for row in result.rows}

    def _upsert_accounts(
        self, released: pa.Table, referenced: dict[str, str | None]
    ) -> ChunkOutcome:
        released_ids: list[str] = released.column("userid").to_pylist()
        names = released.column("screen_name_lc").to_pylist()
        self.userid_by_screen_name.update(
            (name, userid) for name, userid in zip(names, released_ids, strict=True) if name
        )
        released_set = set(released_ids)
        wanted = released_ids + [u for u in referenced if u not in released_set]
        existing = self.engine.lookup("Account", wanted, ["in_disclosure"])
        self.engine.insert_nodes("Account", _without(released, "userid", list(existing)))
        self.engine.insert_nodes(
            "Account",
            placeholder_accounts(
                {u: n for u, n in referenced.items() if u not in existing and u not in released_set}
            ),
        )
        upgrades = [u for u in released_ids if u in existing and not existing[u][0]]
        self.engine.update_nodes(
            "Account", _only(released, "userid", upgrades).select(_LOADED_ACCOUNT_COLUMNS)
        )
        # A released account joins this disclosure once, however many files name it.
        linked = self._linked("Account", "userid", [u for u in released_ids if u in existing])
        to_link = [u for u in released_ids if u not in linked]
        self._rels(
            "IN_DISCLOSURE", "Account", "Disclosure", to_link, [self.disclosure_id] * len(to_link)
        )
        return ChunkOutcome(loaded=len(to_link), already_present=len(released_ids) - len(to_link))

    # -- tweets -------------------------------------------------------------------------------

    def _retweet_authors(self, retweets: pa.Table) -> list[str | None]:
        """Authors of retweeted originals; empty retweet_userid falls back to ``RT @name:``."""
        authors: list[str | None] = retweets.column("author").to_pylist()
        names: list[str | None] = retweets.column("name").to_pylist()
        missing = {n.lower() for a, n in zip(authors, names, strict=True) if a is None and n}
        unknown = [n for n in missing if n not in self.userid_by_screen_name]
        if unknown:
            for name, userid in self.engine.run(ACCOUNTS_BY_SCREEN_NAME, {"names": unknown}).rows:
                self.userid_by_screen_name.setdefault(name, userid)
        return [
            author
            if author is not None or not name
            # Never seen anywhere: keep the edge with an account keyed by its handle.
            else self.userid_by_screen_name.get(name.lower(), "@" + name.lower())
            for author, name in zip(authors, names, strict=True)
        ]

    def _write_tweets(self, records: ChunkRecords) -> ChunkOutcome:
        tweets = records.tweets
        ids: list[str] = tweets.column("tweetid").to_pylist()
        existing = self.engine.lookup("Tweet", ids, ["in_disclosure", "userid"])
        fresh = [t for t in ids if t not in existing]
        upgrades = [t for t in ids if t in existing and not existing[t][0]]
        released_elsewhere = [t for t in ids if t in existing and existing[t][0]]
        linked = self._linked("Tweet", "tweetid", released_elsewhere)
        shared = [t for t in released_elsewhere if t not in linked]
        loadable = set(fresh) | set(upgrades)

        retweets = _only(records.retweets, "src", loadable)
        replies = _only(records.replies, "src", loadable)
        quotes = _only(records.quotes, "src", loadable)
        mentions = _only(records.mentions, "src", loadable)
        retweet_authors = self._retweet_authors(retweets)

        # Originals, replied-to and quoted tweets outside this chunk's rows become placeholders.
        in_chunk = set(ids)
        referenced_tweets: dict[str, str | None] = {}
        for dst, author in (
            *zip(retweets.column("dst").to_pylist(), retweet_authors, strict=True),
            *zip(
                replies.column("dst").to_pylist(), replies.column("author").to_pylist(), strict=True
            ),
            *((dst, None) for dst in quotes.column("dst").to_pylist()),
        ):
            if dst not in in_chunk and referenced_tweets.get(dst) is None:
                referenced_tweets[dst] = author
        referenced_accounts: dict[str, str | None] = {}
        for userid in (
            *(a for a in referenced_tweets.values() if a),
            *_only(records.reply_users, "src", loadable).column("dst").to_pylist(),
            *mentions.column("dst").to_pylist(),
        ):
            referenced_accounts.setdefault(userid, None)
        for author, name in zip(retweet_authors, retweets.column("name").to_pylist(), strict=True):
            if author and name and author.startswith("@"):
                referenced_accounts[author] = name
        self._upsert_accounts(records.accounts, referenced_accounts)

        known = self.engine.lookup("Tweet", list(referenced_tweets), ["userid"])
        new_placeholders = {t: a for t, a in referenced_tweets.items() if t not in known}
        # A placeholder whose author was unknown learns it from a later retweet row.
        authored_now = {
            t: a for t, a in referenced_tweets.items() if t in known and known[t][0] is None and a
        }
        self.engine.insert_nodes("Tweet", _only(tweets, "tweetid", fresh))
        self.engine.insert_nodes(
            "Tweet",
            node_table(
                "Tweet",
                {
                    "tweetid": list(new_placeholders),
                    "userid": list(new_placeholders.values()),
                    "in_disclosure": [False] * len(new_placeholders),
                },
            ),
        )
        self.engine.update_nodes("Tweet", _only(tweets, "tweetid", upgrades))
        self.engine.update_nodes(
            "Tweet",
            pa.table(
                {
                    "tweetid": pa.array(list(authored_now), pa.string()),
                    "userid": pa.array(list(authored_now.values()), pa.string()),
                }
            ),
        )

        authors_of_upgrades = {t for t in upgrades if existing[t][1] is None}
        posted = _only(tweets, "tweetid", set(fresh) | authors_of_upgrades)
        posted_src = posted.column("userid").to_pylist()
        posted_dst = posted.column("tweetid").to_pylist()
        for tweetid, author in (*new_placeholders.items(), *authored_now.items()):
            if author:
                posted_src.append(author)
                posted_dst.append(tweetid)
        self._rels("POSTED", "Account", "Tweet", posted_src, posted_dst)
        members = [t for t in ids if t in loadable] + shared
        self._rels(
            "IN_DISCLOSURE", "Tweet", "Disclosure", members, [self.disclosure_id] * len(members)
        )
        self._rels("RETWEET_OF", "Tweet", "Tweet", retweets.column("src"), retweets.column("dst"))
        self._rels("REPLY_TO", "Tweet", "Tweet", replies.column("src"), replies.column("dst"))
        self._rels("QUOTES", "Tweet", "Tweet", quotes.column("src"), quotes.column("dst"))
        self._rels("MENTIONS", "Tweet", "Account", mentions.column("src"), mentions.column("dst"))
        self._write_hashtags(_only(records.tagged, "src", loadable))
        self._write_urls(_only(records.links, "src", loadable))
        return ChunkOutcome(loaded=len(loadable) + len(shared), already_present=len(linked))

    def _write_hashtags(self, tagged: pa.Table) -> None:
        tags = first_per_key(tagged.select(["dst", "spelling"]), "dst")
        known = self.engine.lookup("Hashtag", tags.column("dst").to_pylist(), [])
        new = _without(tags, "dst", list(known))
        self.engine.insert_nodes(
            "Hashtag",
            node_table("Hashtag", {"tag": new.column("dst"), "spelling": new.column("spelling")}),
        )
        self._rels("TAGGED", "Tweet", "Hashtag", tagged.column("src"), tagged.column("dst"))

    def _write_urls(self, links: pa.Table) -> None:
        urls = list(dict.fromkeys(links.column("dst").to_pylist()))
        known = self.engine.lookup("Url", urls, [])
        new_urls = [u for u in urls if u not in known]
        url_domains = [(u, d) for u in new_urls if (d := domain_of(u))]
        domains = list(dict.fromkeys(d for _, d in url_domains))
        known_domains = self.engine.lookup("Domain", domains, [])
        self.engine.insert_nodes("Url", node_table("Url", {"url": new_urls}))
        self.engine.insert_nodes(
            "Domain", node_table("Domain", {"name": [d for d in domains if d not in known_domains]})
        )
        self._rels("LINKS_TO", "Tweet", "Url", links.column("src"), links.column("dst"))
        self._rels(
            "ON_DOMAIN", "Url", "Domain", [u for u, _ in url_domains], [d for _, d in url_domains]
        )

    def _rels(self, rel_type: str, src_label: str, dst_label: str, src: Any, dst: Any) -> None:
        if len(src):
            self.engine.insert_rels(rel_type, src_label, dst_label, rel_table(rel_type, src, dst))
