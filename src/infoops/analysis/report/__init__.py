"""The figures of ``infoops report``: one module per family, gathered by ``compute_report``."""

from infoops.analysis.report.amplification import AmplifiedAccount
from infoops.analysis.report.clusters import ClusterSummary
from infoops.analysis.report.distributions import Distribution
from infoops.analysis.report.domains import DomainCount
from infoops.analysis.report.figures import (
    DEFAULT_TOP,
    Report,
    ReportFigures,
    compute_report,
    report_queries,
)

__all__ = [
    "DEFAULT_TOP",
    "AmplifiedAccount",
    "ClusterSummary",
    "Distribution",
    "DomainCount",
    "Report",
    "ReportFigures",
    "compute_report",
    "report_queries",
]
