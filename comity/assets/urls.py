from __future__ import annotations

from django.urls import path

from comity.assets import views
from comity.assets.views import export

app_name = "assets"

urlpatterns = [
    path("", views.ledger_home, name="home"),
    path("cases/<uuid:id>/", views.case_ledger, name="case"),
    path("cases/<uuid:id>/new/", views.asset_create, name="asset_create"),
    path("cases/<uuid:id>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("cases/<uuid:id>/ftm.json", export.case_ftm, name="case_ftm"),
    path("<uuid:id>/", views.asset_detail, name="asset_detail"),
    path("<uuid:id>/edit/", views.asset_edit, name="asset_edit"),
    path("<uuid:id>/status/", views.asset_status, name="asset_status"),
    path("<uuid:id>/orders/new/", views.order_create, name="order_create"),
    path("<uuid:id>/holders/new/", views.holder_add, name="holder_add"),
    path("orders/<uuid:id>/execution/", views.order_execution, name="order_execution"),
    path("orders/<uuid:id>/renew/", views.order_renew, name="order_renew"),
    path("agreements/<uuid:id>/transfers/new/", views.transfer_create, name="transfer_create"),
    path("rates/", views.rates, name="rates"),
    path("expiring/", views.expiring, name="expiring"),
]
