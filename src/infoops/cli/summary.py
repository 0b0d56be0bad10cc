"""``infoops summary``: the headline figures of a disclosure, as tables or JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from infoops.cli.console import out
from infoops.cli.options import (
    DbOption,
    FormatOption,
    Neo4jUriOption,
    OutputFormat,
    engine_settings,
)
from infoops.engines import open_engine

if TYPE_CHECKING:
    from infoops.analysis.bursts import BurstDetection
    from infoops.analysis.summary import DisclosureSummary, HashtagCount, Share

BAR_WIDTH = 40


def summary(
    disclosure: Annotated[
        str | None,
        typer.Option(
            "--disclosure",
            "-d",
            help="Disclosure id, e.g. twitter-2020-06-china_052020. "
            "\\[default: every released account and tweet]",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
    tz: Annotated[
        str,
        typer.Option(
            "--tz", help="IANA time zone for hour-of-day, weekday and office-hours figures."
        ),
    ] = "UTC",
    top: Annotated[
        int, typer.Option("--top", min=1, help="Entries in the language/hashtag/client lists.")
    ] = 10,
    db: DbOption = None,
    neo4j_uri: Neo4jUriOption = None,
) -> None:
    """Published-style figures: accounts, followers, creation dates, languages, hashtags, activity.

    Reproduces what the Stanford Internet Observatory and ASPI reported about takedowns: share of
    accounts with no or fewer than 8 followers, account-creation bursts (days and months far
    above the release's own baseline), top languages, hashtags and clients, and activity by hour
    and weekday in a chosen time zone (with the share of tweets in weekday 09:00-18:00 office
    hours). Read-only.

    Example: infoops summary --disclosure twitter-2020-06-china_052020 --tz Asia/Shanghai
    """
    # Imported here, not at the top: `infoops --help` must not wait for pandas and pyarrow.
    from infoops.analysis.summary import compute_summary, resolve_timezone

    resolve_timezone(tz)  # a bad name fails before the database is opened
    with open_engine(engine_settings(db, neo4j_uri), read_only=True) as engine:
        result = compute_summary(engine, disclosure, tz=tz, top=top)
    if output_format is OutputFormat.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_summary(result)


# -- table output -------------------------------------------------------------------------------


def _percent(share: Share) -> str:
    return "n/a" if share.percent is None else f"{share.percent:.1f}%"


def _share_cell(share: Share) -> str:
    return f"{share.count:,} of {share.of:,} ({_percent(share)})"


def _bar(count: int, largest: int) -> str:
    if not largest or not count:
        return ""
    return "█" * max(1, round(BAR_WIDTH * count / largest))


def print_summary(result: DisclosureSummary) -> None:
    from infoops.analysis.summary import WEEKDAYS

    title = result.disclosure or "all released accounts and tweets"
    burst_months = {burst.period for burst in result.creation_bursts.by_month.bursts}
    out.print(Panel(_overview(result), title=Text(f"Summary: {title}"), expand=False))
    for table in (
        _ranked("Tweet languages", "language", result.languages),
        _hashtags("Top hashtags by tweets", result.hashtags_by_tweets),
        _hashtags("Top hashtags by accounts", result.hashtags_by_accounts),
        _ranked("Top clients", "client", result.clients),
        _histogram(
            f"Tweets by hour of day ({result.timezone})",
            "hour",
            [f"{hour:02d}" for hour in range(24)],
            result.hour_of_day,
        ),
        _histogram(f"Tweets by weekday ({result.timezone})", "day", list(WEEKDAYS), result.weekday),
        _histogram(
            "Accounts by creation month (* a burst month)",
            "month",
            [f"{month} *" if month in burst_months else month for month in result.created_by_month],
            list(result.created_by_month.values()),
        ),
    ):
        if table is not None:
            out.print(table)
    for detection in (result.creation_bursts.by_month, result.creation_bursts.by_day):
        out.print(Text(f"Creation bursts: {detection.rule()}", style="dim"))


def _overview(result: DisclosureSummary) -> Group:
    from infoops.analysis.summary import FEW_FOLLOWERS, OFFICE_WINDOW

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(justify="right")
    unknown = (
        f" ({result.followers_unknown:,} unknown, excluded)" if result.followers_unknown else ""
    )
    rows = [
        ("accounts", f"{result.accounts:,}"),
        ("hashed accounts", f"{result.hashed_accounts:,}"),
        (f"0 followers{unknown}", _share_cell(result.zero_followers)),
        (f"< {FEW_FOLLOWERS} followers{unknown}", _share_cell(result.few_followers)),
        ("creation burst months", _bursts(result.creation_bursts.by_month)),
        ("creation burst days", _bursts(result.creation_bursts.by_day)),
        ("tweets", f"{result.tweets:,}"),
        ("first tweet", result.first_tweet or "-"),
        ("last tweet", result.last_tweet or "-"),
        ("retweets", _share_cell(result.retweets)),
        (f"office hours ({OFFICE_WINDOW}, {result.timezone})", _share_cell(result.office_hours)),
    ]
    if result.created_unknown:
        rows.insert(6, ("creation date unknown", f"{result.created_unknown:,}"))
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return Group(table)


def _bursts(detection: BurstDetection, shown: int = 3) -> str:
    """The largest bursts, e.g. '2017-08 (237), 2017-10 (80) and 4 more'; 'none'."""
    if not detection.bursts:
        return "none"
    ranked = sorted(detection.bursts, key=lambda burst: (-burst.accounts, burst.period))
    text = ", ".join(f"{burst.period} ({burst.accounts:,})" for burst in ranked[:shown])
    more = len(ranked) - shown
    return f"{text} and {more} more" if more > 0 else text


def _ranked(title: str, name: str, items: list[tuple[str, int]]) -> Table | None:
    if not items:
        return None
    table = Table(title=title, title_justify="left")
    table.add_column(name)
    table.add_column("tweets", justify="right")
    for value, count in items:
        table.add_row(Text(value), f"{count:,}")
    return table


def _hashtags(title: str, items: list[HashtagCount]) -> Table | None:
    if not items:
        return None
    table = Table(title=title, title_justify="left")
    table.add_column("hashtag")
    table.add_column("tweets", justify="right")
    table.add_column("accounts", justify="right")
    for item in items:
        table.add_row(
            Text("#" + (item.spelling or item.tag)), f"{item.tweets:,}", f"{item.accounts:,}"
        )
    return table


def _histogram(title: str, name: str, labels: list[str], counts: list[int]) -> Table | None:
    total = sum(counts)
    if not total:
        return None
    largest = max(counts)
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column(name)
    table.add_column("count", justify="right")
    table.add_column("%", justify="right")
    table.add_column("")
    for label, count in zip(labels, counts, strict=True):
        table.add_row(
            label,
            f"{count:,}",
            f"{100.0 * count / total:.1f}",
            Text(_bar(count, largest), style="cyan"),
        )
    return table
