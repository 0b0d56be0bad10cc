"""Account-creation bursts found from the data: days and months far above the release's own level.

Operations register accounts in batches, and the published analyses point at those batches
("most accounts were created after October 2019"). A fixed cut-off copied from one report means
nothing for another release, so the baseline here is the release itself.

The rule, for a series of counts per day (or per month) from the first to the last creation
date, **empty days (months) included**:

- the *baseline* is the median count of the series;
- the *spread* is the median absolute deviation from it, times 1.4826 (so that it estimates a
  standard deviation for normal data), **floored at one account**: in a sparse series most days
  are empty, median and MAD are both 0, and without the floor every single account would stand
  out;
- a day (month) is a *burst* when its count is above ``baseline + k * spread`` (``k`` = 10 by
  default). With the floor, that needs more than ``median + k`` accounts.

Median and MAD, unlike the mean and standard deviation, are not pulled up by the bursts
themselves (a burst of 119 accounts on one day does not hide the next one), and need no model of
how many accounts a quiet day holds. Creation dates are the UTC calendar days the platform
published (``account_creation_date``); months are the calendar months of those days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

BURST_K = 10.0  # robust standard deviations above the median
MAD_TO_SD = 1.4826  # MAD of normal data times this is its standard deviation
MIN_SPREAD = 1.0  # accounts: the spread is never taken as less than this

Unit = Literal["day", "month"]
UNITS: tuple[Unit, ...] = ("day", "month")


@dataclass(frozen=True)
class Burst:
    """One day (``YYYY-MM-DD``) or month (``YYYY-MM``) far above the baseline."""

    period: str
    accounts: int

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "accounts": self.accounts}


@dataclass(frozen=True)
class BurstDetection:
    """The bursts of one series (per day or per month) and the figures that found them."""

    unit: Unit
    first: str | None = None  # first and last period of the span (None for an empty series)
    last: str | None = None
    periods: int = 0  # periods in the span, empty ones included
    accounts: int = 0
    median: float = 0.0
    mad: float = 0.0
    k: float = BURST_K
    bursts: list[Burst] = field(default_factory=list)  # in period order

    @property
    def spread(self) -> float:
        return max(MAD_TO_SD * self.mad, MIN_SPREAD)

    @property
    def threshold(self) -> float:
        """A period holding more accounts than this is a burst."""
        return self.median + self.k * self.spread

    @property
    def burst_accounts(self) -> int:
        return sum(burst.accounts for burst in self.bursts)

    def rule(self) -> str:
        """How the bursts were found, in one sentence with this series' figures."""
        unit = self.unit
        if not self.periods:
            return f"no {unit} with a creation date: no bursts to find"
        return (
            f"a {unit} is a burst when more than {round(self.threshold, 1):g} accounts were "
            f"created in it: the median {unit} ({self.median:g}) plus {self.k:g} x the robust "
            f"spread (1.4826 x MAD {self.mad:g}, at least {MIN_SPREAD:g}), over the "
            f"{self.periods:,} {unit}s from {self.first} to {self.last}, empty {unit}s included "
            "(UTC dates)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "rule": self.rule(),
            "first": self.first,
            "last": self.last,
            "periods": self.periods,
            "median": self.median,
            "mad": self.mad,
            "k": self.k,
            "threshold": round(self.threshold, 4),
            "bursts": [burst.to_dict() for burst in self.bursts],
        }


@dataclass(frozen=True)
class CreationBursts:
    """Creation bursts by day and by month of one selection of accounts."""

    by_day: BurstDetection = field(default_factory=lambda: BurstDetection("day"))
    by_month: BurstDetection = field(default_factory=lambda: BurstDetection("month"))

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.by_day.to_dict(), "month": self.by_month.to_dict()}


def creation_bursts(by_day: Mapping[str, int], k: float = BURST_K) -> CreationBursts:
    """Bursts by day and by month of accounts created per ``YYYY-MM-DD`` day.

    Keys that are not dates are left out (they are the summary's "creation date unknown").
    """
    days = daily_series(by_day)
    months = days.groupby(pd.DatetimeIndex(days.index).to_period("M")).sum() if len(days) else days
    return CreationBursts(
        by_day=detect_bursts(days, "day", k=k),
        by_month=detect_bursts(months, "month", k=k),
    )


def daily_series(by_day: Mapping[str, int]) -> pd.Series:
    """Counts per calendar day from the first to the last day, empty days as 0."""
    counts: dict[pd.Timestamp, int] = {}
    for text, count in by_day.items():
        day = parse_day(text)
        if day is not None and count:
            counts[day] = counts.get(day, 0) + int(count)
    if not counts:
        return pd.Series([], dtype="int64", index=pd.DatetimeIndex([]))
    series = pd.Series(counts, dtype="int64").sort_index()
    span = pd.date_range(series.index[0], series.index[-1], freq="D")
    return series.reindex(span, fill_value=0)


def parse_day(text: Any) -> pd.Timestamp | None:
    """The day of a ``YYYY-MM-DD`` text (a time after it is ignored); None when not a date."""
    value = str(text or "")[:10]
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return pd.Timestamp(value)
    except ValueError:
        return None


def detect_bursts(series: pd.Series, unit: Unit, *, k: float = BURST_K) -> BurstDetection:
    """The periods of ``series`` (a complete, ordered series of counts) above the threshold."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    if not len(series):
        return BurstDetection(unit, k=k)
    counts = np.asarray(series.to_numpy(), dtype="float64")
    median = float(np.median(counts))
    mad = float(np.median(np.abs(counts - median)))
    detection = BurstDetection(
        unit,
        first=_label(series.index[0], unit),
        last=_label(series.index[-1], unit),
        periods=len(counts),
        accounts=int(counts.sum()),
        median=median,
        mad=mad,
        k=k,
    )
    above = counts > detection.threshold
    bursts = [
        Burst(_label(period, unit), int(count))
        for period, count, hit in zip(series.index, counts, above, strict=True)
        if hit
    ]
    return replace(detection, bursts=bursts)


def _label(period: Any, unit: Unit) -> str:
    return str(pd.Period(period, freq="D" if unit == "day" else "M"))
