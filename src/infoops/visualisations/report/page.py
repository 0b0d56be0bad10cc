"""The report as one self-contained, offline HTML page: headline table, then one row per figure
with one column per disclosure.

Same rules as the views: the common page head with a Content-Security-Policy (no script at all
here, nothing from the network), every value from the data escaped by Jinja's autoescaping, and
the last pass of ``offline.strip_external_references``. The plots are matplotlib's SVG,
inserted as markup: matplotlib escapes the text it writes, and the tests check it with
injection strings as hashtags and screen names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

import infoops
from infoops.visualisations.pyvis_page import finish, page_context, write_page
from infoops.visualisations.report import plots
from infoops.visualisations.report.template import REPORT_CSS, REPORT_TEMPLATE

if TYPE_CHECKING:
    from infoops.analysis.bursts import BurstDetection
    from infoops.analysis.report import Distribution, Report, ReportFigures
    from infoops.analysis.report.amplification import AmplifiedAccount

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class CellTable:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Cell:
    column: str
    svg: Markup | None = None
    empty: str = ""
    notes: list[str] = field(default_factory=list)
    bursts: str | None = None
    table: CellTable | None = None


@dataclass
class Section:
    key: str
    title: str
    about: str
    cells: list[Cell]


@dataclass
class HeadlineRow:
    label: str
    values: list[str]


@cache
def _environment() -> jinja2.Environment:
    assets = resources.files("infoops.visualisations") / "assets"
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.DictLoader({"report.html.j2": REPORT_TEMPLATE}),
                jinja2.FileSystemLoader(str(assets)),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_report_html(report: Report, *, command: str | None = None) -> str:
    """The complete page for ``report``."""
    import matplotlib

    names = [column.title for column in report.columns]
    title = "Report: " + " · ".join(names)
    context = page_context(title, command, [])
    context["generator"] = f"infoops {infoops.__version__}, matplotlib {matplotlib.__version__}"
    context["subtitle"] = (
        f"Times of day, weekdays and months of tweets in {report.timezone}; tweet times in the "
        "headline in UTC; account-creation dates are the UTC days the platform published."
    )
    context.update(
        report_css=Markup(REPORT_CSS),
        column_names=names,
        columns=len(report.columns),
        headline_note=f"Top lists hold up to {report.top} entries.",
        headline=headline_rows(report),
        sections=sections(report),
    )
    return finish(_environment().get_template("report.html.j2").render(context))


def write_report_html(report: Report, path: str | Path, *, command: str | None = None) -> Path:
    """Write the report page (self-contained, offline) and return its path."""
    return write_page(render_report_html(report, command=command), path)


# -- headline -----------------------------------------------------------------------------------


def _share(count: int, of: int, percent: float | None) -> str:
    return f"{count:,} of {of:,}" + ("" if percent is None else f" ({percent:.1f}%)")


def _burst_list(detection: BurstDetection, limit: int = 8) -> str:
    if not detection.bursts:
        return "none"
    ranked = sorted(detection.bursts, key=lambda b: (-b.accounts, b.period))[:limit]
    more = len(detection.bursts) - len(ranked)
    text = ", ".join(f"{b.period} ({b.accounts:,})" for b in ranked)
    return text + (f", and {more} more" if more > 0 else "")


def headline_rows(report: Report) -> list[HeadlineRow]:
    from infoops.analysis.summary import FEW_FOLLOWERS, OFFICE_WINDOW

    rows: dict[str, list[str]] = {}

    def add(label: str, value: str) -> None:
        rows.setdefault(label, []).append(value)

    for column in report.columns:
        s = column.summary
        add("accounts", f"{s.accounts:,}")
        add("hashed accounts", f"{s.hashed_accounts:,}")
        add("0 followers (of accounts with a count)", _share(*_s(s.zero_followers)))
        add(f"< {FEW_FOLLOWERS} followers", _share(*_s(s.few_followers)))
        add("median followers", _median(column.followers))
        add("creation date unknown", f"{s.created_unknown:,}")
        months, days = s.creation_bursts.by_month, s.creation_bursts.by_day
        add(
            "accounts created in burst months",
            _share(months.burst_accounts, months.accounts, _percent(months)),
        )
        add("creation burst months", _burst_list(months))
        add("creation burst days", _burst_list(days))
        add("tweets", f"{s.tweets:,}")
        add("first tweet (UTC)", s.first_tweet or "-")
        add("last tweet (UTC)", s.last_tweet or "-")
        add("retweets", _share(*_s(s.retweets)))
        add(f"office hours ({OFFICE_WINDOW}, {s.timezone})", _share(*_s(s.office_hours)))
    return [HeadlineRow(label, values) for label, values in rows.items()]


def _s(share: Any) -> tuple[int, int, float | None]:
    return share.count, share.of, share.percent


def _percent(detection: BurstDetection) -> float | None:
    if not detection.accounts:
        return None
    return round(100.0 * detection.burst_accounts / detection.accounts, 2)


def _median(distribution: Distribution) -> str:
    return "-" if distribution.median is None else f"{distribution.median:g}"


# -- figures ------------------------------------------------------------------------------------


def sections(report: Report) -> list[Section]:
    tz = report.timezone
    built = [
        Section(
            "creation-month",
            "Account creation by month",
            "Accounts created per calendar month; red: a burst month, far above the "
            "release's own baseline (the rule and its figures are under each plot's title; "
            "dotted line: the threshold).",
            [_creation(c, i, "month") for i, c in enumerate(report.columns)],
        ),
        Section(
            "creation-day",
            "Account creation by day",
            "Accounts created per UTC day; red bars and markers: burst days.",
            [_creation(c, i, "day") for i, c in enumerate(report.columns)],
        ),
        Section(
            "followers",
            "Followers",
            "Accounts per follower count, in doubling bins (0, 1, 2-3, 4-7, ...).",
            [_distribution(c.followers, c.title, f"c{i}-followers") for i, c in _each(report)],
        ),
        Section(
            "following",
            "Following",
            "Accounts per number of accounts they follow, in doubling bins.",
            [_distribution(c.following, c.title, f"c{i}-following") for i, c in _each(report)],
        ),
        Section(
            "hour-of-day",
            f"Tweets by hour of day ({tz})",
            f"Local hour in {tz} of every tweet with a time; red: office hours.",
            [_hours(c, i) for i, c in _each(report)],
        ),
        Section(
            "weekday",
            f"Tweets by weekday ({tz})",
            f"Local weekday in {tz}.",
            [_weekdays(c, i) for i, c in _each(report)],
        ),
        Section(
            "retweet-share",
            f"Retweet share by month ({tz})",
            f"Tweets per local month in {tz} (grey bars) and the share of them that are "
            "retweets (line, right axis).",
            [_retweet_share(c, i) for i, c in _each(report)],
        ),
        Section(
            "languages",
            "Tweet languages",
            "Tweets per language the platform detected.",
            [
                _ranked(c.title, f"c{i}-languages", c.summary.languages, "tweets", "language")
                for i, c in _each(report)
            ],
        ),
        Section(
            "clients",
            "Clients",
            "Tweets per posting application.",
            [
                _ranked(c.title, f"c{i}-clients", c.summary.clients, "tweets", "client")
                for i, c in _each(report)
            ],
        ),
        Section(
            "hashtags",
            "Top hashtags",
            "Hashtags by the tweets carrying them (case folded; the first spelling seen).",
            [_hashtags(c, i) for i, c in _each(report)],
        ),
        Section(
            "domains",
            "Domains",
            "Web domains linked, by the distinct released accounts that linked them.",
            [
                _ranked(
                    c.title,
                    f"c{i}-domains",
                    [(d.domain, d.accounts) for d in c.domains],
                    "accounts",
                    "domain",
                    extra=[("links", [d.links for d in c.domains])],
                )
                for i, c in _each(report)
            ],
        ),
        Section(
            "most-amplified",
            "Most amplified accounts",
            "Accounts retweeted by the most distinct released accounts of the selection "
            "(released: in a disclosure; otherwise an outside account such as state media).",
            [
                _amplified(c.title, f"c{i}-amplified", c.most_amplified, "amplifiers")
                for i, c in _each(report)
            ],
        ),
        Section(
            "most-retweeted",
            "Most retweeted accounts",
            "Accounts whose tweets the selection's released accounts retweeted most often.",
            [
                _amplified(c.title, f"c{i}-retweeted", c.most_retweeted, "retweets")
                for i, c in _each(report)
            ],
        ),
    ]
    if report.has_clusters:
        built.append(
            Section(
                "clusters",
                "Clusters",
                "Clusters stored by infoops clusters that hold accounts of the selection: "
                "accounts here, the whole cluster's size and roles, its most amplified "
                "accounts and hashtags, and the span of its creation dates.",
                [_clusters(c, i) for i, c in _each(report)],
            )
        )
    return built


def _each(report: Report) -> list[tuple[int, ReportFigures]]:
    return list(enumerate(report.columns))


def _creation(column: ReportFigures, index: int, unit: str) -> Cell:
    s = column.summary
    detection = s.creation_bursts.by_month if unit == "month" else s.creation_bursts.by_day
    cell = Cell(column.title, notes=[detection.rule()], bursts=_burst_list(detection, 20))
    if not detection.periods:
        cell.empty = "no account with a creation date"
        return cell
    counts = s.created_by_month if unit == "month" else s.created_by_day
    hits = {b.period for b in detection.bursts}
    periods = [_period_start(key) for key in counts]
    cell.svg = Markup(
        plots.timeline_plot(
            periods,
            list(counts.values()),
            salt=f"c{index}-creation-{unit}",
            bar_days=27 if unit == "month" else 1,
            ylabel=f"accounts created per {unit}",
            bursts=[key in hits for key in counts],
            burst_label=f"burst {unit}",
            threshold=detection.threshold,
        )
    )
    return cell


def _period_start(key: str) -> dt.date:
    return dt.date.fromisoformat(key if len(key) == 10 else key + "-01")


def _distribution(distribution: Distribution, title: str, salt: str) -> Cell:
    notes = []
    if distribution.unknown:
        notes.append(f"{distribution.unknown:,} accounts without a count are left out")
    if not distribution.known:
        return Cell(title, empty="no account with a count", notes=notes)
    svg = plots.bar_plot(
        distribution.labels,
        distribution.counts,
        salt=salt,
        xlabel=f"{distribution.name} (doubling bins)",
        ylabel="accounts",
    )
    return Cell(title, svg=Markup(svg), notes=notes)


def _hours(column: ReportFigures, index: int) -> Cell:
    from infoops.analysis.summary import OFFICE_END, OFFICE_START

    s = column.summary
    if not s.timed_tweets:
        return Cell(column.title, empty="no tweet with a time")
    svg = plots.bar_plot(
        [f"{h:02d}" for h in range(24)],
        s.hour_of_day,
        salt=f"c{index}-hours",
        xlabel=f"hour of day ({s.timezone})",
        ylabel="tweets",
        highlight=[OFFICE_START <= h < OFFICE_END for h in range(24)],
        highlight_label=f"office hours {OFFICE_START:02d}:00-{OFFICE_END:02d}:00",
    )
    return Cell(column.title, svg=Markup(svg))


def _weekdays(column: ReportFigures, index: int) -> Cell:
    s = column.summary
    if not s.timed_tweets:
        return Cell(column.title, empty="no tweet with a time")
    svg = plots.bar_plot(
        list(WEEKDAYS),
        s.weekday,
        salt=f"c{index}-weekday",
        xlabel=f"weekday ({s.timezone})",
        ylabel="tweets",
    )
    return Cell(column.title, svg=Markup(svg))


def _retweet_share(column: ReportFigures, index: int) -> Cell:
    s = column.summary
    if not s.by_month:
        return Cell(column.title, empty="no tweet with a time")
    months = list(s.by_month)
    totals = [n for n, _ in s.by_month.values()]
    shares = [100.0 * r / n if n else 0.0 for n, r in s.by_month.values()]
    svg = plots.share_plot(
        [_period_start(m) for m in months],
        totals,
        shares,
        salt=f"c{index}-retweet-share",
        total_label=f"tweets per month ({s.timezone})",
        share_label="retweets, % of tweets",
    )
    table = CellTable(
        "tweets and retweets per month",
        ["month", "tweets", "retweets", "%"],
        [
            [m, f"{n:,}", f"{r:,}", f"{100.0 * r / n:.1f}" if n else "-"]
            for m, (n, r) in s.by_month.items()
        ],
    )
    return Cell(column.title, svg=Markup(svg), table=table)


def _ranked(
    title: str,
    salt: str,
    items: list[tuple[str, int]],
    measure: str,
    name: str,
    extra: list[tuple[str, list[int]]] | None = None,
) -> Cell:
    if not items:
        return Cell(title, empty=f"no {name} in this selection")
    svg = plots.ranked_plot([n for n, _ in items], [v for _, v in items], salt=salt, xlabel=measure)
    extra = extra or []
    table = CellTable(
        f"the {len(items)} {name}s as a table",
        [name, measure, *(label for label, _ in extra)],
        [
            [label, f"{value:,}", *(f"{values[i]:,}" for _, values in extra)]
            for i, (label, value) in enumerate(items)
        ],
    )
    return Cell(title, svg=Markup(svg), table=table)


def _hashtags(column: ReportFigures, index: int) -> Cell:
    tags = column.summary.hashtags_by_tweets
    return _ranked(
        column.title,
        f"c{index}-hashtags",
        [("#" + (h.spelling or h.tag), h.tweets) for h in tags],
        "tweets",
        "hashtag",
        extra=[("accounts", [h.accounts for h in tags])],
    )


def _amplified(title: str, salt: str, accounts: list[AmplifiedAccount], measure: str) -> Cell:
    if not accounts:
        return Cell(title, empty="no retweets of accounts in this selection")
    values = [a.amplifiers if measure == "amplifiers" else a.retweets for a in accounts]
    svg = plots.ranked_plot([a.name for a in accounts], values, salt=salt, xlabel=measure)
    table = CellTable(
        f"the {len(accounts)} accounts as a table",
        ["account", "userid", "released", "amplifiers", "retweets"],
        [
            [
                a.name,
                a.userid,
                "yes" if a.released else "no",
                f"{a.amplifiers:,}",
                f"{a.retweets:,}",
            ]
            for a in accounts
        ],
    )
    return Cell(title, svg=Markup(svg), table=table)


def _clusters(column: ReportFigures, index: int) -> Cell:
    if not column.clusters:
        return Cell(column.title, empty="no clustered account in this selection")
    svg = plots.ranked_plot(
        [f"cluster {c.cluster}" for c in column.clusters],
        [c.accounts for c in column.clusters],
        salt=f"c{index}-clusters",
        xlabel="accounts of the selection",
    )
    table = CellTable(
        "clusters as a table",
        [
            "cluster",
            "accounts here",
            "size",
            "core",
            "amplifiers",
            "peripheral",
            "top accounts",
            "top hashtags",
            "created",
        ],
        [
            [
                str(c.cluster),
                f"{c.accounts:,}",
                f"{c.size:,}",
                f"{c.core:,}",
                f"{c.amplifiers:,}",
                f"{c.peripheral:,}",
                ", ".join(c.top_accounts),
                ", ".join(c.top_hashtags),
                f"{c.created_first or '?'} .. {c.created_last or '?'}",
            ]
            for c in column.clusters
        ],
    )
    return Cell(column.title, svg=Markup(svg), table=table)
