"""Account-level edges derived from tweet-level ones, with count and first/last time.

A load adds to them what it adds to the graph, in columnar code rather than by recounting in
Cypher: while staging, the graph writer keeps the author and time of each retweet, reply and
mention it stages (``counted_rows``); at the end of staging (``stage_derived``, nothing written
yet) the authors of the tweets they point at are looked up and the edges counted per account
pair, into a *delta* beside the staged files. The load's last step (loaders/load_journal.py)
adds each pair's delta to what the graph holds for that pair (``merged_rows``, ``merge_derived``:
counts summed, the earlier first, the later last). A full recount gives the same edges: tests
compare.

A full recount (``count_derived``, ``replace_derived``) is still what a resumed load does (the
graph may hold part of an interrupted load's edges, so no delta can be trusted), and what a load
does when it changes the author of a tweet the graph already counted (a pair then loses counts,
and a first or last time cannot be taken back). A tweet whose author the load makes known has
the retweets and replies the graph already held of it counted too (``incoming_cypher``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from infoops.engines.base import GraphEngine, rel_table
from infoops.engines.cypher import count_rels_cypher
from infoops.loaders.memory import release_memory
from infoops.loaders.timestamps import iso_utc

# (derived type, Cypher returning src, dst, n, first_s, last_s). Authors come from Tweet.userid,
# which placeholders carry too, so retweets of tweets outside the release still count.
DERIVATIONS: dict[str, str] = {
    "AMPLIFIED": (
        "MATCH (t:Tweet)-[:RETWEET_OF]->(o:Tweet) "
        "WHERE t.userid IS NOT NULL AND o.userid IS NOT NULL "
        "RETURN t.userid AS src, o.userid AS dst, count(*) AS n, "
        "min(t.time_s) AS first_s, max(t.time_s) AS last_s"
    ),
    "REPLIED_TO": (
        "MATCH (t:Tweet)-[:REPLY_TO]->(o:Tweet) "
        "WHERE t.userid IS NOT NULL AND o.userid IS NOT NULL "
        "RETURN t.userid AS src, o.userid AS dst, count(*) AS n, "
        "min(t.time_s) AS first_s, max(t.time_s) AS last_s"
    ),
    "MENTIONED": (
        "MATCH (t:Tweet)-[:MENTIONS]->(a:Account) WHERE t.userid IS NOT NULL "
        "RETURN t.userid AS src, a.userid AS dst, count(*) AS n, "
        "min(t.time_s) AS first_s, max(t.time_s) AS last_s"
    ),
}
# The tweet-level type each derived type counts, and whether it ends at a tweet (whose author
# is the derived edge's end) or at the account itself.
SOURCES: dict[str, tuple[str, bool]] = {
    "AMPLIFIED": ("RETWEET_OF", True),
    "REPLIED_TO": ("REPLY_TO", True),
    "MENTIONED": ("MENTIONS", False),
}
DELTA_FILE = "derived.json"  # in the staging folder: {"recount": bool, "files": {type: name}}
LOOKUP_BATCH = 10_000  # keys per query when the graph is asked about staged keys


def existing_edges_cypher(rel_type: str) -> str:
    """The ``rel_type`` edges of the accounts keyed in ``$keys``, with their counts."""
    if rel_type not in SOURCES:
        raise ValueError(f"{rel_type} is not a derived edge type")
    return (
        f"UNWIND $keys AS k MATCH (a:Account {{userid: k}})-[e:{rel_type}]->(b:Account) "
        "RETURN a.userid AS src, b.userid AS dst, e.count AS count, e.first_s AS first_s, "
        "e.last_s AS last_s"
    )


def incoming_cypher(rel_type: str) -> str:
    """The ``rel_type`` edges into the tweets keyed in ``$keys``, from tweets with an author."""
    if rel_type not in ("RETWEET_OF", "REPLY_TO"):
        raise ValueError(f"{rel_type} does not end at a tweet whose author is counted")
    return (
        f"UNWIND $keys AS k MATCH (t:Tweet)-[:{rel_type}]->(o:Tweet {{tweetid: k}}) "
        "WHERE t.userid IS NOT NULL RETURN t.userid AS src, o.tweetid AS dst, t.time_s AS time_s"
    )


def statements() -> list[tuple[str, str]]:
    """The statements this module sends, for the Cypher linter (tests collect them)."""
    found = [(f"derive:{rel}", text) for rel, text in DERIVATIONS.items()]
    found += [(f"existing:{rel}", existing_edges_cypher(rel)) for rel in SOURCES]
    found += [(f"incoming:{rel}", incoming_cypher(rel)) for rel in ("RETWEET_OF", "REPLY_TO")]
    return found


# -- the delta of a load, at the end of staging ------------------------------------------------


def counted_rows(source: str) -> str:
    """Under this name the graph writer stages, for every ``source`` edge it stages, the author
    and time of the edge's tweet and where the edge points (``Stage.add_side``)."""
    return f"counted-{source}"


