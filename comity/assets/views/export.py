"""The FollowTheMoney download of a case: JSON lines (one entity a line, the format FtM tools
import), or one JSON document with ``?format=json``. Only the assets the user sees; a case
the user may not open is missing (404). Every download is audited."""

from __future__ import annotations

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comity.assets import selectors
from comity.assets.views.common import user_of_assets


def _filename(reference: str, extension: str) -> str:
    safe = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "-" for c in reference)
    return f"{safe.strip('-') or 'case'}-ftm.{extension}"


@login_required
@require_GET
def case_ftm(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    user = user_of_assets(request)
    case = selectors.case_for(user, id)
    if case is None:
        raise Http404
    try:
        from comity.assets import ftm
    except ImportError:
        return HttpResponse(
            _("The FollowTheMoney export is not installed on this node."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    whole = request.GET.get("format") == "json"
    export = ftm.export_case(
        actor=user,
        case=case,
        assets=selectors.visible_assets(user),
        via="web",
        fmt="json" if whole else "jsonl",
    )
    if whole:
        body = json.dumps(
            {"case": case.reference, "entities": export.dicts()}, ensure_ascii=False, indent=1
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = _filename(case.reference, "json")
    else:
        response = HttpResponse(
            "".join(export.lines()), content_type="application/x-ndjson; charset=utf-8"
        )
        name = _filename(case.reference, "jsonl")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
