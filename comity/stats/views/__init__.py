"""The statistics pages (docs/stats.md): a central authority's dashboard, the network's,
and their downloads (CSV, XLSX, the PDF report)."""

from __future__ import annotations

from comity.stats.views.downloads import export, network_export, network_report, report
from comity.stats.views.pages import dashboard, network

__all__ = ["dashboard", "export", "network", "network_export", "network_report", "report"]
