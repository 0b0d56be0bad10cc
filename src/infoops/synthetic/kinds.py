"""What a tweet row is: an original, a retweet, a reply or a quote."""

from __future__ import annotations

__all__ = ["ORIG", "QUOTE", "REPLY", "RT"]

ORIG, RT, REPLY, QUOTE = 0, 1, 2, 3
