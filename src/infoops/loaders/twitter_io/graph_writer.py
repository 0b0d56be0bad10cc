"""Turn each chunk of Twitter records into staged graph rows, without duplicates.

Nothing is written to the graph until ``Stage.commit`` (see loaders/staging.py). For each chunk
the writer asks the graph which keys already exist and checks what this load already staged:

- a released tweet already linked to this disclosure (in the graph, or staged by an earlier
  chunk) is *already present*: its row and edges are skipped; one released by another disclosure
  only gains this disclosure's IN_DISCLOSURE edge;
- a tweet or account in the graph only as a placeholder (``in_disclosure=false``, created because
  something retweeted, replied to or mentioned it) is upgraded in place, keeping its edges;
- everything else is new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine, node_table
from infoops.loaders.staging import Stage
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
    """The statements this writer sends itself, for the Cypher linter (tests collect them)."""
    return [
        ("accounts-by-screen-name", ACCOUNTS_BY_SCREEN_NAME),
        ("linked-accounts", linked_cypher("Account", "userid")),
        ("linked-tweets", linked_cypher("Tweet", "tweetid")),
    ]


@dataclass
class ChunkOutcome:
    loaded: int = 0  # rows that become (or complete) a tweet / account of the disclosure
    already_present: int = 0  # rows whose tweet / account the disclosure already holds


class Everything:
    """Stands for "every key": a chunk whose rows are all new needs no filtering (the common
    case of a first load), and filtering a table by 100k keys costs more than the rest."""


KeySet: TypeAlias = "set[str] | list[str] | pa.Array | Everything"


def _only(table: pa.Table, column: str, keys: KeySet) -> pa.Table:
    if table.num_rows == 0 or isinstance(keys, Everything):
        return table
    values = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    return table.filter(pc.is_in(table.column(column), value_set=values))


class GraphWriter:
    """Stages chunks for one disclosure; keeps a screen-name index for ``RT @name:`` fallbacks."""

    def __init__(self, engine: GraphEngine, disclosure_id: str, stage: Stage) -> None:
        self.engine = engine
        self.disclosure_id = disclosure_id
        self.stage = stage
        self.userid_by_screen_name: dict[str, str] = {}
        # Released nodes of the graph whose membership was already checked in this load.
        self._checked: dict[str, set[str]] = {"Account": set(), "Tweet": set()}
        self._posted_learned: set[str] = set()

    # -- membership of this disclosure ----------------------------------------------------------

    def _link(self, label: str, key: str, absent: list[str], existing: list[str]) -> list[str]:
        """Stage IN_DISCLOSURE for nodes not yet members; returns the new members.

        Callers pass only keys this load has not staged yet: ``absent`` ones the graph does not
        hold (new, or placeholders, which are never members), ``existing`` released nodes of the
        graph, which may already be members.
        """
        checked = self._checked[label]
        candidates = [k for k in existing if k not in checked]
        checked.update(candidates)
        members: set[str] = set()
        if candidates:
            result = self.engine.run(
                linked_cypher(label, key), {"keys": candidates, "disclosure": self.disclosure_id}
            )
            members = {row[0] for row in result.rows}
        new = absent + [k for k in candidates if k not in members]
        self.stage.add_rels(
            "IN_DISCLOSURE", label, "Disclosure", new, [self.disclosure_id] * len(new)
        )
        return new

    # -- accounts -----------------------------------------------------------------------------

    def write_users(self, records: ChunkRecords) -> ChunkOutcome:
        outcome = self._accounts(records.accounts, {})
        outcome.already_present += records.duplicates
        return outcome

    def _accounts(self, released: pa.Table, referenced: dict[str, str | None]) -> ChunkOutcome:
        ids: list[str] = released.column("userid").to_pylist()
        names = released.column("screen_name_lc").to_pylist()
        self.userid_by_screen_name.update((n, u) for n, u in zip(names, ids, strict=True) if n)
        staged = self.stage.keys["Account"]
        unseen = [u for u in ids if u not in staged]
        existing = self.engine.lookup("Account", unseen, ["in_disclosure"])
        new = [u for u in unseen if u not in existing]
        upgrades = [u for u in unseen if u in existing and not existing[u][0]]
        self.stage.add_nodes("Account", _only(released, "userid", new), "userid")
        self.stage.add_updates(
            "Account", _only(released, "userid", upgrades).select(_LOADED_ACCOUNT_COLUMNS)
        )
        staged.update(upgrades)
        placeholders = self.stage.placeholder_accounts
        others = [u for u in referenced if u not in staged and u not in placeholders]
        known = self.engine.lookup("Account", others, [])
        for userid in others:
            if userid not in known:
                placeholders[userid] = referenced[userid]
        linked = self._link(
            "Account",
            "userid",
            new + upgrades,
            [u for u in unseen if u in existing and existing[u][0]],
        )
        return ChunkOutcome(loaded=len(linked), already_present=len(ids) - len(linked))

    # -- tweets -------------------------------------------------------------------------------

    def _retweet_authors(self, retweets: pa.Table) -> list[str | None]:
        """Authors of retweeted originals. An empty retweet_userid is filled from, in order:
        another row retweeting the same original, the original already staged or in the graph,
        the account named by the ``RT @name:`` prefix, and last an account keyed ``@name``."""
        authors: list[str | None] = retweets.column("author").to_pylist()
        names: list[str | None] = retweets.column("name").to_pylist()
        originals: list[str] = retweets.column("dst").to_pylist()
        missing = [i for i, a in enumerate(authors) if a is None and names[i]]
        if not missing:
            return authors
        known: dict[str, str] = {o: a for o, a in zip(originals, authors, strict=True) if a}
        for index in missing:
            author = self.stage.placeholder_tweets.get(originals[index])
            if author:
                known.setdefault(originals[index], author)
        unknown = [originals[i] for i in missing if originals[i] not in known]
        for tweetid, (author,) in self.engine.lookup("Tweet", unknown, ["userid"]).items():
            if author:
                known.setdefault(tweetid, author)
        wanted = {names[i].lower() for i in missing if names[i]}  # type: ignore[union-attr]
        lookup = [n for n in wanted if n not in self.userid_by_screen_name]
        if lookup:
            for name, userid in self.engine.run(ACCOUNTS_BY_SCREEN_NAME, {"names": lookup}).rows:
                self.userid_by_screen_name.setdefault(name, userid)
        for index in missing:
            name = str(names[index]).lower()
            authors[index] = known.get(originals[index]) or self.userid_by_screen_name.get(
                name,
                "@" + name,  # never seen anywhere: an account keyed by its handle
            )
        return authors

    def write_tweets(self, records: ChunkRecords) -> ChunkOutcome:
        tweets = records.tweets
        ids: list[str] = tweets.column("tweetid").to_pylist()
        staged = self.stage.keys["Tweet"]
        unseen = [t for t in ids if t not in staged]
        existing = self.engine.lookup("Tweet", unseen, ["in_disclosure", "userid"])
        fresh = [t for t in unseen if t not in existing]
        upgrades = [t for t in unseen if t in existing and not existing[t][0]]
        released_elsewhere = [t for t in unseen if t in existing and existing[t][0]]
        loadable = set(fresh) | set(upgrades)
        staged.update(released_elsewhere)

        # One value set for every filter below, or none when all rows are loadable.
        loadable_keys: KeySet = (
            Everything() if len(loadable) == len(ids) else pa.array(list(loadable), pa.string())
        )
        retweets = _only(records.retweets, "src", loadable_keys)
        replies = _only(records.replies, "src", loadable_keys)
        quotes = _only(records.quotes, "src", loadable_keys)
        mentions = _only(records.mentions, "src", loadable_keys)
        retweet_authors = self._retweet_authors(retweets)

        referenced_tweets: dict[str, str | None] = {}
        for dst, author in (
            *zip(retweets.column("dst").to_pylist(), retweet_authors, strict=True),
            *zip(
                replies.column("dst").to_pylist(), replies.column("author").to_pylist(), strict=True
            ),
            *((dst, None) for dst in quotes.column("dst").to_pylist()),
        ):
            if referenced_tweets.get(dst) is None:
                referenced_tweets[dst] = author
        referenced_accounts: dict[str, str | None] = {}
        for userid in (
            *(a for a in referenced_tweets.values() if a),
            *_only(records.reply_users, "src", loadable_keys).column("dst").to_pylist(),
            *mentions.column("dst").to_pylist(),
        ):
            referenced_accounts.setdefault(userid, None)
        # Accounts outside the release are known only by id; the `RT @name:` prefix names them.
        for author, name in zip(retweet_authors, retweets.column("name").to_pylist(), strict=True):
            if author and name and referenced_accounts.get(author) is None:
                referenced_accounts[author] = name
        self._accounts(records.accounts, referenced_accounts)
        self._placeholder_tweets(referenced_tweets, set(ids))

        self.stage.add_nodes(
            "Tweet",
            _only(tweets, "tweetid", Everything() if len(fresh) == len(ids) else fresh),
            "tweetid",
        )
        self.stage.add_updates("Tweet", _only(tweets, "tweetid", upgrades))
        staged.update(upgrades)
        # An upgraded placeholder already has its POSTED edge when its author was known.
        posted = _only(
            tweets, "tweetid", set(fresh) | {t for t in upgrades if existing[t][1] is None}
        )
        self.stage.add_rels(
            "POSTED", "Account", "Tweet", posted.column("userid"), posted.column("tweetid")
        )
        linked = self._link("Tweet", "tweetid", fresh + upgrades, released_elsewhere)
        for rel_type, table in (
            ("RETWEET_OF", retweets),
            ("REPLY_TO", replies),
            ("QUOTES", quotes),
        ):
            self.stage.add_rels(
                rel_type, "Tweet", "Tweet", table.column("src"), table.column("dst")
            )
        self.stage.add_rels(
            "MENTIONS", "Tweet", "Account", mentions.column("src"), mentions.column("dst")
        )
        self._hashtags(_only(records.tagged, "src", loadable_keys))
        self._urls(_only(records.links, "src", loadable_keys))
        return ChunkOutcome(
            loaded=len(linked),
            already_present=len(ids) - len(linked) + records.duplicates,
        )

    def _placeholder_tweets(self, referenced: dict[str, str | None], in_chunk: set[str]) -> None:
        """Originals, replied-to and quoted tweets not among the rows become placeholders."""
        staged, placeholders = self.stage.keys["Tweet"], self.stage.placeholder_tweets
        for tweetid, author in referenced.items():
            if tweetid in placeholders and placeholders[tweetid] is None and author:
                placeholders[tweetid] = author
        others = [
            t for t in referenced if t not in in_chunk and t not in staged and t not in placeholders
        ]
        known = self.engine.lookup("Tweet", others, ["userid"])
        learned = []
        for tweetid in others:
            author = referenced[tweetid]
            if tweetid not in known:
                placeholders[tweetid] = author
            elif known[tweetid][0] is None and author and tweetid not in self._posted_learned:
                learned.append((tweetid, author))  # a placeholder in the graph learns its author
                self._posted_learned.add(tweetid)
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
        candidates = [t for t in tags.column("dst").to_pylist() if t not in staged]
        known = self.engine.lookup("Hashtag", candidates, [])
        new = _only(tags, "dst", [t for t in candidates if t not in known])
        staged.update(known)
        self.stage.add_nodes(
            "Hashtag",
            node_table("Hashtag", {"tag": new.column("dst"), "spelling": new.column("spelling")}),
            "tag",
        )
        self.stage.add_rels(
            "TAGGED", "Tweet", "Hashtag", tagged.column("src"), tagged.column("dst")
        )

    def _urls(self, links: pa.Table) -> None:
        staged = self.stage.keys["Url"]
        candidates = [u for u in dict.fromkeys(links.column("dst").to_pylist()) if u not in staged]
        known = self.engine.lookup("Url", candidates, [])
        new_urls = [u for u in candidates if u not in known]
        staged.update(known)
        url_domains = [(u, d) for u in new_urls if (d := domain_of(u))]
        staged_domains = self.stage.keys["Domain"]
        domains = [d for d in dict.fromkeys(d for _, d in url_domains) if d not in staged_domains]
        known_domains = self.engine.lookup("Domain", domains, [])
        staged_domains.update(known_domains)
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