def stage_derived(
    engine: GraphEngine, folder: Path, plan: list[dict[str, str]], counted: dict[str, list[Path]]
) -> None:
    """Count what the staged ``plan`` adds to each derived type, per account pair, into files
    in ``folder`` (and ``DELTA_FILE`` saying which), or mark the load for a full recount.
    ``counted``: the files of ``counted_rows`` per source type. Only reads the graph: it holds
    none of this load yet."""
    authors = _StagedAuthors(folder, plan)
    updated = _updated_tweets(folder, plan)
    learned = updated
    if len(updated):
        old = _graph_values(engine, "Tweet", updated, ["userid"]).column("userid")
        after = authors.of(updated)
        # An author the graph counted, changed by this load: the old pair loses counts.
        if pc.any(pc.and_(pc.is_valid(old), pc.not_equal(old, after))).as_py():
            _write_plan(folder, recount=True, files={})
            return
        learned = updated.filter(pc.and_(pc.is_null(old), pc.is_valid(after)))
    files = {}
    for rel_type, (source, to_tweet) in SOURCES.items():
        delta = _PairCounts()
        # One staged part at a time, counted per account pair as it comes: memory follows the
        # pairs, not the rows (ten million tweets held gigabytes as rows).
        for path in counted.get(source, []):
            rows = pq.read_table(path)
            delta.add(_to_authors(engine, rows, authors) if to_tweet else rows)
        if to_tweet and len(learned):
            delta.add(_newly_authored(engine, source, learned, authors))
        pairs = delta.table  # the ids put back in: made once
        if pairs.num_rows:
            files[rel_type] = f"derived-delta-{rel_type}.parquet"
            pq.write_table(pairs, folder / files[rel_type])
        del delta, pairs
        release_memory()
    _write_plan(folder, recount=False, files=files)


def _write_plan(folder: Path, *, recount: bool, files: dict[str, str]) -> None:
    text = json.dumps({"recount": recount, "files": files})
    (folder / DELTA_FILE).write_text(text, encoding="utf-8")


def read_delta(folder: Path) -> tuple[bool, dict[str, Path]]:
    """(whether the load must recount, the delta file of each derived type it changes). A
    staging folder without the file (staged by an older version) recounts."""
    path = folder / DELTA_FILE
    if not path.exists():
        return True, {}
    found = json.loads(path.read_text(encoding="utf-8"))
    return bool(found["recount"]), {rel: folder / name for rel, name in found["files"].items()}


def _tables(folder: Path, plan: list[dict[str, str]], kind: str, name: str) -> Iterator[Path]:
    for step in plan:
        if step["kind"] == kind and (step.get("label") or step.get("type")) == name:
            yield folder / step["file"]


class _StagedAuthors:
    """The author of every staged tweet as the graph holds it once the plan is written: new
    nodes, then updates in plan order (a later one wins). Read from the staged files at each
    look-up, one file at a time: held in memory, ten million tweets' ids and authors cost a
    gigabyte."""

    def __init__(self, folder: Path, plan: list[dict[str, str]]) -> None:
        self._paths = [
            *_tables(folder, plan, "node", "Tweet"),
            *_tables(folder, plan, "update", "Tweet"),
        ]

    def of(self, keys: pa.Array) -> pa.Array:
        """The author of each of ``keys`` (distinct), null for a tweet not staged or staged
        without one. The staged rows are looked up in ``keys``, the smaller side: hashing a
        million staged ids for every look-up cost seconds."""
        positions, userids = [], []
        for path in self._paths:
            part = pq.read_table(path, columns=["tweetid", "userid"])
            at = pc.index_in(part.column("tweetid"), value_set=keys)
            found = pc.is_valid(at)
            positions.append(at.filter(found).to_numpy(zero_copy_only=False))
            userids.append(part.column("userid").filter(found).combine_chunks())
        if not positions:
            return pa.nulls(len(keys), pa.string())
        position = np.concatenate(positions)
        userid = pa.concat_arrays(userids)
        # The last staged row of each key: the first of the reversed rows.
        keys_found, first_reversed = np.unique(position[::-1], return_index=True)
        row = np.full(len(keys), -1, dtype=np.int64)
        row[keys_found] = len(position) - 1 - first_reversed
        return userid.take(pa.array(row, mask=row < 0))


