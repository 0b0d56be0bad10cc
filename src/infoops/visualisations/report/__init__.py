"""``infoops report``'s page: the report's figures as one offline HTML page of inline SVG plots."""

from infoops.visualisations.report.page import render_report_html, write_report_html

__all__ = ["render_report_html", "write_report_html"]
