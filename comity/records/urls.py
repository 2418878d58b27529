from __future__ import annotations

from django.urls import path

from comity.records import views

app_name = "records"

urlpatterns = [
    path("", views.records_home, name="home"),
    path("extracts/new/", views.extract_new, name="extract_new"),
    path("extracts/<uuid:id>/", views.extract_detail, name="extract_detail"),
    path("extracts/<uuid:id>/answer/", views.extract_answer, name="extract_answer"),
    path("extracts/<uuid:id>/withdraw/", views.extract_withdraw, name="extract_withdraw"),
    path("notices/<uuid:id>/", views.notice_detail, name="notice_detail"),
    path("notices/<uuid:id>/match/", views.notice_match, name="notice_match"),
    path(
        "notices/<uuid:id>/create-person/",
        views.notice_create_person,
        name="notice_create_person",
    ),
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_new, name="person_new"),
    path("persons/<uuid:id>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:id>/convictions/new/", views.conviction_new, name="conviction_new"),
    path(
        "persons/<uuid:id>/convictions/<uuid:conviction>/status/",
        views.conviction_status,
        name="conviction_status",
    ),
]
