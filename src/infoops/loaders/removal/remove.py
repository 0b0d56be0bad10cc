"""Remove one disclosure, and nothing another still holds; then rebuild what derives from it.

The graph left is the graph a load of the other disclosures alone would have made:

- what another disclosure also releases only loses its IN_DISCLOSURE edge (it keeps the copy
  loaded first: the graph holds one copy of a node);
- a tweet or account only this disclosure releases goes, unless something left refers to it
  (a retweet, reply or quote of the tweet; a mention of the account, or a tweet it posted):
  then it becomes the placeholder a load of the rest would have made (its key, the author a
  retweet or reply gives, the name a retweet's ``RT @name:`` prefix gives, nothing else);
- its tweets' edges go, and with them the placeholders, hashtags, URLs and domains nothing else
  uses (loaders/removal/sweep.py); indicators only it publishes go with their NAMES edges;
- the derived account edges (AMPLIFIED, REPLIED_TO, MENTIONED) are recounted.

Coordination edges and clusters are computed over the whole graph with options the graph does
not record, so they cannot be recomputed here, and any of them may count a tweet that is gone:
all of them are cleared, and the report says to run ``infoops coordination`` and ``infoops
clusters`` again.

Every step works in batches of keys, each a transaction of its own (a million tweets must not
be one transaction, on either engine), and decides from the graph alone what is left to do:
the Disclosure node goes last, so a removal killed at any point is finished by running it
again. A disclosure whose load was killed while writing is first finished from its staged
files (loaders/load_journal.py): until then its last rows are not linked to it, and a removal
could not tell them from the rest of the graph.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from infoops.engines.base import GraphEngine, node_table
from infoops.errors import DisclosureNotFoundError, RemovalRefusedError
from infoops.loaders.derived_edges import DERIVATIONS, count_derived, replace_derived_in_parts
from infoops.loaders.disclosure_list import disclosure_ids
from infoops.loaders.load_journal import read_journal_stage, resume_interrupted
from infoops.loaders.removal.cypher import (
    CLUSTERED_ACCOUNTS,
    COORDINATION_EDGES,
    DELETE_DISCLOSURE,
    RELEASED_LABELS,
    RETWEETS_OF_ACCOUNTS,
    UNFINISHED_LOADS,
    delete_edges_cypher,
    delete_nodes_cypher,
    ends_cypher,
    having_cypher,
    members_cypher,
    shared_members_cypher,
    unlink_cypher,
)
from infoops.loaders.removal.sweep import KEPT_BY, keys_of, sweep_unkept
from infoops.loaders.staging import default_staging_dir, placeholder_accounts

# The edges a released tweet's row makes (going out of it), and the label each points at.
TWEET_ROW_EDGES = (
    ("RETWEET_OF", "Tweet"),
    ("REPLY_TO", "Tweet"),
    ("QUOTES", "Tweet"),
    ("MENTIONS", "Account"),
    ("TAGGED", "Hashtag"),
    ("LINKS_TO", "Url"),
)
# Edges to a tweet that give its author (a retweet's retweet_userid, a reply's
# in_reply_to_userid); a quote gives none.
AUTHOR_GIVING = ("RETWEET_OF", "REPLY_TO")
_RT_PREFIX = re.compile(r"^RT @(?P<name>[^\s:]+):")
STALE_ANALYSIS_HINT = (
    "coordination edges and clusters counted the removed tweets and were cleared: run "
    "`infoops coordination` and `infoops clusters` again"
)


@dataclass
class RemovalReport:
    disclosure: str
    resumed_load: bool = False  # an interrupted load was finished first
    unlinked: dict[str, int] = field(default_factory=dict)  # still released by another
    placeholders: dict[str, int] = field(default_factory=dict)  # released no more, referred to
    deleted: dict[str, int] = field(default_factory=dict)  # nodes deleted per label
    derived: dict[str, int] = field(default_factory=dict)  # derived edges after the recount
    coordination_edges_cleared: int = 0
    clustered_accounts_cleared: int = 0

    @property
    def stale_analysis(self) -> bool:
        return bool(self.coordination_edges_cleared or self.clustered_accounts_cleared)


def removal_batch(engine: GraphEngine) -> int:
    """Keys per transaction: each released tweet brings several edges and the placeholders
    they keep, so a tenth of a load's part (10,000 on both engines by default)."""
    return max(1, engine.write_part_rows // 10)


def remove_disclosure(
    engine: GraphEngine,
    disclosure: str,
    *,
    batch: int | None = None,
    on_step: Callable[[str], None] = lambda name: None,
) -> RemovalReport:
    """Remove ``disclosure`` (see the module's docstring); run again after an interruption, it
    finishes the job."""
    loaded = disclosure_ids(engine)
    if disclosure not in loaded:
        listed = ", ".join(loaded) if loaded else "none"
        raise DisclosureNotFoundError(f"no disclosure named {disclosure!r}; loaded: {listed}")
    report = RemovalReport(disclosure)
    report.resumed_load = _finish_interrupted_load(engine, disclosure, on_step)
    size = batch or removal_batch(engine)
    only = {}
    for label in RELEASED_LABELS:
        members = keys_of_all(engine, members_cypher(label), disclosure)
        shared = keys_of_all(engine, shared_members_cypher(label), disclosure)
        only[label] = sorted(members - shared)
        on_step(f"{label} nodes also released elsewhere")
        for part in _parts(sorted(shared), size):
            with engine.transaction():
                engine.run(unlink_cypher(label), {"keys": part, "id": disclosure})
        report.unlinked[label] = len(shared)
    on_step("indicators")
    for part in _parts(only["Indicator"], size):
        with engine.transaction():  # the URLs and domains they named go with them if unkept
            named = {
                label: keys_of(engine, ends_cypher("NAMES", "Indicator", label), part)
                for label in ("Url", "Domain")
            }
            engine.run(delete_nodes_cypher("Indicator"), {"keys": part})
            _add(report.deleted, {"Indicator": len(part)})
            _add(report.deleted, sweep_unkept(engine, named))
    on_step("tweet edges")
    for part in _parts(only["Tweet"], size):
        # One type a transaction: on Ladybug, the edges of every type of ten thousand tweets
        # and the placeholders they kept, deleted together, filled a 512 MiB page cache.
        for rel_type, label in TWEET_ROW_EDGES:
            with engine.transaction():
                _add(report.deleted, _strip_tweet_rows(engine, rel_type, label, part))
    on_step("tweets")
    for part in _parts(only["Tweet"], size):
        with engine.transaction():
            _settle_tweets(engine, disclosure, part, report)
    on_step("accounts")
    for part in _parts(only["Account"], size):
        with engine.transaction():
            _settle_accounts(engine, disclosure, part, report)
    on_step("derived account edges")
    report.derived = recount_derived(engine)
    on_step("coordination and clusters")
    report.coordination_edges_cleared, report.clustered_accounts_cleared = clear_stale_analysis(
        engine, size
    )
    with engine.transaction():
        engine.run(DELETE_DISCLOSURE, {"id": disclosure})
    return report


def _finish_interrupted_load(
    engine: GraphEngine, disclosure: str, on_step: Callable[[str], None]
) -> bool:
    """Finish this disclosure's interrupted load; refuse while another's is unfinished (the
    nodes its remaining steps link to could be swept as unkept)."""
    unfinished = [row[0] for row in engine.run(UNFINISHED_LOADS).rows]
    others = [other for other in unfinished if other != disclosure]
    if others:
        raise RemovalRefusedError(
            f"a load of {', '.join(others)} was interrupted while writing: run that load "
            f"again to finish it, then remove {disclosure}"
        )
    if disclosure not in unfinished:
        return False
    staged = read_journal_stage(engine, disclosure)
    if staged is not None and not Path(staged).is_dir():
        raise RemovalRefusedError(
            f"a load of {disclosure} was interrupted while writing and its staged files "
            f"({staged}) are gone: the graph holds rows of it not yet linked to it, which a "
            "removal cannot tell from the rest of the graph. Delete the database (on Neo4j, "
            "its nodes) and load the other disclosures again"
        )
    return resume_interrupted(engine, disclosure, on_step=on_step)


def keys_of_all(engine: GraphEngine, statement: str, disclosure: str) -> set[str]:
    table = engine.run_table(statement, {"id": disclosure})
    return set(table.column("k").to_pylist()) if table.num_rows else set()


def _parts(keys: list[str], size: int) -> list[list[str]]:
    return [keys[start : start + size] for start in range(0, len(keys), size)]


def _add(total: dict[str, int], more: dict[str, int]) -> None:
    for label, count in more.items():
        total[label] = total.get(label, 0) + count


def _strip_tweet_rows(
    engine: GraphEngine, rel_type: str, label: str, tweets: list[str]
) -> dict[str, int]:
    """Delete the ``rel_type`` edges the rows of ``tweets`` made, then what only they kept."""
    ends = keys_of(engine, ends_cypher(rel_type, "Tweet", label), tweets)
    engine.run(delete_edges_cypher(rel_type, "Tweet", label), {"keys": tweets})
    return sweep_unkept(engine, {label: ends})


def _settle_tweets(
    engine: GraphEngine, disclosure: str, tweets: list[str], report: RemovalReport
) -> None:
    """Tweets no disclosure releases any more (their rows' edges already gone): placeholders
    where something refers to them, deleted otherwise."""
    referred = set()
    for rule in KEPT_BY["Tweet"]:
        referred |= keys_of(engine, having_cypher(*rule), tweets)
    given = set()
    for rel_type in AUTHOR_GIVING:
        given |= keys_of(engine, having_cypher(rel_type, "Tweet", "Tweet", True), tweets)
    authors = keys_of(engine, ends_cypher("POSTED", "Account", "Tweet", True), tweets)
    kept = sorted(referred)
    if kept:
        known = engine.lookup("Tweet", [key for key in kept if key in given], ["userid"])
        rows = node_table(
            "Tweet",
            {
                "tweetid": kept,
                "userid": [known[key][0] if key in known else None for key in kept],
                "in_disclosure": [False] * len(kept),
            },
        )
        engine.update_nodes("Tweet", rows)
        authorless = [key for key in kept if key not in known]
        if authorless:
            statement = delete_edges_cypher("POSTED", "Account", "Tweet", True)
            engine.run(statement, {"keys": authorless})
        engine.run(unlink_cypher("Tweet"), {"keys": kept, "id": disclosure})
    gone = [key for key in tweets if key not in referred]
    if gone:
        engine.run(delete_nodes_cypher("Tweet"), {"keys": gone})
    _add(report.placeholders, {"Tweet": len(kept)})
    _add(report.deleted, {"Tweet": len(gone)})
    _add(report.deleted, sweep_unkept(engine, {"Account": authors}))


def _settle_accounts(
    engine: GraphEngine, disclosure: str, accounts: list[str], report: RemovalReport
) -> None:
    """Accounts no disclosure releases any more: placeholders where something refers to them
    (named as a retweet's prefix names them), deleted otherwise."""
    referred = set()
    for rule in KEPT_BY["Account"]:
        referred |= keys_of(engine, having_cypher(*rule), accounts)
    kept = sorted(referred)
    if kept:
        names = _retweet_prefix_names(engine, kept)
        # As a load writes the accounts it only refers to.
        rows = placeholder_accounts(kept, [names.get(key) for key in kept])
        engine.update_nodes("Account", rows)
        engine.run(unlink_cypher("Account"), {"keys": kept, "id": disclosure})
    gone = [key for key in accounts if key not in referred]
    if gone:
        engine.run(delete_nodes_cypher("Account"), {"keys": gone})
    _add(report.placeholders, {"Account": len(kept)})
    _add(report.deleted, {"Account": len(gone)})


def _retweet_prefix_names(engine: GraphEngine, accounts: list[str]) -> dict[str, str]:
    """The name a retweet of each account's tweets gives in its ``RT @name:`` prefix (the
    earliest retweet's, by id), as a load names an account it only knows from retweets."""
    found: dict[str, tuple[tuple[int, str], str]] = {}
    for userid, tweetid, text in engine.run(RETWEETS_OF_ACCOUNTS, {"keys": accounts}).rows:
        match = _RT_PREFIX.match(text or "")
        if not match:
            continue
        order = (int(tweetid) if tweetid.isdigit() else 0, tweetid)
        if userid not in found or order < found[userid][0]:
            found[userid] = (order, match.group("name"))
    return {userid: name for userid, (_, name) in found.items()}


def recount_derived(engine: GraphEngine) -> dict[str, int]:
    """Every derived edge counted afresh, then written in parts (the old ones cleared in
    batches first: a large disclosure's edges must not be one transaction)."""
    area = default_staging_dir(engine)
    area.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="infoops-remove-", dir=area)
    try:
        counted = {rel: count_derived(engine, rel, Path(folder)) for rel in DERIVATIONS}
        return replace_derived_in_parts(engine, counted)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if area.is_dir() and not any(area.iterdir()):
            area.rmdir()


def clear_stale_analysis(engine: GraphEngine, batch: int) -> tuple[int, int]:
    """Clear every COORDINATED_WITH edge and every account's cluster, kcore and role; returns
    (edges, accounts) cleared."""
    edges = engine.count(COORDINATION_EDGES)
    if edges:
        engine.clear_rels_in_batches("COORDINATED_WITH", batch)
    clustered = engine.run_table(CLUSTERED_ACCOUNTS)
    userids = clustered.column("userid").to_pylist() if clustered.num_rows else []
    for part in _parts(userids, batch):
        rows = pa.table(
            {
                "userid": pa.array(part, pa.string()),
                "cluster": pa.nulls(len(part), pa.int64()),
                "kcore": pa.nulls(len(part), pa.int64()),
                "role": pa.nulls(len(part), pa.string()),
            }
        )
        with engine.transaction():
            engine.update_nodes("Account", rows)
    return edges, len(userids)
