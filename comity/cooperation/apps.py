from __future__ import annotations

from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "comity.cooperation"
    label = "cooperation"
    default_auto_field = "django.db.models.BigAutoField"
