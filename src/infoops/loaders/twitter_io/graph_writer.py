"""Write one chunk of Twitter records into the graph, idempotently and atomically.

Every chunk is one transaction. Before inserting, the writer asks the graph which keys already
exist, so loading the same files again creates nothing, and a load killed mid-way (its open
transaction is discarded by the engine) resumes cleanly when re-run:

- a released tweet already present with ``in_disclosure=true`` was loaded before: its row and
  edges are skipped;
- a tweet or account present only as a placeholder (``in_disclosure=false``, created because
  something retweeted, replied to or mentioned it) is upgraded in place, keeping its edges;
- everything else is new and bulk-inserted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from infoops.engines.base import GraphEngine, node_table, rel_table
from infoops.loaders.twitter_io.fields import domain_of, is_hashed_id
from infoops.loaders.twitter_io.records import ChunkRecords

ACCOUNTS_BY_SCREEN_NAME = (
    "UNWIND $names AS name MATCH (a:Account) WHERE a.screen_name_lc = name "
    "RETURN a.screen_name_lc, a.userid"
)


def lookup_cypher(label: str, key: str, props: Sequence[str]) -> str:
    columns = ", ".join(f"n.{p}" for p in props)
    return f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN n.{key}, {columns}"


def linked_cypher(label: str, key: str) -> str:
    return (
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}})-[:IN_DISCLOSURE]->"
        f"(d:Disclosure {{id: $disclosure}}) RETURN n.{key}"
    )


def statements() -> list[tuple[str, str]]:
    """The statements this writer sends, for the Cypher linter (see engines/catalog.py)."""
    return [
        ("accounts-by-screen-name", ACCOUNTS_BY_SCREEN_NAME),
        ("lookup-accounts", lookup_cypher("Account", "userid", ["in_disclosure"])),
        ("lookup-tweets", lookup_cypher("Tweet", "tweetid", ["in_disclosure", "userid"])),
        ("lookup-placeholders", lookup_cypher("Tweet", "tweetid", ["userid"])),
        ("linked-accounts", linked_cypher("Account", "userid")),
        ("linked-tweets", linked_cypher("Tweet", "tweetid")),
    ]


@dataclass
class ChunkOutcome:
    loaded: int = 0  # rows that became (or completed) a tweet / account in the disclosure
    already_present: int = 0  # rows whose tweet / account this disclosure already held


def _pairs(edges: Iterable[tuple[str, str]], sources: set[str]) -> tuple[list[str], list[str]]:
    unique = dict.fromkeys(edge for edge in edges if edge[0] in sources)
    return [src for src, _ in unique], [dst for _, dst in unique]


def placeholder_account(userid: str, screen_name: str | None) -> dict[str, Any]:
    return {
        "userid": userid,
        "screen_name": screen_name,
        "screen_name_lc": screen_name.lower() if screen_name else None,
        "hashed": is_hashed_id(userid) and not userid.startswith("@"),
        "in_disclosure": False,
    }


class GraphWriter:
    """Writes chunks for one disclosure; keeps a screen-name index for ``RT @name:`` fallbacks."""

    def __init__(self, engine: GraphEngine, disclosure_id: str) -> None:
        self.engine = engine
        self.disclosure_id = disclosure_id
        self.userid_by_screen_name: dict[str, str] = {}

    # -- public -------------------------------------------------------------------------------

    def write_users(self, records: ChunkRecords) -> ChunkOutcome:
        with self.engine.transaction():
            return self._upsert_accounts(records.accounts, {})

    def write_tweets(self, records: ChunkRecords) -> ChunkOutcome:
        with self.engine.transaction():
            return self._write_tweets(records)

    # -- accounts -----------------------------------------------------------------------------

    def _lookup(
        self, label: str, key: str, props: Sequence[str], keys: list[str]
    ) -> dict[str, Any]:
        if not keys:
            return {}
        result = self.engine.run(lookup_cypher(label, key, props), {"keys": keys})
        return {row[0]: row[1:] for row in result.rows}

    def _upsert_accounts(
        self, released: dict[str, dict[str, Any]], referenced: dict[str, str | None]
    ) -> ChunkOutcome:
        outcome = ChunkOutcome()
        for userid, account in released.items():
            if account.get("screen_name_lc"):
                self.userid_by_screen_name[account["screen_name_lc"]] = userid
        wanted = list(dict.fromkeys([*released, *referenced]))
        existing = self._lookup("Account", "userid", ["in_disclosure"], wanted)
        new_rows = [
            released.get(userid) or placeholder_account(userid, referenced.get(userid))
            for userid in wanted
            if userid not in existing
        ]
        upgrades = [
            released[userid]
            for userid in released
            if userid in existing and not existing[userid][0]
        ]
        self.engine.insert_nodes("Account", node_table("Account", _columns(new_rows)))
        self.engine.update_nodes("Account", _typed_update("Account", upgrades))

        # A released account joins this disclosure once, however many files name it.
        linked = self._linked_to_disclosure("Account", "userid", list(released))
        to_link = [userid for userid in released if userid not in linked]
        self.engine.insert_rels(
            "IN_DISCLOSURE",
            "Account",
            "Disclosure",
            rel_table("IN_DISCLOSURE", to_link, [self.disclosure_id] * len(to_link)),
        )
        outcome.loaded = len(to_link)
        outcome.already_present = len(released) - len(to_link)
        return outcome

    def _linked_to_disclosure(self, label: str, key: str, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        result = self.engine.run(
            linked_cypher(label, key), {"keys": keys, "disclosure": self.disclosure_id}
        )
        return {row[0] for row in result.rows}

    # -- tweets -------------------------------------------------------------------------------

    def _resolve_retweeted_authors(self, records: ChunkRecords) -> None:
        """Empty retweet_userid: find the author from the ``RT @name:`` prefix of the text."""
        if not records.unresolved_retweets:
            return
        names = {name.lower() for _, _, name in records.unresolved_retweets}
        unknown = [n for n in names if n not in self.userid_by_screen_name]
        if unknown:
            result = self.engine.run(ACCOUNTS_BY_SCREEN_NAME, {"names": unknown})
            for name, userid in result.rows:
                self.userid_by_screen_name.setdefault(name, userid)
        for _, original, name in records.unresolved_retweets:
            # Not seen anywhere: keep the edge with an account keyed by its handle ('@name').
            userid = self.userid_by_screen_name.get(name.lower(), "@" + name.lower())
            records.referenced_accounts.setdefault(userid, name)
            if records.referenced_tweets.get(original) is None:
                records.referenced_tweets[original] = userid

    def _write_tweets(self, records: ChunkRecords) -> ChunkOutcome:
        outcome = ChunkOutcome()
        rows_by_id: dict[str, dict[str, Any]] = {}
        for tweet in records.tweets:
            if tweet["tweetid"] in rows_by_id:
                outcome.already_present += 1  # the same tweet twice in one chunk
            else:
                rows_by_id[tweet["tweetid"]] = tweet
        existing = self._lookup("Tweet", "tweetid", ["in_disclosure", "userid"], list(rows_by_id))
        fresh = [t for tid, t in rows_by_id.items() if tid not in existing]
        upgrades = [t for tid, t in rows_by_id.items() if tid in existing and not existing[tid][0]]
        # Released by another disclosure already: this one only gains the membership edge.
        released_elsewhere = [tid for tid in rows_by_id if tid in existing and existing[tid][0]]
        linked = self._linked_to_disclosure("Tweet", "tweetid", released_elsewhere)
        shared = [tid for tid in released_elsewhere if tid not in linked]
        outcome.already_present += len(linked)
        outcome.loaded = len(fresh) + len(upgrades) + len(shared)
        loadable = {t["tweetid"] for t in fresh} | {t["tweetid"] for t in upgrades}

        self._resolve_retweeted_authors(records)
        # Placeholders for retweeted / replied-to / quoted tweets outside this chunk's rows.
        referenced_tweets = {
            tid: author
            for tid, author in records.referenced_tweets.items()
            if tid not in rows_by_id
        }
        referenced_accounts = dict(records.referenced_accounts)
        for author in referenced_tweets.values():
            if author:
                referenced_accounts.setdefault(author, None)
        self._upsert_accounts(records.accounts, referenced_accounts)

        known = self._lookup("Tweet", "tweetid", ["userid"], list(referenced_tweets))
        new_placeholders = [
            {"tweetid": tid, "userid": author, "in_disclosure": False}
            for tid, author in referenced_tweets.items()
            if tid not in known
        ]
        # A placeholder whose author was unknown learns it from a later retweet row.
        authored_now = [
            {"tweetid": tid, "userid": author}
            for tid, author in referenced_tweets.items()
            if tid in known and known[tid][0] is None and author
        ]
        self.engine.insert_nodes("Tweet", node_table("Tweet", _columns(fresh + new_placeholders)))
        self.engine.update_nodes("Tweet", _typed_update("Tweet", upgrades))
        self.engine.update_nodes("Tweet", _typed_update("Tweet", authored_now))

        posted = [(t["userid"], t["tweetid"]) for t in fresh]
        posted += [
            (t["userid"], t["tweetid"]) for t in upgrades if existing[t["tweetid"]][1] is None
        ]
        posted += [
            (p["userid"], p["tweetid"]) for p in new_placeholders + authored_now if p["userid"]
        ]
        self._rels("POSTED", "Account", "Tweet", [a for a, _ in posted], [t for _, t in posted])
        ids = sorted(loadable) + shared
        self._rels("IN_DISCLOSURE", "Tweet", "Disclosure", ids, [self.disclosure_id] * len(ids))
        for rel_type, edges in (
            ("RETWEET_OF", records.retweet_of),
            ("REPLY_TO", records.reply_to),
            ("QUOTES", records.quotes),
        ):
            self._rels(rel_type, "Tweet", "Tweet", *_pairs(edges, loadable))
        self._rels("MENTIONS", "Tweet", "Account", *_pairs(records.mentions, loadable))
        self._write_hashtags(records, loadable)
        self._write_urls(records, loadable)
        return outcome

    def _write_hashtags(self, records: ChunkRecords, loadable: set[str]) -> None:
        sources, tags = _pairs(records.tagged, loadable)
        wanted = list(dict.fromkeys(tags))
        known = self.engine.existing_keys("Hashtag", wanted)
        new = [
            {"tag": t, "spelling": records.hashtag_spelling.get(t)}
            for t in wanted
            if t not in known
        ]
        self.engine.insert_nodes("Hashtag", node_table("Hashtag", _columns(new)))
        self._rels("TAGGED", "Tweet", "Hashtag", sources, tags)

    def _write_urls(self, records: ChunkRecords, loadable: set[str]) -> None:
        sources, urls = _pairs(records.links, loadable)
        wanted = list(dict.fromkeys(urls))
        known = self.engine.existing_keys("Url", wanted)
        new_urls = [u for u in wanted if u not in known]
        url_domains = [(u, d) for u in new_urls if (d := domain_of(u))]
        domains = list(dict.fromkeys(d for _, d in url_domains))
        known_domains = self.engine.existing_keys("Domain", domains)
        new_domains = [{"name": d} for d in domains if d not in known_domains]
        self.engine.insert_nodes("Url", node_table("Url", {"url": new_urls}))
        self.engine.insert_nodes("Domain", node_table("Domain", _columns(new_domains)))
        self._rels("LINKS_TO", "Tweet", "Url", sources, urls)
        self._rels(
            "ON_DOMAIN", "Url", "Domain", [u for u, _ in url_domains], [d for _, d in url_domains]
        )

    def _rels(
        self, rel_type: str, src: str, dst: str, sources: list[str], targets: list[str]
    ) -> None:
        if sources:
            self.engine.insert_rels(rel_type, src, dst, rel_table(rel_type, sources, targets))


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Row dicts -> column lists (missing keys null), the shape ``node_table`` takes."""
    if not rows:
        return {}
    names = dict.fromkeys(name for row in rows for name in row)
    return {name: [row.get(name) for row in rows] for name in names}


def _typed_update(label: str, rows: list[dict[str, Any]]) -> Any:
    """An update table with only the columns the rows carry, typed from the schema."""
    table = node_table(label, _columns(rows) or {})
    if not rows:
        return table
    present = list(dict.fromkeys(name for row in rows for name in row))
    return table.select(present)
