"""Helpers for tests of the admin pages (the directory's and the treaty data's)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.test import Client
from django.urls import reverse

from comity.accounts.models import User


def staff(user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


def admin_url(model: type[Model], view: str = "changelist", *args: Any) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if isinstance(value, bool):
        if value:
            data[key] = "on"
    elif isinstance(value, list):
        data[key] = [str(v) for v in value]
    elif value is not None:
        data[key] = value


def admin_form(client: Client, url: str) -> dict[str, Any]:
    """The change form's current values, inlines included, as the browser would post them."""
    response = client.get(url)
    assert response.status_code == 200
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        _put(data, name, form[name].value())
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                _put(data, f"{inline_form.prefix}-{name}", inline_form[name].value())
    return data
