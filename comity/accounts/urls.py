from __future__ import annotations

from django.urls import path

from comity.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("two-factor/", views.otp_verify, name="otp"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
]
