"""Every figure of the report for one selection (a disclosure, or everything released).

The headline figures, creation dates and bursts, activity by hour, weekday and month in the
chosen time zone, languages, clients and hashtags come from ``compute_summary`` (not computed
twice); what the terminal summary does not show (follower distributions, domains, amplified
accounts, clusters) is read here with the summary's own selections of accounts and tweets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infoops.analysis.report.amplification import (
    MOST_AMPLIFIED,
    MOST_RETWEETED,
    AmplifiedAccount,
    most_amplified,
    most_retweeted,
)
from infoops.analysis.report.clusters import (
    CLUSTER_COUNTS,
    ClusterSummary,
    cluster_summary,
    stored_cluster_table,
)
from infoops.analysis.report.distributions import (
    FOLLOW_COUNTS,
    Distribution,
    follow_distributions,
)
from infoops.analysis.report.domains import TOP_DOMAINS, DomainCount, top_domains
from infoops.analysis.summary import (
    ACCOUNTS_OF_DISCLOSURE,
    ACCOUNTS_RELEASED,
    TWEETS_OF_DISCLOSURE,
    TWEETS_RELEASED,
    DisclosureSummary,
    compute_summary,
    resolve_timezone,
)
from infoops.engines.base import GraphEngine
from infoops.errors import InfoopsError

DEFAULT_TOP = 15


@dataclass
class ReportFigures:
    """The report's figures for one selection; ``summary`` holds the summary's own."""

    summary: DisclosureSummary
    followers: Distribution
    following: Distribution
    most_amplified: list[AmplifiedAccount] = field(default_factory=list)
    most_retweeted: list[AmplifiedAccount] = field(default_factory=list)
    domains: list[DomainCount] = field(default_factory=list)
    clusters: list[ClusterSummary] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.summary.disclosure or "all released accounts and tweets"

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary.to_dict(),
            "followers": self.followers.to_dict(),
            "following": self.following.to_dict(),
            "most_amplified": [a.to_dict() for a in self.most_amplified],
            "most_retweeted": [a.to_dict() for a in self.most_retweeted],
            "domains": [d.to_dict() for d in self.domains],
            "clusters": [c.to_dict() for c in self.clusters],
        }


@dataclass
class Report:
    """One column of figures per selection, in the order asked for."""

    timezone: str
    top: int
    columns: list[ReportFigures]

    @property
    def has_clusters(self) -> bool:
        return any(column.clusters for column in self.columns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "top": self.top,
            "columns": [column.to_dict() for column in self.columns],
        }


def report_queries(disclosure: str | None) -> dict[str, str]:
    """Every statement ``compute_report`` runs besides the summary's, by name (exposed for
    linting and tests): the summary's selections of accounts and tweets, continued."""
    accounts = ACCOUNTS_OF_DISCLOSURE if disclosure is not None else ACCOUNTS_RELEASED
    tweets = TWEETS_OF_DISCLOSURE if disclosure is not None else TWEETS_RELEASED
    return {
        "follow_counts": accounts + FOLLOW_COUNTS,
        "most_amplified": accounts + MOST_AMPLIFIED,
        "most_retweeted": accounts + MOST_RETWEETED,
        "top_domains": tweets + TOP_DOMAINS,
        "cluster_counts": accounts + CLUSTER_COUNTS,
    }


def compute_report(
    engine: GraphEngine,
    disclosures: list[str] | None = None,
    *,
    tz: str = "UTC",
    top: int = DEFAULT_TOP,
) -> Report:
    """The report's figures for each of ``disclosures`` (one column each), or for everything
    released when none is given. Raises ``InfoopsError`` for an unknown disclosure or time zone,
    or a disclosure named twice."""
    resolve_timezone(tz)
    selections: list[str | None] = list(disclosures) if disclosures else [None]
    repeated = sorted({d for d in selections if d is not None and selections.count(d) > 1})
    if repeated:
        raise InfoopsError(f"disclosure named more than once: {', '.join(repeated)}")
    table = stored_cluster_table(engine)
    return Report(
        timezone=tz,
        top=top,
        columns=[_figures(engine, disclosure, tz, top, table) for disclosure in selections],
    )


def _figures(
    engine: GraphEngine,
    disclosure: str | None,
    tz: str,
    top: int,
    table: list[dict[str, Any]],
) -> ReportFigures:
    summary = compute_summary(engine, disclosure, tz=tz, top=top)
    queries = report_queries(disclosure)
    params = {"disclosure": disclosure, "top": top}
    followers, following = follow_distributions(engine, queries["follow_counts"], params)
    clusters = cluster_summary(engine, queries["cluster_counts"], params, table) if table else []
    return ReportFigures(
        summary=summary,
        followers=followers,
        following=following,
        most_amplified=most_amplified(engine, queries["most_amplified"], params),
        most_retweeted=most_retweeted(engine, queries["most_retweeted"], params),
        domains=top_domains(engine, queries["top_domains"], params),
        clusters=clusters,
    )
