from __future__ import annotations

from django.urls import URLPattern, path

from comity.documents import views

app_name = "documents"

urlpatterns: list[URLPattern] = [
    path("verify/", views.verify, name="verify"),
    path("requests/<uuid:request_id>/", views.request_documents, name="request_documents"),
    path("requests/<uuid:request_id>/preview/", views.preview, name="preview"),
    path("requests/<uuid:request_id>/translations/", views.translations, name="translations"),
    path("<uuid:id>/", views.download, name="download"),
]