def _updated_tweets(folder: Path, plan: list[dict[str, str]]) -> pa.Array:
    keys = [pq.read_table(p, columns=["tweetid"]) for p in _tables(folder, plan, "update", "Tweet")]
    if not keys:
        return pa.array([], pa.string())
    return pc.unique(pa.concat_tables(keys).column("tweetid").combine_chunks())


def _graph_values(engine: GraphEngine, label: str, keys: pa.Array, props: list[str]) -> pa.Table:
    """``props`` of the ``label`` nodes keyed ``keys``, one row per key in their order (null
    where the graph has no such node)."""
    found: dict[str, tuple[object, ...]] = {}
    values = keys.to_pylist()
    for start in range(0, len(values), LOOKUP_BATCH):
        found.update(engine.lookup(label, values[start : start + LOOKUP_BATCH], props))
    rows = [found.get(key, (None,) * len(props)) for key in values]
    return pa.table(
        {prop: pa.array([row[i] for row in rows], pa.string()) for i, prop in enumerate(props)}
    )


def _to_authors(engine: GraphEngine, rows: pa.Table, authors: _StagedAuthors) -> pa.Table:
    """``rows`` (src, dst tweet, time_s) with ``dst`` the author of the tweet: staged, or for
    a tweet this load does not stage, the graph's."""
    encoded = pc.dictionary_encode(rows.column("dst").combine_chunks())
    tweets = encoded.dictionary
    author = authors.of(tweets)
    missing = pc.is_null(author)
    if pc.any(missing).as_py():
        graph = _graph_values(engine, "Tweet", tweets.filter(missing), ["userid"])
        author = pc.replace_with_mask(author, missing, graph.column("userid").combine_chunks())
    return rows.set_column(1, "dst", author.take(encoded.indices))


class _PairCounts:
    """Contributions (``src``, ``dst``, ``time_s``) counted per account pair as they come: how
    many, the earliest and the latest. Each batch is grouped, then merged with the pairs so
    far (counts summed, the earlier first, the later last). Accounts are held as integer codes
    into one growing list of their ids: ten million tweets make millions of pairs, whose ids as
    text (44 characters when hashed) took gigabytes while they were regrouped."""

    def __init__(self) -> None:
        self._ids = pa.array([], pa.string())  # code -> account id
        self._pairs = pa.table(
            {
                "src": pa.array([], pa.int32()),
                "dst": pa.array([], pa.int32()),
                "count": pa.array([], pa.int64()),
                "first_s": pa.array([], pa.int64()),
                "last_s": pa.array([], pa.int64()),
            }
        )

    @property
    def table(self) -> pa.Table:
        """The pairs with their account ids: src, dst, count, first_s, last_s."""
        return self._pairs.set_column(
            0, "src", self._ids.take(self._pairs.column("src"))
        ).set_column(1, "dst", self._ids.take(self._pairs.column("dst")))

    def add(self, contributions: pa.Table) -> None:
        if not contributions.num_rows:
            return
        edges = contributions.filter(
            pc.and_(
                pc.is_valid(contributions.column("src")), pc.is_valid(contributions.column("dst"))
            )
        )
        if not edges.num_rows:
            return
        time_s = edges.column("time_s").cast(pa.int64())
        batch = pa.table(
            {
                "src": self._codes(edges.column("src")),
                "dst": self._codes(edges.column("dst")),
                "count": pa.array(np.ones(edges.num_rows, np.int64)),
                "first_s": time_s,
                "last_s": time_s,
            }
        )
        # A null time counts, and min and max pass over it.
        self._pairs = _by_pair(pa.concat_tables([self._pairs, batch]))

    def _codes(self, ids: pa.ChunkedArray) -> pa.Array:
        """The code of each id, ids not seen before appended to the list."""
        values = ids.combine_chunks().cast(pa.string())
        at = pc.index_in(values, value_set=self._ids)
        if at.null_count:
            unseen = pc.unique(values.filter(pc.is_null(at)))
            self._ids = pa.concat_arrays([self._ids, unseen])
            at = pc.index_in(values, value_set=self._ids)
        return at.cast(pa.int32())


