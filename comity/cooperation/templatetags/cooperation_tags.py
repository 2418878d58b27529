"""Tags and filters for the request pages: list rows, badge and button colours, labels of
stored codes."""

from __future__ import annotations

from django import template

from comity.cooperation.lifecycle import Action, RefusalGround, Status
from comity.cooperation.models import Urgency
from comity.cooperation.views.lists import STATUS_COLOURS, RequestRow, rows_html

register = template.Library()

_URGENCY_CLASSES: dict[str, str] = {
    Urgency.URGENT: "text-bg-warning",
    Urgency.VERY_URGENT: "text-bg-danger",
}
_ACTION_CLASSES: dict[str, str] = {
    Action.SUBMIT: "btn-primary",
    Action.ACKNOWLEDGE: "btn-primary",
    Action.EXECUTE: "btn-success",
    Action.EXECUTE_PARTIALLY: "btn-outline-success",
    Action.REFUSE: "btn-outline-danger",
    Action.WITHDRAW: "btn-outline-danger",
}


@register.simple_tag
def request_rows(rows: list[RequestRow], compact: bool = False) -> str:
    """``{% request_rows rows %}``: the ``<tr>`` of a request list (views.lists.rows_html)."""
    return rows_html(rows, compact=compact)


@register.filter
def status_badge(status: str) -> str:
    """Badge classes for a request status, the same colours as in the request lists."""
    colour = STATUS_COLOURS.get(status, "secondary")
    return f"text-{colour}-emphasis bg-{colour}-subtle border border-{colour}-subtle"


@register.filter
def urgency_badge(urgency: str) -> str:
    return _URGENCY_CLASSES.get(urgency, "text-bg-light border")


@register.filter
def action_button(action: str) -> str:
    """Button classes for a lifecycle action: final and irreversible steps stand out."""
    return _ACTION_CLASSES.get(action, "btn-outline-primary")


@register.filter
def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


@register.filter
def ground_label(ground: str) -> str:
    """The label of a refusal ground stored by its code (e.g. in a timeline event)."""
    return str(RefusalGround(ground).label) if ground in RefusalGround.values else ground
