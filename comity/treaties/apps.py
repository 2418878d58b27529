from __future__ import annotations

from django.apps import AppConfig


class TreatiesConfig(AppConfig):
    name = "comity.treaties"
    label = "treaties"
    default_auto_field = "django.db.models.BigAutoField"