def _by_pair(rows: pa.Table) -> pa.Table:
    """One row per (src, dst) code pair: counts summed, the earliest first, the latest last."""
    grouped = rows.group_by(["src", "dst"], use_threads=False).aggregate(
        [("count", "sum"), ("first_s", "min"), ("last_s", "max")]
    )
    return pa.table(
        {
            "src": grouped.column("src"),
            "dst": grouped.column("dst"),
            "count": grouped.column("count_sum"),
            "first_s": grouped.column("first_s_min"),
            "last_s": grouped.column("last_s_max"),
        }
    )


def _newly_authored(
    engine: GraphEngine, source: str, learned: pa.Array, authors: _StagedAuthors
) -> pa.Table:
    """The ``source`` edges the graph already holds into tweets whose author this load makes
    known: counted now for the first time."""
    statement = incoming_cypher(source)
    keys = learned.to_pylist()
    found = [
        engine.run_table(statement, {"keys": keys[start : start + LOOKUP_BATCH]})
        for start in range(0, len(keys), LOOKUP_BATCH)
    ]
    rows = [part for part in found if part.num_rows]
    if not rows:
        return pa.table({"src": pa.array([], pa.string())})
    incoming = pa.concat_tables(
        [
            pa.table(
                {
                    "src": part.column("src").cast(pa.string()),
                    "tweet": part.column("dst").cast(pa.string()),
                    "time_s": part.column("time_s").cast(pa.int64()),
                }
            )
            for part in rows
        ]
    )
    encoded = pc.dictionary_encode(incoming.column("tweet").combine_chunks())
    return pa.table(
        {
            "src": incoming.column("src"),
            "dst": authors.of(encoded.dictionary).take(encoded.indices),
            "time_s": incoming.column("time_s"),
        }
    )


# -- adding the delta to the graph -------------------------------------------------------------


def merged_rows(
    engine: GraphEngine, rel_type: str, delta: Path, part_rows: int
) -> tuple[list[Path], pa.Table]:
    """(Parquet files of the edges to create, ``part_rows`` rows each at most; the edges to
    update): the delta of ``rel_type`` added to what the graph holds for the same account
    pairs, as rows of the relationship's columns. Only reads. Files for the new edges, the most
    of them: Ladybug keeps a table passed as a query parameter alive with the connection, a file
    it reads and lets go."""
    added = pq.read_table(delta)
    existing = _existing(engine, rel_type, added.column("src"))
    stem = delta.with_name(f"derived-new-{rel_type}")
    if not existing.num_rows:  # every pair is new (a first load's)
        return _part_files(rel_type, added, stem, part_rows), _edge_table(
            rel_type, *added.slice(0, 0).columns
        )
    joined = added.join(existing, keys=["src", "dst"], join_type="left outer")
    old = pc.is_valid(joined.column("count_old"))
    merged = pa.table(
        {
            "src": joined.column("src"),
            "dst": joined.column("dst"),
            "count": pc.add(joined.column("count"), pc.fill_null(joined.column("count_old"), 0)),
            "first_s": pc.min_element_wise(joined.column("first_s"), joined.column("first_old")),
            "last_s": pc.max_element_wise(joined.column("last_s"), joined.column("last_old")),
        }
    )
    created = _part_files(rel_type, merged.filter(pc.invert(old)), stem, part_rows)
    return created, _edge_table(rel_type, *merged.filter(old).columns)


def _part_files(rel_type: str, pairs: pa.Table, stem: Path, part_rows: int) -> list[Path]:
    """``pairs`` (src, dst, count, first_s, last_s) as edge rows in files of ``part_rows``,
    made a part at a time: the times as text double a part's size."""
    paths = []
    for number, start in enumerate(range(0, pairs.num_rows, part_rows)):
        path = stem.with_name(f"{stem.name}-{number}.parquet")
        pq.write_table(_edge_table(rel_type, *pairs.slice(start, part_rows).columns), path)
        paths.append(path)
    return paths


