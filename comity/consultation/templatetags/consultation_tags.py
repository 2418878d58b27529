"""Filters for the consultation pages and the menu."""

from __future__ import annotations

from typing import Any

from django import template

from comity import policy
from comity.consultation.snapshot import part_label as _part_label

register = template.Library()


@register.filter
def part_label(name: str) -> str:
    """The name of a part of a shared draft, in the reader's language."""
    return _part_label(name or "")


@register.filter
def can_use_consultations(user: Any) -> bool:
    """Caseworkers of an authority: the only users a consultation can concern."""
    return policy.can_use_consultations(user)


@register.simple_tag
def consultation_link(user: Any, request: Any) -> dict[str, str]:
    """For a draft's page: where its consultation is (or can be opened) for this user.

    {"url": ..., "label": ...}, or an empty dict when the user may neither open nor see one.
    """
    from django.urls import reverse
    from django.utils.translation import gettext

    from comity.consultation.models import Consultation

    existing = Consultation.objects.filter(request=request).order_by("-opened_at").first()
    if existing is not None and policy.can_view_consultation(user, existing):
        return {
            "url": reverse("consultation:detail", kwargs={"id": existing.public_id}),
            "label": gettext("Informal consultation"),
        }
    if existing is None and policy.can_open_consultation(user, request):
        return {
            "url": reverse("consultation:new", kwargs={"request_id": request.public_id}),
            "label": gettext("Share for comments"),
        }
    return {}
