from __future__ import annotations

from django.urls import path

from comity.treaties import views

app_name = "treaties"

urlpatterns = [
    path("", views.finder_page, name="finder"),
    path("panel/", views.panel, name="panel"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<slug:code>/", views.instrument_detail, name="instrument"),
]
