"""The agreement report of a dataset release: ``build_report`` (JSON) and ``render_report_html``."""

from releases.report.build import build_report
from releases.report.html import render_report_html

__all__ = ["build_report", "render_report_html"]
