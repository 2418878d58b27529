from __future__ import annotations

from django.urls import path, re_path

from comity.stats import views

app_name = "stats"

_TABLE = r"(?P<key>[a-z0-9_]+)\.(?P<fmt>csv|xlsx)$"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(rf"^export/{_TABLE}", views.export, name="export"),
    path("report.pdf", views.report, name="report"),
    path("network/", views.network, name="network"),
    re_path(rf"^network/export/{_TABLE}", views.network_export, name="network_export"),
    path("network/report.pdf", views.network_report, name="network_report"),
]
