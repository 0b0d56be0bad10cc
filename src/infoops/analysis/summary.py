"""The headline figures researchers publish about a takedown, computed from the graph.

The Stanford Internet Observatory and ASPI described the June 2020 PRC network with a handful of
numbers: how many accounts and tweets, how many accounts had no or almost no followers, when the
accounts were created, which languages, hashtags and clients dominate, and when (in Beijing
time) the accounts were active. ``compute_summary`` reproduces those figures for one disclosure
or for everything released in the graph. When the accounts were created is told by the creation
bursts found in the release's own dates (``infoops.analysis.bursts``), not by a cut-off copied
from one report; every time-of-day figure is in the time zone the caller chose, and says so.

Counting is done by the engine with portable Cypher (``CASE`` sums, no date functions, no list
indexing). Top lists are ordered once more in Python, ties on a count by name in code-point
order: both engines order stored text that way, but Neo4j orders text it computed or got as a
parameter by UTF-16 code units (different beyond U+FFFF), and the order shown must not depend on
how a statement is written. The hour-of-day and weekday histograms are computed in Python from
``time_s`` epoch seconds fetched as one Arrow column, vectorised, because time-zone arithmetic is
not portable between Ladybug and Neo4j and a row loop would be slow on a million tweets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.bursts import CreationBursts, creation_bursts, parse_day
from infoops.engines.base import GraphEngine
from infoops.errors import InfoopsError

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OFFICE_START, OFFICE_END = 9, 18  # weekday 09:00 up to (not including) 18:00, local time
OFFICE_WINDOW = f"Mon-Fri {OFFICE_START:02d}:00-{OFFICE_END:02d}:00"
FEW_FOLLOWERS = 8  # ASPI: 95% of the June 2020 accounts had fewer than eight followers

# -- Cypher -------------------------------------------------------------------------------------
# Each selection binds ``a`` (accounts) or ``t`` (tweets) once per node and ends in a WITH, so a
# continuation may start with WHERE, MATCH or RETURN. Values only ever travel as $parameters.

ACCOUNTS_OF_DISCLOSURE = (
    "MATCH (a:Account)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) WITH DISTINCT a"
)
ACCOUNTS_RELEASED = "MATCH (a:Account) WHERE a.in_disclosure = true WITH a"
TWEETS_OF_DISCLOSURE = (
    "MATCH (t:Tweet)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) WITH DISTINCT t"
)
TWEETS_RELEASED = "MATCH (t:Tweet) WHERE t.in_disclosure = true WITH t"

DISCLOSURE_IDS = "MATCH (d:Disclosure) RETURN d.id AS id ORDER BY id"

ACCOUNT_COUNTS = (
    " RETURN count(a) AS accounts,"
    " sum(CASE WHEN a.hashed = true THEN 1 ELSE 0 END) AS hashed,"
    " sum(CASE WHEN a.followers IS NULL THEN 1 ELSE 0 END) AS followers_unknown,"
    " sum(CASE WHEN a.followers = 0 THEN 1 ELSE 0 END) AS zero_followers,"
    " sum(CASE WHEN a.followers < $few THEN 1 ELSE 0 END) AS few_followers"
)
# Grouped by day, bucketed by month in Python: substring() is 0-based on Neo4j, 1-based on Ladybug.
ACCOUNTS_BY_CREATION_DAY = " RETURN a.created_at AS created, count(*) AS accounts"

TWEET_COUNTS = (
    " RETURN count(t) AS tweets, min(t.time) AS first, max(t.time) AS last,"
    " sum(CASE WHEN t.is_retweet = true THEN 1 ELSE 0 END) AS retweets"
)
TOP_LANGUAGES = (
    " WHERE t.lang IS NOT NULL"
    " RETURN t.lang AS lang, count(*) AS tweets ORDER BY tweets DESC, lang LIMIT $top"
)
TOP_CLIENTS = (
    " WHERE t.client IS NOT NULL"
    " RETURN t.client AS client, count(*) AS tweets ORDER BY tweets DESC, client LIMIT $top"
)
# Every hashtag once, both top lists ranked from it in Python: one pass over the TAGGED
# relationships instead of two (each pass is most of the summary's time on a 1M-tweet release).
HASHTAG_COUNTS = (
    " MATCH (t)-[:TAGGED]->(h:Hashtag)"
    " RETURN h.tag AS tag, h.spelling AS spelling,"
    " count(DISTINCT t) AS tweets, count(DISTINCT t.userid) AS accounts"
)
TWEET_TIMES = " RETURN t.time_s AS time_s, t.is_retweet AS is_retweet"


def summary_queries(disclosure: str | None) -> dict[str, str]:
    """Every statement ``compute_summary`` runs, by name (exposed for linting and tests)."""
    accounts = ACCOUNTS_OF_DISCLOSURE if disclosure is not None else ACCOUNTS_RELEASED
    tweets = TWEETS_OF_DISCLOSURE if disclosure is not None else TWEETS_RELEASED
    return {
        "account_counts": accounts + ACCOUNT_COUNTS,
        "accounts_by_creation_day": accounts + ACCOUNTS_BY_CREATION_DAY,
        "tweet_counts": tweets + TWEET_COUNTS,
        "top_languages": tweets + TOP_LANGUAGES,
        "top_clients": tweets + TOP_CLIENTS,
        "hashtag_counts": tweets + HASHTAG_COUNTS,
        "tweet_times": tweets + TWEET_TIMES,
    }


# -- result types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """``count`` of ``of``; ``percent`` is rounded to two decimals, None when ``of`` is 0."""

    count: int
    of: int

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.count / self.of, 2) if self.of else None

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "of": self.of, "percent": self.percent}


@dataclass(frozen=True)
class HashtagCount:
    tag: str  # lower-cased key
    spelling: str | None  # as first seen
    tweets: int
    accounts: int  # distinct authors

    def to_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "spelling": self.spelling,
            "tweets": self.tweets,
            "accounts": self.accounts,
        }


@dataclass
class DisclosureSummary:
    """The published-style figures of one disclosure (or of everything released).

    ``to_dict()`` gives this JSON-serialisable shape; the keys are stable. A *share* is
    ``{"count": int, "of": int, "percent": float | null}`` (percent of ``of``, two decimals,
    null when ``of`` is 0).

    - ``disclosure``: the disclosure id, or null for all released accounts and tweets
    - ``timezone``: IANA name the hour/weekday figures are in; ``top``: length of top lists
    - ``accounts``:
      - ``released``: accounts in the selection; ``hashed``: of which with a hashed id
      - ``followers_known`` / ``followers_unknown``: accounts with / without a follower count
      - ``zero_followers``, ``under_8_followers``: shares of ``followers_known``
      - ``created_by_month``: ``{"YYYY-MM": accounts}`` in month order
      - ``created_by_day``: ``{"YYYY-MM-DD": accounts}`` in day order (days with accounts only)
      - ``created_unknown``: accounts without a creation date
      - ``creation_bursts``: ``{"day": ..., "month": ...}``, each ``{"unit", "rule" (how the
        bursts were found, in words, with the figures), "first", "last", "periods" (in the
        span, empty ones included), "median", "mad", "k", "threshold", "bursts": [{"period",
        "accounts"}]}`` (see ``infoops.analysis.bursts``)
    - ``tweets``:
      - ``released``: tweets in the selection; ``first`` / ``last``: earliest and latest
        ``time`` (ISO UTC text, null without tweets); ``retweets``: share of ``released``
      - ``languages``: ``[{"lang", "tweets"}]``; ``clients``: ``[{"client", "tweets"}]``
        (most tweets first, ties by name; tweets without a value are left out)
      - ``hashtags_by_tweets`` / ``hashtags_by_accounts``: ``[{"tag", "spelling", "tweets",
        "accounts"}]`` ranked by tweets / by distinct authors
      - ``timed``: tweets with a time (the denominator of the figures below)
      - ``hour_of_day``: 24 counts, index = local hour 0-23 in ``timezone``
      - ``weekday``: ``{"Mon": n, ..., "Sun": n}`` local weekday in ``timezone``
      - ``office_hours``: share of ``timed`` tweets on Mon-Fri 09:00-17:59 local time, plus
        ``"window": "Mon-Fri 09:00-18:00"`` and ``"timezone"``
      - ``by_month``: ``{"YYYY-MM": {"tweets": n, "retweets": n}}``, local month in
        ``timezone``, months without tweets left out
    """

    disclosure: str | None
    timezone: str
    top: int
    accounts: int = 0
    hashed_accounts: int = 0
    followers_unknown: int = 0
    zero_followers: Share = Share(0, 0)
    few_followers: Share = Share(0, 0)
    created_by_month: dict[str, int] = field(default_factory=dict)
    created_by_day: dict[str, int] = field(default_factory=dict)
    created_unknown: int = 0
    creation_bursts: CreationBursts = field(default_factory=CreationBursts)
    tweets: int = 0
    first_tweet: str | None = None
    last_tweet: str | None = None
    retweets: Share = Share(0, 0)
    languages: list[tuple[str, int]] = field(default_factory=list)
    clients: list[tuple[str, int]] = field(default_factory=list)
    hashtags_by_tweets: list[HashtagCount] = field(default_factory=list)
    hashtags_by_accounts: list[HashtagCount] = field(default_factory=list)
    hour_of_day: list[int] = field(default_factory=lambda: [0] * 24)
    weekday: list[int] = field(default_factory=lambda: [0] * 7)  # Mon..Sun
    office_hours: Share = Share(0, 0)
    # local month -> (tweets, retweets), in month order
    by_month: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def followers_known(self) -> int:
        return self.accounts - self.followers_unknown

    @property
    def timed_tweets(self) -> int:
        return sum(self.hour_of_day)

    def to_dict(self) -> dict[str, Any]:
        return {
            "disclosure": self.disclosure,
            "timezone": self.timezone,
            "top": self.top,
            "accounts": {
                "released": self.accounts,
                "hashed": self.hashed_accounts,
                "followers_known": self.followers_known,
                "followers_unknown": self.followers_unknown,
                "zero_followers": self.zero_followers.to_dict(),
                f"under_{FEW_FOLLOWERS}_followers": self.few_followers.to_dict(),
                "created_by_month": dict(self.created_by_month),
                "created_by_day": dict(self.created_by_day),
                "created_unknown": self.created_unknown,
                "creation_bursts": self.creation_bursts.to_dict(),
            },
            "tweets": {
                "released": self.tweets,
                "first": self.first_tweet,
                "last": self.last_tweet,
                "retweets": self.retweets.to_dict(),
                "languages": [{"lang": lang, "tweets": n} for lang, n in self.languages],
                "clients": [{"client": client, "tweets": n} for client, n in self.clients],
                "hashtags_by_tweets": [h.to_dict() for h in self.hashtags_by_tweets],
                "hashtags_by_accounts": [h.to_dict() for h in self.hashtags_by_accounts],
                "timed": self.timed_tweets,
                "hour_of_day": list(self.hour_of_day),
                "weekday": dict(zip(WEEKDAYS, self.weekday, strict=True)),
                "office_hours": {
                    "window": OFFICE_WINDOW,
                    "timezone": self.timezone,
                    **self.office_hours.to_dict(),
                },
                "by_month": {
                    month: {"tweets": tweets, "retweets": retweets}
                    for month, (tweets, retweets) in self.by_month.items()
                },
            },
        }


# -- computation --------------------------------------------------------------------------------


def resolve_timezone(name: str) -> ZoneInfo:
    """An IANA time zone, or an error a user can act on."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InfoopsError(
            f"unknown time zone {name!r}: use an IANA name such as UTC, Asia/Shanghai or "
            "Europe/Moscow"
        ) from None


