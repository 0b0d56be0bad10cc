"""Is a row whose id came again an exact copy of the copy kept, or a conflict?

The copy kept of an id is the first row this load accepted for it (``KeptCopies``: its
fingerprint and where it came from), or, for a node the disclosure held before this load
(``Members``, read once per load), the fingerprint stored on the node. The same fingerprint
is an exact copy (already present), a different one a conflict, quarantined with the reason
naming the copy kept (fingerprints.py says what content is). A copy held by another disclosure
is not compared: each release is its own snapshot (counts move between them, hashed ids are
salted per release), and the graph keeps the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine, node_table
from infoops.loaders.key_index import KeyIndex
from infoops.loaders.sources import printable
from infoops.loaders.twitter_io.fingerprints import (
    ACCOUNT_CONTENT,
    FINGERPRINT,
    TWEET_CONTENT,
    Copies,
    content_fingerprints,
    stored_fingerprints,
)

KEYS = {"Account": "userid", "Tweet": "tweetid"}
_CONTENT = {"Account": ACCOUNT_CONTENT, "Tweet": TWEET_CONTENT}
_CONTENT_LOOKUP_KEYS = 20_000  # members read back at a time: bounds the memory their text takes


def members_cypher(label: str) -> str:
    """Every ``label`` node of disclosure ``$disclosure``, with its fingerprint. From the
    Disclosure node backwards: Ladybug then streams the nodes, where the other direction built a
    hash table of every tweet and ran out of its page cache at a million."""
    key = KEYS[label]
    return (
        f"MATCH (d:Disclosure {{id: $disclosure}})<-[:IN_DISCLOSURE]-(n:{label}) "
        f"RETURN n.{key} AS key, n.fingerprint AS fingerprint"
    )


def in_other_disclosures_cypher(label: str, key: str) -> str:
    return (
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}})-[:IN_DISCLOSURE]->(d:Disclosure) "
        f"WHERE d.id <> $disclosure RETURN n.{key}"
    )


class Members:
    """The nodes of one label that the disclosure held before this load, with fingerprints."""

    def __init__(self, keys: pa.Array, fingerprints: np.ndarray) -> None:
        self.keys = keys
        self.fingerprints = fingerprints
        self._index = KeyIndex(keys)

    @staticmethod
    def read(engine: GraphEngine, label: str, disclosure: str) -> Members:
        found = engine.run_table(members_cypher(label), {"disclosure": disclosure})
        if not found.num_rows:
            return Members(pa.array([], pa.string()), np.zeros(0, dtype=FINGERPRINT))
        keys = found.column("key").combine_chunks().cast(pa.string())
        return Members(keys, stored_fingerprints(found.column("fingerprint")))

    def find(self, keys: pa.Array) -> np.ndarray:
        """Position of each of ``keys`` among the members, -1 for a key that is not one."""
        return self._index.find(keys)


@dataclass
class Kept:
    """Kept copies of some ids, as parallel arrays."""

    keys: pa.Array
    fingerprints: np.ndarray  # FINGERPRINT
    places: np.ndarray  # int32: index into KeptCopies.places
    lines: np.ndarray  # int64: line in the file, 0 for the graph's copy

    @staticmethod
    def none() -> Kept:
        empty = np.zeros(0, dtype=np.int64)
        return Kept(
            pa.array([], pa.string()), np.zeros(0, FINGERPRINT), empty.astype(np.int32), empty
        )

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
    this costs about 70 bytes per id.
    """

    def __init__(self) -> None:
        self.places: list[str] = []  # file names, or the graph's copy
        self._place_numbers: dict[str, int] = {}
        self._blocks: list[Kept] = []

    def place(self, place: str) -> int:
        number = self._place_numbers.setdefault(place, len(self.places))
        if number == len(self.places):
            self.places.append(place)
        return number

    def add(self, keys: pa.Array, fingerprints: np.ndarray, place: str, lines: np.ndarray) -> None:
        if len(keys):
            count = len(keys)
            self._blocks.append(
                Kept(
                    keys,
                    np.asarray(fingerprints, dtype=FINGERPRINT),
                    np.full(count, self.place(place), dtype=np.int32),
                    np.asarray(lines, np.int64),
                )
            )

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


class CopyCheck:
    """The copies a load compares rows with, per label: those it kept, and the members'."""

    def __init__(self, engine: GraphEngine, disclosure_id: str) -> None:
        self.engine = engine
        self.disclosure_id = disclosure_id
        self.members = {label: Members.read(engine, label, disclosure_id) for label in KEYS}
        self.kept = {label: KeptCopies() for label in KEYS}
        self._graph_place = f"the copy already in the graph for disclosure {disclosure_id}"

    def settle(self, label: str, copies: Copies, maybe_kept: pa.Array) -> int:
        """Quarantine the rows of ``copies`` that conflict with the copy kept of their id;
        returns how many. ``maybe_kept``: the keys this load may have kept a copy of (staged
        by an earlier chunk); searching the others among a million copies kept costs."""
        keys = pc.unique(copies.keys)
        member_at = self.members[label].find(keys)
        is_member = member_at >= 0
        prior = Kept.join(
            [
                self.kept[label].find(maybe_kept),
                self._member_copies(label, keys.filter(pa.array(is_member)), member_at[is_member]),
            ]
        )
        return self._settle(label, copies, prior)

    def _member_copies(self, label: str, keys: pa.Array, member_at: np.ndarray) -> Kept:
        """The copies earlier loads of this disclosure kept: the members' stored fingerprints;
        for nodes stored without one (a database from before), their properties read back."""
        fingerprints = self.members[label].fingerprints[member_at]
        unknown = np.flatnonzero(fingerprints == b"")
        if len(unknown):
            fingerprints = fingerprints.copy()
            missing = keys.take(pa.array(unknown)).to_pylist()
            computed = self._fingerprints_from_properties(label, missing)
            fingerprints[unknown] = [computed.get(key, b"") for key in missing]
        count = len(keys)
        return Kept(
            keys,
            fingerprints,
            np.full(count, self.kept[label].place(self._graph_place), dtype=np.int32),
            np.zeros(count, dtype=np.int64),
        )

    def _fingerprints_from_properties(self, label: str, keys: list[str]) -> dict[str, bytes]:
        key, columns = KEYS[label], _CONTENT[label]
        computed: dict[str, bytes] = {}
        for start in range(0, len(keys), _CONTENT_LOOKUP_KEYS):
            found = self.engine.lookup(
                label, keys[start : start + _CONTENT_LOOKUP_KEYS], list(columns)
            )
            if found:
                values = dict(zip(columns, zip(*found.values(), strict=True), strict=True))
                table = node_table(label, {key: list(found), **values})
                fingerprints = content_fingerprints(table, columns)
                computed.update(zip(found, fingerprints.tolist(), strict=True))
        return computed

    def _settle(self, label: str, copies: Copies, prior: Kept) -> int:
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
            in_other_disclosures_cypher(label, KEYS[label]),
            {"keys": sorted(keys), "disclosure": self.disclosure_id},
        )
        return {row[0] for row in result.rows}
