from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "comity.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"
