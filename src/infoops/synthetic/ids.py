"""Identifiers as Twitter writes them: snowflake tweet and user ids, hashed user ids."""

from __future__ import annotations

import base64
import random

__all__ = [
    "TWITTER_EPOCH_MS",
    "SnowflakeIds",
    "b62",
    "external_userid",
    "hash_str",
    "released_userid",
    "snowflake_ms",
]

TWITTER_EPOCH_MS = 1288834974657
SEQ_BITS = 22
SEQ_MASK = (1 << SEQ_BITS) - 1
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def snowflake_ms(tweetid: str | int) -> int:
    """Epoch milliseconds encoded in a Twitter snowflake id (all ids written here are ones)."""
    return (int(tweetid) >> SEQ_BITS) + TWITTER_EPOCH_MS


class SnowflakeIds:
    """Tweet ids whose top bits hold the tweet's time in milliseconds, unique per release.

    A sequence number fills the low 22 bits, so ids only collide past 4M tweets; only then
    are issued ids remembered (and a colliding id moved to the next sequence number).
    """

    def __init__(self, rng: random.Random, remember: bool) -> None:
        self.rng = rng
        self.seq = 0
        self.seen: set[int] | None = set() if remember else None

    def new(self, t: int) -> int:
        """A fresh id for a tweet posted at epoch second ``t`` (random millisecond)."""
        ms = t * 1000 + self.rng.randrange(1000) - TWITTER_EPOCH_MS
        tid = (ms << SEQ_BITS) | (self.seq & SEQ_MASK)
        self.seq += 1
        if self.seen is not None:
            while tid in self.seen:
                tid += 1  # same millisecond, next sequence number
            self.seen.add(tid)
        return tid


def released_userid(
    rng: random.Random, hashed: bool, created_in_window_s: int | None, used: set[str]
) -> str:
    """A released account's id: hashed (base64 of 32 bytes), a snowflake or an old number.

    Accounts created inside the release's window get a snowflake of their creation day.
    """
    while True:
        if hashed:
            uid = base64.b64encode(rng.randbytes(32)).decode("ascii")
        elif created_in_window_s is not None:
            ms = created_in_window_s * 1000 + rng.randrange(86_400_000) - TWITTER_EPOCH_MS
            uid = str((ms << SEQ_BITS) | rng.getrandbits(SEQ_BITS))
        else:
            uid = str(rng.randrange(10**17, 10**18))
        if uid not in used:
            used.add(uid)
            return uid


def external_userid(rng: random.Random, old: bool) -> str:
    """An outside account's id: older accounts have short numbers, newer ones snowflakes."""
    return str(rng.randrange(10**8, 10**10) if old else rng.randrange(10**17, 2 * 10**18))


def b62(n: int, width: int = 10) -> str:
    """``width`` base-62 digits of ``n`` (t.co-style link codes)."""
    chars = []
    for _ in range(width):
        n, r = divmod(n, 62)
        chars.append(_B62[r])
    return "".join(chars)


def hash_str(text: str) -> int:
    """Small deterministic string hash (Python's hash() is salted per process)."""
    h = 1469598103934665603
    for ch in text.encode("utf-8"):
        h = ((h ^ ch) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h
