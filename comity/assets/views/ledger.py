"""The ledger pages: the region by state pair, and one case with its assets, agreements and
timeline. Each figure links to the assets behind it; each read is audited."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from comity import policy
from comity.assets import selectors
from comity.assets.forms import LedgerForm
from comity.assets.ledger import STAGES, Ledger, build_ledger, ledger_by_pair
from comity.assets.models import Agreement, Asset
from comity.assets.views.common import (
    Expiry,
    access_case,
    audit_ledger,
    next_expiry,
    user_of_assets,
)
from comity.assets.views.display import (
    DEFAULT_REPORTING,
    STAGE_LABELS,
    DrillRow,
    drill_rows,
    ledger_view,
    line,
    reporting_choices,
)

# Events shown on a case's asset timeline; the oldest beyond are in the audit log.
TIMELINE = 200
ALL = "all"


@dataclass(frozen=True)
class Drill:
    label: str
    stage: str
    stage_label: str
    rows: list[DrillRow]


@dataclass(frozen=True)
class AssetLine:
    asset: Asset
    expiry: Expiry | None


@dataclass(frozen=True)
class AgreementLine:
    agreement: Agreement
    totals: list[tuple[str, Decimal, Decimal, Decimal]]  # currency, gross, expenses, net


def _ledger_form(request: HttpRequest) -> tuple[LedgerForm, str, datetime.date]:
    chosen = (request.GET.get("currency") or DEFAULT_REPORTING).strip().upper()
    currencies = reporting_choices(chosen)
    if "currency" not in request.GET and "as_of" not in request.GET:
        today = timezone.localdate()
        initial = {"currency": DEFAULT_REPORTING, "as_of": today}
        return LedgerForm(initial=initial, currencies=currencies), DEFAULT_REPORTING, today
    form = LedgerForm(request.GET, currencies=currencies)
    return form, form.reporting(DEFAULT_REPORTING), form.day()


def _drill(request: HttpRequest, ledgers: dict[str, tuple[str, Ledger]]) -> Drill | None:
    stage = request.GET.get("stage", "")
    found = ledgers.get(request.GET.get("pair", ALL))
    if stage not in STAGES or found is None:
        return None
    label, ledger = found
    return Drill(label, stage, str(STAGE_LABELS[stage]), drill_rows(ledger, stage))


@require_GET
@login_required
def ledger_home(request: HttpRequest) -> HttpResponse:
    """The region's ledger by pair of states (requesting state, state where the asset is)."""
    user = user_of_assets(request)
    form, reporting, as_of = _ledger_form(request)
    whole, groups = ledger_by_pair(selectors.ledger_assets(user), reporting=reporting, as_of=as_of)
    total_label = gettext("All assets")
    lines = [line(g.ledger, key=g.key, label=g.label, as_of=as_of) for g in groups]
    ledgers = {ALL: (total_label, whole), **{g.key: (g.label, g.ledger) for g in groups}}
    drill = _drill(request, ledgers)
    audit_ledger(
        user,
        subject_type="region",
        subject_id="",
        currency=reporting,
        as_of=as_of.isoformat(),
        assets=len(whole.rows),
        drill=f"{request.GET.get('pair', ALL)}/{drill.stage}" if drill else "",
    )
    context: dict[str, Any] = {
        "form": form,
        "view": ledger_view(whole, lines, line(whole, key=ALL, label=total_label, as_of=as_of)),
        "drill": drill,
    }
    return render(request, "assets/home.html", context)


def _agreement_lines(agreements: list[Agreement]) -> list[AgreementLine]:
    result = []
    for agreement in agreements:
        sums: dict[str, list[Decimal]] = {}
        for transfer in agreement.transfers.all():
            row = sums.setdefault(transfer.currency, [Decimal(0)] * 3)
            row[0] += transfer.gross_amount
            row[1] += transfer.expenses
            row[2] += transfer.net_amount
        totals = [(code, v[0], v[1], v[2]) for code, v in sorted(sums.items())]
        result.append(AgreementLine(agreement, totals))
    return result


@require_GET
@login_required
def case_ledger(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    case = access_case(user=user, id=id)
    form, reporting, as_of = _ledger_form(request)
    assets = list(selectors.case_assets(user, case))
    ledger = build_ledger(assets, reporting=reporting, as_of=as_of)
    whole = line(ledger, key=ALL, label=case.reference, as_of=as_of)
    drill = _drill(request, {ALL: (case.reference, ledger)})
    today = timezone.localdate()
    agreements = list(selectors.case_agreements(user, case))
    audit_ledger(
        user,
        subject_type="case",
        subject_id=str(case.public_id),
        case=case.reference,
        currency=reporting,
        as_of=as_of.isoformat(),
        assets=len(assets),
        drill=drill.stage if drill else "",
    )
    context: dict[str, Any] = {
        "case": case,
        "form": form,
        "view": ledger_view(ledger, [], whole),
        "drill": drill,
        "assets": [AssetLine(a, next_expiry(a, list(a.orders.all()), today)) for a in assets],
        "agreements": _agreement_lines(agreements),
        "timeline": list(selectors.case_timeline(user, case)[:TIMELINE]),
        "can_record": policy.can_record_asset(user, case),
        "can_agree": policy.can_record_agreement(user, case),
    }
    return render(request, "assets/case.html", context)