def disclosure_ids(engine: GraphEngine) -> list[str]:
    return [str(value) for value in engine.run(DISCLOSURE_IDS).column("id")]


def compute_summary(
    engine: GraphEngine,
    disclosure: str | None = None,
    *,
    tz: str = "UTC",
    top: int = 10,
) -> DisclosureSummary:
    """Figures for ``disclosure`` (or all released accounts and tweets when None).

    Hour-of-day, weekday and office-hours figures are in time zone ``tz`` (an IANA name); top
    lists hold at most ``top`` entries. Raises ``InfoopsError`` for an unknown time zone or
    disclosure (the message lists the disclosures that exist).
    """
    zone = resolve_timezone(tz)
    if top < 0:
        raise InfoopsError(f"top must be 0 or more, not {top}")
    if disclosure is not None:
        known = disclosure_ids(engine)
        if disclosure not in known:
            loaded = ", ".join(known) if known else "none (load one with infoops load twitter)"
            raise InfoopsError(f"no disclosure {disclosure!r} in the graph; loaded: {loaded}")

    queries = summary_queries(disclosure)
    params = {"disclosure": disclosure, "few": FEW_FOLLOWERS, "top": top}
    summary = DisclosureSummary(disclosure=disclosure, timezone=tz, top=top)
    _account_figures(engine, queries, params, summary)
    _tweet_figures(engine, queries, params, summary)
    _activity_figures(engine.run_table(queries["tweet_times"], params), zone, summary)
    return summary


