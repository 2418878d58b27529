from __future__ import annotations

from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "comity.consultation"
    label = "consultation"
    default_auto_field = "django.db.models.BigAutoField"
