from __future__ import annotations

from django.urls import path

from comity.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notifications, name="notifications"),
]
