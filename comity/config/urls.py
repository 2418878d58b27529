from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from comity.api.root import api

urlpatterns = [
    path("", include("comity.web.urls")),
    path("accounts/", include("comity.accounts.urls")),
    path("requests/", include("comity.cooperation.urls")),
    path("directory/", include("comity.directory.urls")),
    path("legal-basis/", include("comity.treaties.urls")),
    path("documents/", include("comity.documents.urls")),
    path("consultation/", include("comity.consultation.urls")),
    path("records/", include("comity.records.urls")),
    path("assets/", include("comity.assets.urls")),
    path("stats/", include("comity.stats.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