def _int(value: Any) -> int:
    return int(value or 0)


def _account_figures(
    engine: GraphEngine,
    queries: dict[str, str],
    params: dict[str, Any],
    summary: DisclosureSummary,
) -> None:
    row = engine.run(queries["account_counts"], params).records()[0]
    summary.accounts = _int(row["accounts"])
    summary.hashed_accounts = _int(row["hashed"])
    summary.followers_unknown = _int(row["followers_unknown"])
    known = summary.accounts - summary.followers_unknown
    summary.zero_followers = Share(_int(row["zero_followers"]), known)
    summary.few_followers = Share(_int(row["few_followers"]), known)

    days: dict[str, int] = {}
    unknown = 0
    for created, count in engine.run(queries["accounts_by_creation_day"], params).rows:
        day = _day(created)
        if day is None:
            unknown += _int(count)
        else:
            days[day] = days.get(day, 0) + _int(count)
    summary.created_by_day = dict(sorted(days.items()))
    months: dict[str, int] = {}
    for day, count in summary.created_by_day.items():
        months[day[:7]] = months.get(day[:7], 0) + count
    summary.created_by_month = months
    summary.created_unknown = unknown
    summary.creation_bursts = creation_bursts(summary.created_by_day)


def _day(created: Any) -> str | None:
    """``YYYY-MM-DD`` of a creation date; None when absent or not a date."""
    day = parse_day(created)
    return None if day is None else day.strftime("%Y-%m-%d")


