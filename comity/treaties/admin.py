"""Where coordinators correct and extend the treaty data, with history and an audit trail.

Every save and delete here is audited (TREATY_DATA_CHANGED) and recorded in the history
tables with the user. The history is read-only: an old version can be looked at, not restored
from here (restore it by editing the current row, which is itself audited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from comity.accounts.adminsite import TreatyDataPermissions
from comity.audit.codes import Code
from comity.audit.services import audit_record
from comity.core.models import IccsCode
from comity.treaties.models import (
    Article,
    Cooperation,
    Declaration,
    Instrument,
    Participation,
)

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec

ADMIN_REASON = "admin"


def _subject_id(obj: models.Model) -> str:
    if isinstance(obj, Instrument):
        return obj.code
    if isinstance(obj, Article):
        return f"{obj.instrument.code}/{obj.cooperation}/{obj.article}"
    if isinstance(obj, Participation):
        return f"{obj.instrument.code}/{obj.state.iso3}"
    if isinstance(obj, Declaration):
        return f"{obj.state.iso3}/{obj.instrument.code if obj.instrument else ''}/{obj.pk}"
    return str(obj.pk)


def _audit(request: HttpRequest, obj: models.Model, action: str, fields: list[str]) -> None:
    user = request.user if request.user.is_authenticated else None
    audit_record(
        code=Code.TREATY_DATA_CHANGED,
        actor=user,
        subject_type=f"treaties.{obj._meta.model_name}",
        subject_id=_subject_id(obj),
        details={"action": action, "fields": fields},
    )


class _AuditedHistoryAdmin(TreatyDataPermissions, SimpleHistoryAdmin):  # type: ignore[misc]
    """Saves and deletes write the audit event and a history reason; history is read-only."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj._change_reason = ADMIN_REASON
        super().save_model(request, obj, form, change)
        _audit(request, obj, "changed" if change else "created", list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        obj._change_reason = ADMIN_REASON
        obj._history_user = request.user
        _audit(request, obj, "deleted", [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


# The instrument's form, in sections; the form's fields are these.
INSTRUMENT_FIELDSETS: _FieldsetSpec = (
    (None, {"fields": ("code", "kind", "title_en", "title_ru", "short_title")}),
    (
        _("Scope"),
        {
            "fields": (
                "cooperation",
                "all_offences",
                "scope_iccs",
                "scope_conditional",
                "scope_note",
                "supersedes",
            )
        },
    ),
    (_("Dates"), {"fields": ("adopted", "in_force", "eif_days_after_deposit", "depositary")}),
    (_("Requests"), {"fields": ("request_content", "notes")}),
    (_("Source"), {"fields": ("source", "confidence", "as_of")}),
)


class InstrumentForm(forms.ModelForm):  # type: ignore[type-arg]
    cooperation = forms.MultipleChoiceField(
        label=_("cooperation covered"),
        choices=Cooperation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scope_iccs = forms.CharField(
        label=_("ICCS codes in scope"),
        required=False,
        help_text=_(
            "Codes separated by “;”, e.g. 0703;0806;07041?. Sub-codes are included. A code "
            "ending in “?” is in scope only under the condition given in the scope."
        ),
    )

    class Meta:
        model = Instrument
        fields = flatten_fieldsets(INSTRUMENT_FIELDSETS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["scope_iccs"] = ";".join(self.instance.scope_iccs)

    def clean_scope_iccs(self) -> list[str]:
        codes = [c.strip() for c in self.cleaned_data["scope_iccs"].split(";") if c.strip()]
        plain = [c.removesuffix("?") for c in codes]
        known = set(IccsCode.objects.filter(code__in=plain).values_list("code", flat=True))
        unknown = [c for c in codes if c.removesuffix("?") not in known]
        if unknown:
            raise forms.ValidationError(
                gettext("Unknown ICCS codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return codes


class ArticleInline(TreatyDataPermissions, admin.TabularInline):  # type: ignore[type-arg]
    model = Article
    fields = ("order", "cooperation", "article", "topic", "summary", "verify")
    extra = 0
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}
    }


@admin.register(Instrument)
class InstrumentAdmin(_AuditedHistoryAdmin):
    form = InstrumentForm
    inlines = (ArticleInline,)
    list_display = ("code", "short_title", "kind", "in_force", "confidence", "as_of")
    list_filter = ("kind", "confidence")
    search_fields = ("code", "title_en", "title_ru", "short_title")
    filter_horizontal = ("supersedes",)
    fieldsets = INSTRUMENT_FIELDSETS

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = ADMIN_REASON
            obj._history_user = request.user
            _audit(request, obj, "deleted", [])
            obj.delete()
        changed = {id(f.instance): f.changed_data for f in formset.forms}
        for obj in instances:
            obj._change_reason = ADMIN_REASON
            obj._history_user = request.user
            created = obj.pk is None
            obj.save()
            _audit(request, obj, "created" if created else "changed", changed.get(id(obj), []))
        formset.save_m2m()


@admin.register(Participation)
class ParticipationAdmin(_AuditedHistoryAdmin):
    list_display = (
        "state",
        "instrument",
        "status",
        "signed",
        "deposited",
        "entry_into_force_shown",
        "confidence",
    )
    list_filter = ("status", "confidence", "instrument__kind", "state", "instrument")
    list_select_related = ("state", "instrument")
    search_fields = (
        "state__iso3",
        "state__name_en",
        "state__name_ru",
        "instrument__code",
        "instrument__short_title",
        "status_text",
        "caveat",
        "source",
    )
    readonly_fields = ("entry_into_force_shown",)
    fieldsets = (
        (None, {"fields": ("instrument", "state", "status", "status_text", "caveat")}),
        (
            _("Dates"),
            {"fields": ("signed", "deposited", "entry_into_force", "entry_into_force_shown")},
        ),
        (_("Source"), {"fields": ("source", "confidence", "as_of")}),
    )

    @admin.display(description=_("entry into force (effective)"))
    def entry_into_force_shown(self, obj: Participation) -> str:
        if obj.pk is None:
            return "–"
        day, computed = obj.effective_entry_into_force()
        if day is None:
            return gettext("unknown")
        if computed:
            return gettext("%(date)s (computed from the deposit)") % {"date": day.isoformat()}
        return day.isoformat()


@admin.register(Declaration)
class DeclarationAdmin(_AuditedHistoryAdmin):
    list_display = ("state", "instrument", "topic", "article", "value", "lodged", "confidence")
    list_filter = ("topic", "confidence", "lodged", "state", "instrument")
    list_select_related = ("state", "instrument")
    search_fields = ("state__iso3", "state__name_en", "instrument__code", "text", "source")
    fieldsets = (
        (None, {"fields": ("state", "instrument", "topic", "article", "text", "value", "lodged")}),
        (_("Source"), {"fields": ("source", "confidence", "as_of")}),
    )
