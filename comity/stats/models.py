"""The statistics read one narrow table: a fact per submitted request (docs/stats.md).

A fact is derived from its request and the request's transition events only, kept current
by ``comity.stats.facts.refresh`` (called by every transition) and rebuilt whole by
``comity stats rebuild``. Drafts never have a fact. Durations are whole hours, so that a
percentile is the same figure on every database engine.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from comity.cooperation.models import Request
from comity.directory.models import Authority, State


class Outcome(models.TextChoices):
    OPEN = "open", _("Open")
    POSTPONED = "postponed", _("Postponed")
    EXECUTED = "executed", _("Executed")
    PARTIALLY_EXECUTED = "partially_executed", _("Partially executed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_OUTCOMES: tuple[str, ...] = (Outcome.OPEN, Outcome.POSTPONED)
# Outcomes where the requested side decided: the end of "submitted to done".
DECIDED: tuple[str, ...] = (Outcome.EXECUTED, Outcome.PARTIALLY_EXECUTED, Outcome.REFUSED)
EXECUTED: tuple[str, ...] = (Outcome.EXECUTED, Outcome.PARTIALLY_EXECUTED)


# What a dashboard reads besides the keys (comity/stats/relation.py COLUMNS).
COVERED: tuple[str, ...] = (
    "type",
    "submitted_month",
    "requesting_state",
    "requested_state",
    "instrument",
    "offence_category",
    "outcome",
    "refusal_ground",
    "info_rounds",
    "hours_to_ack",
    "hours_ack_to_execution",
    "hours_execution_to_done",
    "hours_to_done",
    "acknowledged_at",
    "acknowledgement_due",
    "response_due",
)


class RequestFact(models.Model):
    request = models.OneToOneField(
        Request, on_delete=models.CASCADE, primary_key=True, related_name="fact"
    )
    type = models.CharField(max_length=32)
    requesting_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    requesting_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    requested_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    requested_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The first instrument of the legal basis (treaties.Instrument code), or "".
    instrument = models.CharField(max_length=64, blank=True)
    # The ICCS section (first two digits) of the first offence, or "".
    offence_category = models.CharField(max_length=2, blank=True)
    submitted_at = models.DateTimeField()
    submitted_month = models.DateField()  # the first day of the month of submission (UTC)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    execution_started_at = models.DateTimeField(null=True, blank=True)
    info_requested_at = models.DateTimeField(null=True, blank=True)  # the first round
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, default=Outcome.OPEN)
    refusal_ground = models.CharField(max_length=48, blank=True)
    info_rounds = models.PositiveSmallIntegerField(default=0)
    hours_to_ack = models.IntegerField(null=True, blank=True)
    hours_ack_to_execution = models.IntegerField(null=True, blank=True)
    hours_execution_to_done = models.IntegerField(null=True, blank=True)
    hours_to_done = models.IntegerField(null=True, blank=True)
    acknowledgement_due = models.DateTimeField(null=True, blank=True)
    response_due = models.DateTimeField(null=True, blank=True)
    # The value of FactsRevision.revision when the fact was last written by ``refresh``:
    # the in-memory engine reads only the facts above the revision it holds.
    revision = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("request fact")
        verbose_name_plural = _("request facts")
        indexes = [
            # An authority's dashboard: its outgoing and its incoming requests by period,
            # each read from its index alone on PostgreSQL (the other columns included).
            models.Index(
                fields=["requesting_authority", "submitted_at"],
                include=COVERED,
                name="fact_requesting_idx",
            ),
            models.Index(
                fields=["requested_authority", "submitted_at"],
                include=COVERED,
                name="fact_requested_idx",
            ),
            # The network's dashboard by period; the backlog (open requests).
            models.Index(fields=["submitted_at"], name="fact_submitted_idx"),
            models.Index(fields=["outcome", "submitted_at"], name="fact_outcome_idx"),
            models.Index(fields=["revision"], name="fact_revision_idx"),
        ]

    def __str__(self) -> str:
        return f"fact of request {self.request_id}"


class FactsRevision(models.Model):
    """One row: the counter behind ``RequestFact.revision`` and the generation of the table.

    ``refresh`` raises the revision with an UPDATE that locks this row until its transaction
    commits, so revisions become visible in the order they were given. Anything that
    rewrites or deletes facts in bulk (``rebuild``, ``seed``, a deletion) raises the
    generation instead, and the in-memory engine then reloads every fact
    (comity/stats/columnar.py).
    """

    revision = models.BigIntegerField(default=0)
    generation = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("revision of the facts")
        verbose_name_plural = _("revisions of the facts")

    def __str__(self) -> str:
        return f"facts revision {self.revision}, generation {self.generation}"