def _tweet_figures(
    engine: GraphEngine,
    queries: dict[str, str],
    params: dict[str, Any],
    summary: DisclosureSummary,
) -> None:
    row = engine.run(queries["tweet_counts"], params).records()[0]
    summary.tweets = _int(row["tweets"])
    summary.first_tweet = row["first"]
    summary.last_tweet = row["last"]
    summary.retweets = Share(_int(row["retweets"]), summary.tweets)
    summary.languages = _ranked(engine.run(queries["top_languages"], params).rows)
    summary.clients = _ranked(engine.run(queries["top_clients"], params).rows)
    hashtags = _hashtags(engine, queries["hashtag_counts"], params)
    by_tweets = sorted(hashtags, key=lambda h: (-h.tweets, -h.accounts, h.tag))
    by_accounts = sorted(hashtags, key=lambda h: (-h.accounts, -h.tweets, h.tag))
    summary.hashtags_by_tweets = by_tweets[: summary.top]
    summary.hashtags_by_accounts = by_accounts[: summary.top]


def _ranked(rows: list[list[Any]]) -> list[tuple[str, int]]:
    """(name, count) pairs, most first, ties by name in code-point order on either engine."""
    return sorted(((str(name), _int(n)) for name, n in rows), key=lambda item: (-item[1], item[0]))


def _hashtags(engine: GraphEngine, cypher: str, params: dict[str, Any]) -> list[HashtagCount]:
    return [
        HashtagCount(str(tag), spelling, _int(tweets), _int(accounts))
        for tag, spelling, tweets, accounts in engine.run(cypher, params).rows
    ]


def _activity_figures(times: pa.Table, zone: ZoneInfo, summary: DisclosureSummary) -> None:
    """Local hour, weekday, office-hours and monthly counts from epoch seconds, without a row
    loop."""
    timed = times.filter(pc.is_valid(times.column("time_s")))
    if timed.num_rows == 0:
        return
    epoch = np.asarray(timed.column("time_s").cast(pa.int64()).to_numpy(), dtype="int64")
    retweet = np.asarray(
        pc.fill_null(timed.column("is_retweet").cast(pa.bool_()), False).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    local = pd.DatetimeIndex(pd.to_datetime(epoch, unit="s", utc=True)).tz_convert(zone)
    hours = np.asarray(local.hour, dtype="int64")
    days = np.asarray(local.day_of_week, dtype="int64")  # Monday = 0
    summary.hour_of_day = [int(n) for n in np.bincount(hours, minlength=24)]
    summary.weekday = [int(n) for n in np.bincount(days, minlength=7)]
    in_office = (days < 5) & (hours >= OFFICE_START) & (hours < OFFICE_END)
    summary.office_hours = Share(int(in_office.sum()), len(epoch))
    month_keys = np.asarray(local.year * 100 + local.month, dtype="int64")
    months, index = np.unique(month_keys, return_inverse=True)
    tweets = np.bincount(index, minlength=len(months))
    retweets = np.bincount(index, weights=retweet, minlength=len(months))
    summary.by_month = {
        f"{key // 100:04d}-{key % 100:02d}": (int(n), int(r))
        for key, n, r in zip(months, tweets, retweets, strict=True)
    }
