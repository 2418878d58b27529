"""Return and sharing agreements of a case (UNCAC art. 57) and what was transferred."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comity import policy
from comity.accounts.models import User
from comity.assets import selectors, services
from comity.assets.forms import AgreementForm, TransferForm, add_asset_errors, amount_text
from comity.assets.views.common import access_agreement, access_case, states, user_of_assets
from comity.cooperation.models import Case


def _case_url(case: Case) -> str:
    return reverse("assets:case", kwargs={"id": case.public_id})


def _agreeing(user: User, case: Case) -> None:
    if not policy.can_record_agreement(user, case):
        raise PermissionDenied(_("You may not record agreements in this case."))


@require_http_methods(["GET", "POST"])
@login_required
def agreement_create(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    case = access_case(user=user, id=id)
    _agreeing(user, case)
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, states=states())
    if data is not None and form.is_valid():
        try:
            services.agreement_record(user=user, case=case, data=form.data_for_service())
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The agreement was recorded."))
            return redirect(f"{_case_url(case)}#agreements")
    context = {"case": case, "form": form}
    return render(request, "assets/agreement_form.html", context, status=400 if data else 200)


@require_http_methods(["GET", "POST"])
@login_required
def transfer_create(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    agreement = access_agreement(user=user, id=id)
    case = agreement.case
    _agreeing(user, case)
    data = request.POST if request.method == "POST" else None
    assets = list(selectors.visible_assets(user).filter(case=case).order_by("created_at", "id"))
    form = TransferForm(data, assets=assets)
    if data is not None and form.is_valid():
        try:
            services.transfer_record(
                user=user,
                agreement=agreement,
                asset=form.chosen_asset(),
                transferred_on=form.cleaned_data["transferred_on"],
                gross_amount=amount_text(form.cleaned_data["gross_amount"]) or None,
                currency=form.cleaned_data["currency"],
                expenses=amount_text(form.cleaned_data["expenses"]) or None,
                reference=form.cleaned_data["reference"],
                note=form.cleaned_data["note"],
            )
        except services.AssetError as error:
            add_asset_errors(form, error)
        else:
            messages.success(request, _("The transfer was recorded."))
            return redirect(f"{_case_url(case)}#agreements")
    context = {"case": case, "agreement": agreement, "form": form}
    return render(request, "assets/transfer_form.html", context, status=400 if data else 200)
