"""What ``crossref`` returns: per kind, the things several disclosures share and, for each
disclosure holding one, how strongly (uses, accounts, first and last time) with evidence rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

HASHED_IDS_NOTE = (
    "Hashed user ids are only comparable inside one release (each release salts its hashes "
    "differently): accounts with hashed ids are never matched across disclosures. Matches "
    "across releases use numeric ids, unhashed screen names (ignoring case), tweet ids and "
    "content."
)


def iso_time(epoch_s: int | None) -> str | None:
    if epoch_s is None:
        return None
    return datetime.fromtimestamp(epoch_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Evidence:
    """One row behind a use: the tweet (or None for an account without tweets), its author
    and time."""

    tweetid: str | None
    userid: str | None
    time: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"tweetid": self.tweetid, "userid": self.userid, "time": self.time}


@dataclass
class Presence:
    """A shared thing in one disclosure."""

    uses: int  # tweets using it there (an account's tweets; 0 for one without tweets)
    accounts: int  # distinct accounts using it there
    first: str | None  # the first and last use, UTC
    last: str | None
    evidence: list[Evidence] = field(default_factory=list)  # the first uses, up to a limit
    detail: dict[str, Any] = field(default_factory=dict)  # per kind: the name used there...

    def to_dict(self) -> dict[str, Any]:
        return {
            "uses": self.uses,
            "accounts": self.accounts,
            "first": self.first,
            "last": self.last,
            **self.detail,
            "evidence": [row.to_dict() for row in self.evidence],
        }


@dataclass
class SharedItem:
    """One thing held by at least two of the disclosures compared."""

    key: str
    presence: dict[str, Presence]  # disclosure id -> its presence there
    detail: dict[str, Any] = field(default_factory=dict)  # per kind: match, similarity...

    @property
    def disclosures(self) -> list[str]:
        return list(self.presence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            **self.detail,
            "disclosures": {d: p.to_dict() for d, p in self.presence.items()},
        }


@dataclass
class KindResult:
    kind: str
    title: str
    items: list[SharedItem]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "shared": len(self.items),
            "notes": self.notes,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass
class CrossrefReport:
    disclosures: list[str]
    kinds: list[KindResult]
    notes: list[str] = field(default_factory=lambda: [HASHED_IDS_NOTE])

    def kind(self, name: str) -> KindResult:
        return next(result for result in self.kinds if result.kind == name)

    def summary(self) -> list[dict[str, Any]]:
        """One row per kind: how many things the disclosures share."""
        return [
            {"kind": result.kind, "title": result.title, "shared": len(result.items)}
            for result in self.kinds
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "disclosures": self.disclosures,
            "notes": self.notes,
            "summary": self.summary(),
            "kinds": [result.to_dict() for result in self.kinds],
        }

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows for a table or CSV: one per kind, shared thing and disclosure."""
        out = []
        for result in self.kinds:
            for item in result.items:
                for disclosure, presence in item.presence.items():
                    out.append(
                        {
                            "kind": result.kind,
                            "key": item.key,
                            **{k: _flat(v) for k, v in item.detail.items()},
                            "disclosure": disclosure,
                            "uses": presence.uses,
                            "accounts": presence.accounts,
                            "first": presence.first,
                            "last": presence.last,
                            **{k: _flat(v) for k, v in presence.detail.items()},
                            "evidence_tweets": " ".join(
                                e.tweetid for e in presence.evidence if e.tweetid
                            ),
                            "evidence_accounts": " ".join(
                                dict.fromkeys(e.userid for e in presence.evidence if e.userid)
                            ),
                        }
                    )
        return out


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return value
