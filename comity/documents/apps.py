from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


def _timeline_event_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # The submission is recorded by the cooperation services; the versions generated from
    # the submitted text are marked sent in the same transaction (docs/documents.md).
    if created:
        from comity.documents.services import on_timeline_event

        on_timeline_event(instance)


class DocumentsConfig(AppConfig):
    name = "comity.documents"
    label = "documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_save.connect(
            _timeline_event_saved,
            sender="cooperation.TimelineEvent",
            dispatch_uid="documents.mark_sent_on_submit",
        )
