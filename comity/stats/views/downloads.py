"""The downloads: one table as CSV or XLSX, and the PDF report of the whole dashboard, with
the filters of the page (its query string). Every download is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comity.audit.codes import Code
from comity.core import formatting, languages
from comity.stats import exports
from comity.stats.display import shown_table
from comity.stats.queries import Filters, table_keys
from comity.stats.queries import dashboard as compute
from comity.stats.views.common import (
    Viewer,
    audit_stats,
    filter_lines,
    filters_of,
    period_text,
    today,
    viewer,
)

FORMATS = {"csv": exports.CSV_TYPE, "xlsx": exports.XLSX_TYPE}


def _filename(stem: str, filters: Filters, extension: str) -> str:
    parts = [stem]
    if filters.start:
        parts.append(filters.start.isoformat())
    parts.append((filters.end or today()).isoformat())
    return "comity-" + "_".join(parts) + f".{extension}"


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _table(request: HttpRequest, key: str, fmt: str, *, network: bool) -> HttpResponse:
    who = viewer(request, network=network)
    if fmt not in FORMATS or key not in table_keys(who.scope):
        raise Http404
    filters, _errors = filters_of(request, network=network)
    table = compute(who.scope, filters, only=[key]).table(key)
    lines = filter_lines(filters, network=network, today=today())
    if fmt == "csv":
        body = exports.table_csv(table, lines)
    else:
        body = exports.table_xlsx(table, lines, rtl=languages.get(get_language()).rtl)
    audit_stats(who, filters, code=Code.STATS_EXPORTED, table=key, format=fmt)
    return _attachment(body, FORMATS[fmt], _filename(key, filters, fmt))


def _report(request: HttpRequest, *, network: bool) -> HttpResponse:
    who: Viewer = viewer(request, network=network)
    filters, _errors = filters_of(request, network=network)
    figures = compute(who.scope, filters)
    shown = [shown_table(table) for table in figures.tables]
    language = languages.get(get_language())
    report = exports.Report(
        title=_("Statistics of cooperation: %(name)s") % {"name": who.name},
        subtitle=period_text(filters, today()),
        lines=filter_lines(filters, network=network, today=today(), period=False),
        tables=shown,
        generated=formatting.local_date(figures.generated_at, "DATETIME_FORMAT"),
        language=language.code,
        rtl=language.rtl,
        suppressed=figures.suppressed_cells > 0,
    )
    body = exports.report_pdf(report)
    audit_stats(who, filters, code=Code.STATS_EXPORTED, table="", format="pdf")
    return _attachment(body, exports.PDF_TYPE, _filename("statistics", filters, "pdf"))


@require_GET
@login_required
def export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    return _table(request, key, fmt, network=False)


@require_GET
@login_required
def network_export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    return _table(request, key, fmt, network=True)


@require_GET
@login_required
def report(request: HttpRequest) -> HttpResponse:
    return _report(request, network=False)


@require_GET
@login_required
def network_report(request: HttpRequest) -> HttpResponse:
    return _report(request, network=True)
