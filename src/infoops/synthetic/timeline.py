"""The release's days, and when accounts post: office hours, any hour, or in reaction."""

from __future__ import annotations

import random
from array import array
from datetime import UTC, date, datetime, timedelta

__all__ = ["Timeline"]


class Timeline:
    """The days from ``start`` to ``end`` (UTC) and the times drawn from them."""

    def __init__(self, start: str, end: str) -> None:
        first = date.fromisoformat(start)
        self.n_days = (date.fromisoformat(end) - first).days + 1
        self.start_s = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp())
        self.end_s = self.start_s + self.n_days * 86400 - 1
        days = [first + timedelta(days=d) for d in range(self.n_days)]
        self.day_str = [d.isoformat() for d in days]
        # weighted list of day indices: weekdays five times as likely as weekend days
        self.office_days = array("i")
        for d, day in enumerate(days):
            self.office_days.extend([d] * (5 if day.weekday() < 5 else 1))
        self.minute_str = [f" {h:02d}:{m:02d}" for h in range(24) for m in range(60)]

    def office_time(self, rng: random.Random, day_lo: int) -> int:
        """Beijing weekday office hours (09:00-18:00 UTC+8 = 01:00-10:00 UTC) mostly.

        ``day_lo`` is the account's first index in ``office_days`` (its creation day).
        """
        d = self.office_days[rng.randrange(day_lo, len(self.office_days))]
        sec = 3600 + rng.randrange(32400) if rng.random() < 0.85 else rng.randrange(86400)
        return self.start_s + d * 86400 + sec

    def any_time(self, rng: random.Random, first_day: int) -> int:
        """Any second from the start of day ``first_day`` to the end of the release."""
        d = rng.randrange(first_day, self.n_days)
        return self.start_s + d * 86400 + rng.randrange(86400)
