from __future__ import annotations

from django.urls import path

from comity.cooperation.views import detail, drafts, lists

app_name = "cooperation"

urlpatterns = [
    path("", lists.request_list, name="list"),
    path("new/", drafts.request_create, name="create"),
    path("<uuid:id>/", detail.request_detail, name="detail"),
    path("<uuid:id>/edit/", drafts.request_edit, name="edit"),
    path("<uuid:id>/transitions/", detail.request_transition, name="transition"),
    path("<uuid:id>/messages/", detail.request_messages, name="messages"),
    path("<uuid:id>/attachments/", detail.attachment_upload, name="attachment_upload"),
    path(
        "<uuid:id>/attachments/<uuid:attachment_id>/",
        detail.attachment_download,
        name="attachment_download",
    ),
]
