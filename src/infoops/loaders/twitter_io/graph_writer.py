"""Turn each chunk of Twitter records into staged graph rows, without duplicates.

Nothing is written to the graph until ``Stage.commit`` (see loaders/staging.py). For each chunk
the writer asks the graph which keys already exist and checks what this load already staged:

- a released tweet already linked to this disclosure (in the graph, or staged by an earlier
  chunk) is *already present*: its row and edges are skipped; one released by another disclosure
  only gains this disclosure's IN_DISCLOSURE edge;
- a tweet or account in the graph only as a placeholder (``in_disclosure=false``, created because
  something retweeted, replied to or mentioned it) is upgraded in place, keeping its edges;
- everything else is new.

A row whose id this disclosure already holds is compared with the copy kept (``KeptCopies``
for copies kept by this load, the node's properties for earlier loads): the same content is
*already present*, different content a *conflict*, quarantined with the reason naming the kept
copy, never dropped silently (records.py says what content is). Accounts are compared for users
files only: a tweets row repeats its author's columns, and those are not the account's record.
A copy held by another disclosure is not compared: each release is its own snapshot (counts move
between them, hashed ids are salted per release), and the graph keeps the first of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine, node_table
from infoops.loaders.sources import printable
from infoops.loaders.staging import Stage
from infoops.loaders.twitter_io.fields import domain_of
from infoops.loaders.twitter_io.records import (
    ACCOUNT_CONTENT,
    TWEET_CONTENT,
    ChunkRecords,
    Copies,
    content_fingerprints,
    first_per_key,
)

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


_KEYS = {"Account": "userid", "Tweet": "tweetid"}
_CONTENT = {"Account": ACCOUNT_CONTENT, "Tweet": TWEET_CONTENT}
_CONTENT_LOOKUP_KEYS = 20_000  # members read back at a time: bounds the memory their text takes


def linked_cypher(label: str, key: str) -> str:
    return (
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}})-[:IN_DISCLOSURE]->"
        f"(d:Disclosure {{id: $disclosure}}) RETURN n.{key}"
    )


def in_other_disclosures_cypher(label: str, key: str) -> str:
    return (
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}})-[:IN_DISCLOSURE]->(d:Disclosure) "
        f"WHERE d.id <> $disclosure RETURN n.{key}"
    )


def statements() -> list[tuple[str, str]]:
    """The statements this writer sends itself, for the Cypher linter (tests collect them)."""
    return [
        ("accounts-by-screen-name", ACCOUNTS_BY_SCREEN_NAME),
        ("linked-accounts", linked_cypher("Account", "userid")),
        ("linked-tweets", linked_cypher("Tweet", "tweetid")),
        ("accounts-in-other-disclosures", in_other_disclosures_cypher("Account", "userid")),
        ("tweets-in-other-disclosures", in_other_disclosures_cypher("Tweet", "tweetid")),
    ]


@dataclass
class ChunkOutcome:
    loaded: int = 0  # rows that become (or complete) a tweet / account of the disclosure
    already_present: int = 0  # rows whose tweet / account the disclosure already holds


@dataclass
class Kept:
    """Kept copies of some ids, as parallel arrays."""

    keys: pa.Array
    fingerprints: np.ndarray  # uint64
    places: np.ndarray  # int32: index into KeptCopies.places
    lines: np.ndarray  # int64: line in the file, 0 for the graph's copy

    @staticmethod
    def none() -> Kept:
        empty = np.zeros(0, dtype=np.int64)
        return Kept(pa.array([], pa.string()), empty.astype(np.uint64), empty, empty)

    def __len__(self) -> int:
        return len(self.keys)

    def take(self, positions: np.ndarray) -> Kept:
        return Kept(
            self.keys.take(pa.array(positions, pa.int64())),
            self.fingerprints[positions],
            self.places[positions],
            self.lines[positions],
        )

    @staticmethod
    def join(parts: Sequence[Kept]) -> Kept:
        parts = [part for part in parts if len(part)] or [Kept.none()]
        return Kept(
            pa.concat_arrays([part.keys for part in parts]),
            np.concatenate([part.fingerprints for part in parts]),
            np.concatenate([part.places for part in parts]),
            np.concatenate([part.lines for part in parts]),
        )


class KeptCopies:
    """The copy of each id that this load kept: its fingerprint and where it came from.

    Arrays, not a dict: a dict would cost about 200 bytes per id, 200 MB for a million tweets;
    this costs about 45 bytes per id.
    """

    def __init__(self) -> None:
        self.places: list[str] = []  # file names, or the graph's copy
        self._place_numbers: dict[str, int] = {}
        self._blocks: list[Kept] = []

    def add(
        self, keys: pa.Array, fingerprints: np.ndarray, place: str, lines: np.ndarray | None
    ) -> Kept:
        """``lines=None``: copies that are not in a file (the graph's)."""
        number = self._place_numbers.setdefault(place, len(self.places))
        if number == len(self.places):
            self.places.append(place)
        count = len(keys)
        block = Kept(
            keys,
            np.asarray(fingerprints, dtype=np.uint64),
            np.full(count, number, dtype=np.int32),
            np.zeros(count, np.int64) if lines is None else np.asarray(lines, np.int64),
        )
        if count:
            self._blocks.append(block)
        return block

    def find(self, keys: pa.Array) -> Kept:
        """The kept copies of those of ``keys`` this load kept."""
        if not len(keys) or not self._blocks:
            return Kept.none()
        if len(self._blocks) > 1:  # merged when a search needs it, searched as one
            self._blocks = [Kept.join(self._blocks)]
        kept = self._blocks[0]
        positions = pc.index_in(keys, value_set=kept.keys).drop_null().to_numpy()
        return kept.take(positions)

    def describe(self, kept: Kept, position: int) -> str:
        place, line = self.places[int(kept.places[position])], int(kept.lines[position])
        return f"the copy kept from {place} line {line}" if line else place


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
        self.kept: dict[str, KeptCopies] = {"Account": KeptCopies(), "Tweet": KeptCopies()}

    # -- membership of this disclosure ----------------------------------------------------------

    def _link(
        self, label: str, key: str, absent: list[str], existing: list[str]
    ) -> tuple[list[str], list[str]]:
        """Stage IN_DISCLOSURE for nodes not yet members; returns the new members and the nodes
        found to be members already.

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
        return new, [k for k in candidates if k in members]

    # -- copies of one id -----------------------------------------------------------------------

    def _graph_copies(self, label: str, members: list[str]) -> Kept:
        """The copies earlier loads of this disclosure kept: the members' properties, read back
        a slice at a time (they hold the text), fingerprinted, and kept for later chunks."""
        key, columns = _KEYS[label], _CONTENT[label]
        where = f"the copy already in the graph for disclosure {self.disclosure_id}"
        parts = []
        for start in range(0, len(members), _CONTENT_LOOKUP_KEYS):
            found = self.engine.lookup(
                label, members[start : start + _CONTENT_LOOKUP_KEYS], list(columns)
            )
            if not found:
                continue
            values = dict(zip(columns, zip(*found.values(), strict=True), strict=True))
            table = node_table(label, {key: list(found), **values})
            fingerprints = content_fingerprints(table, columns)
            keys = table.column(key).combine_chunks()
            parts.append(self.kept[label].add(keys, fingerprints, where, None))
        return Kept.join(parts)

    def _settle_copies(self, label: str, copies: Copies, prior: Kept) -> int:
        """Quarantine the rows of ``copies`` whose content differs from the kept copy of their id
        (``prior``, or else the first row of the id in this chunk); returns how many. The first
        rows of ids without a prior copy are the ones this chunk loads: they become kept copies.
        """
        count = len(copies.keys)
        at = np.full(count, -1, dtype=np.int64)
        if len(prior):
            at = pc.fill_null(pc.index_in(copies.keys, value_set=prior.keys), -1).to_numpy()
        accepted = np.flatnonzero(copies.first & (at < 0))
        name = copies.chunk.source.name
        self.kept[label].add(
            copies.keys.take(pa.array(accepted)),
            copies.fingerprints[accepted],
            name,
            copies.lines()[accepted],
        )
        if len(accepted) == count:  # the common case: every row new, none repeated
            return 0
        has_prior = at >= 0
        expected = copies.fingerprints[copies.first_of]
        expected[has_prior] = prior.fingerprints[at[has_prior]]
        conflicts = np.flatnonzero(expected != copies.fingerprints).tolist()
        keys = copies.keys.take(pa.array(conflicts, pa.int64())).to_pylist()
        in_graph = [has_prior[p] and not prior.lines[at[p]] for p in conflicts]
        shared = self._in_other_disclosures(
            label, {k for k, graph in zip(keys, in_graph, strict=True) if graph}
        )
        rejected = 0
        for key, position in zip(keys, conflicts, strict=True):
            if key in shared:
                continue  # the graph's copy came with another release: a snapshot of its own
            if has_prior[position]:
                where = self.kept[label].describe(prior, int(at[position]))
            else:
                first_line = copies.line(int(copies.first_of[position]))
                where = f"the copy kept from {name} line {first_line}"
            copies.reject(
                position,
                f"conflict: {copies.key} {printable(key)} has different content than {where}",
            )
            rejected += 1
        return rejected

    def _in_other_disclosures(self, label: str, keys: set[str]) -> set[str]:
        if not keys:
            return set()
        result = self.engine.run(
            in_other_disclosures_cypher(label, _KEYS[label]),
            {"keys": sorted(keys), "disclosure": self.disclosure_id},
        )
        return {row[0] for row in result.rows}

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
        linked, members = self._link(
            "Account",
            "userid",
            new + upgrades,
            [u for u in unseen if u in existing and existing[u][0]],
        )
        if users is None or users.copies is None:
            return ChunkOutcome(loaded=len(linked), already_present=len(ids) - len(linked))
        # Users files are small: every id is looked for among the copies kept so far.
        prior = Kept.join(
            [self.kept["Account"].find(users.copies.keys), self._graph_copies("Account", members)]
        )
        conflicts = self._settle_copies("Account", users.copies, prior)
        users.rejected += conflicts
        rows = len(users.copies.keys)
        users.copies = None  # it holds the raw chunk, which the next one should not meet
        return ChunkOutcome(loaded=len(linked), already_present=rows - len(linked) - conflicts)

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
        staged_before = [t for t in ids if t in staged] if len(unseen) < len(ids) else []
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
        linked, members = self._link("Tweet", "tweetid", fresh + upgrades, released_elsewhere)
        conflicts = 0
        if records.copies is not None:
            # Kept copies exist only for ids staged before (found among those kept so far) and
            # for members of this disclosure in the graph; a first load has neither.
            kept = self.kept["Tweet"].find(pa.array(staged_before, pa.string()))
            prior = Kept.join([kept, self._graph_copies("Tweet", members)])
            conflicts = self._settle_copies("Tweet", records.copies, prior)
            records.rejected += conflicts
            records.copies = None  # it holds the raw chunk, which the next one should not meet
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
            already_present=len(ids) + records.duplicates - len(linked) - conflicts,
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
