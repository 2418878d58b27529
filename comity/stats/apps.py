from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "comity.stats"
    label = "stats"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from comity.stats.models import RequestFact

        post_delete.connect(_fact_deleted, sender=RequestFact, dispatch_uid="stats-fact-deleted")


def _fact_deleted(**_kwargs: object) -> None:
    """A fact deleted (with its request, or by hand): readers reload every fact."""
    from comity.stats.facts import new_generation

    new_generation()