def _existing(engine: GraphEngine, rel_type: str, sources: pa.ChunkedArray) -> pa.Table:
    if not engine.count(count_rels_cypher(rel_type)):
        return pa.table({})  # a graph without any: nothing to read edge by edge
    keys = pc.unique(sources.combine_chunks()).to_pylist()
    statement = existing_edges_cypher(rel_type)
    parts = [
        engine.run_table(statement, {"keys": keys[start : start + LOOKUP_BATCH]})
        for start in range(0, len(keys), LOOKUP_BATCH)
    ]
    parts = [
        pa.table(
            {
                "src": part.column("src").cast(pa.string()),
                "dst": part.column("dst").cast(pa.string()),
                "count_old": part.column("count").cast(pa.int64()),
                "first_old": part.column("first_s").cast(pa.int64()),
                "last_old": part.column("last_s").cast(pa.int64()),
            }
        )
        for part in parts
        if part.num_rows
    ]
    return pa.concat_tables(parts) if parts else pa.table({})


def merge_derived(
    engine: GraphEngine, rel_type: str, created: list[Path], update: pa.Table, part_rows: int
) -> int:
    """Write ``merged_rows``' result, each file of new edges and each ``part_rows`` of updates
    in a transaction of its own; returns edges written. Parts, because a Ladybug transaction's
    new rows wait in memory for its commit, and its checkpoint then rewrites them: three
    million tweets make 1.8 million AMPLIFIED edges, whose two texts filled its page cache in
    one; on Neo4j, a million derived edges ran past the server's transaction memory."""
    written = 0
    for path in created:
        with engine.transaction():
            written += engine.copy_rels(rel_type, "Account", "Account", path)
    for start in range(0, update.num_rows, part_rows):
        with engine.transaction():
            rows = update.slice(start, part_rows)
            written += engine.update_rels(rel_type, "Account", "Account", rows)
    return written


def derived_part_rows(engine: GraphEngine) -> int:
    """Derived edges per transaction: a quarter of the engine's part, since each carries two
    texts and three numbers and Ladybug's checkpoint rewrites the account pairs they touch."""
    return max(1, engine.write_part_rows // 4)


# -- a full recount ------------------------------------------------------------------------------


def count_derived(engine: GraphEngine, rel_type: str, folder: Path) -> Path:
    """Count every ``rel_type`` edge afresh into a Parquet file in ``folder``; only reads.

    Run before the transaction that writes them: on Neo4j a read inside a write transaction
    keeps its grouping memory until the commit (a 1M-tweet recount then ran past the server's
    transaction memory limit). A file, not a table parameter: Ladybug keeps a table passed as a
    query parameter alive with the connection, a file it reads and lets go.
    """
    table = engine.run_table(DERIVATIONS[rel_type])
    edges = _edge_table(
        rel_type,
        table.column("src"),
        table.column("dst"),
        table.column("n"),
        table.column("first_s"),
        table.column("last_s"),
    )
    path = folder / f"derived-{rel_type}.parquet"
    pq.write_table(edges, path)
    return path


def replace_derived(engine: GraphEngine, rel_type: str, counted: Path) -> int:
    """Replace every ``rel_type`` edge by those ``count_derived`` wrote (inside the caller's
    transaction)."""
    engine.clear_rels(rel_type)
    return engine.copy_rels(rel_type, "Account", "Account", counted)


def fits_one_transaction(engine: GraphEngine, rows: int) -> bool:
    return rows <= engine.write_part_rows


def recounted_rows(counted: dict[str, Path]) -> int:
    return sum(int(pq.ParquetFile(path).metadata.num_rows) for path in counted.values())


def replace_derived_in_parts(engine: GraphEngine, counted: dict[str, Path]) -> dict[str, int]:
    """``replace_derived`` for edges too many for one of the engine's transactions (Neo4j, 1M
    tweets: 1.2M derived edges ran past the server's transaction memory): each type cleared in
    batches, then written in parts of ``write_part_rows``, each in a transaction of its own.
    Killed half-way, the journal's step is not done, and the next run recounts and rewrites all.
    """
    derived = {}
    for rel_type, path in counted.items():
        engine.clear_rels_in_batches(rel_type, engine.write_part_rows)
        derived[rel_type] = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=engine.write_part_rows):
            with engine.transaction():
                part = pa.Table.from_batches([batch])
                derived[rel_type] += engine.insert_rels(rel_type, "Account", "Account", part)
    return derived


def _edge_table(
    rel_type: str, src: object, dst: object, count: object, first_s: object, last_s: object
) -> pa.Table:
    first = pc.cast(first_s, pa.int64())
    last = pc.cast(last_s, pa.int64())
    return rel_table(
        rel_type,
        src,
        dst,
        {
            "count": pc.cast(count, pa.int64()),
            "first_s": first,
            "last_s": last,
            "first": iso_utc(first),
            "last": iso_utc(last),
        },
    )
