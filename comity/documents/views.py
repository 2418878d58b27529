"""Pages of the documents part: the panel on a request, downloads, preview, verification,
translations of typed facts."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from comity import policy
from comity.accounts.models import User
from comity.cooperation.access import access_request
from comity.cooperation.forms_detail import add_service_errors
from comity.cooperation.models import Request
from comity.documents import content, selectors, services, storage
from comity.documents.access import access_document
from comity.documents.forms import GenerateForm, TranslationForm, VerifyForm
from comity.documents.models import Layout
from comity.documents.renderers import renderer_for
from comity.documents.renderers.html import document_html

_CHUNK = 64 * 1024


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required let an anonymous user through
        raise PermissionDenied
    return user


def _accepted(req: Request) -> list[str]:
    return content.supported(
        str(code).lower()[:2] for code in (req.requested_authority.accepted_languages or [])
    )


def _generate_form(req: Request, data: Any = None) -> GenerateForm:
    default = content.default_languages(req.requested_authority)[0]
    return GenerateForm(data, accepted=_accepted(req), default=default, auto_id="id_document_%s")


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _panel(
    request: HttpRequest,
    user: User,
    req: Request,
    form: GenerateForm | None,
    *,
    status: int = 200,
    created: str = "",
) -> HttpResponse:
    services.documents_record_view(reader=user, request=req)
    can_generate = policy.can_generate_document(user, req)
    context = {
        "req": req,
        "versions": selectors.versions_for(user=user, request=req),
        "can_generate": can_generate,
        "can_preview": policy.can_preview_document(user, req),
        "can_translate": policy.can_edit_fact_translations(user, req),
        "form": (form or _generate_form(req)) if can_generate else None,
        "accepted": _accepted(req),
        "created": created,
    }
    template = "documents/_panel.html" if _is_htmx(request) else "documents/request_documents.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def request_documents(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """The request's versions, and the form that generates a new one."""
    user = _member(request)
    req = access_request(user=user, id=request_id)
    if request.method == "GET":
        return _panel(request, user, req, None)
    if not policy.can_generate_document(user, req):
        raise PermissionDenied(_("Only the requesting side can generate the request's document."))
    form = _generate_form(req, request.POST)
    if form.is_valid():
        try:
            version = services.document_render(request=req, actor=user, **form.arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = _("Version %(number)s was generated.") % {"number": version.number}
            if _is_htmx(request):
                return _panel(request, user, req, None, created=text)
            messages.success(request, text)
            return redirect(
                reverse("cooperation:detail", kwargs={"id": req.public_id}) + "#documents"
            )
    return _panel(request, user, req, form, status=400)


@require_GET
@login_required
def download(request: HttpRequest, id: uuid.UUID) -> HttpResponseBase:
    """The stored file, audited; as a download, never rendered by the browser as a page."""
    user = _member(request)
    version = access_document(user=user, id=id)
    try:
        handle = storage.path_of(version.storage_name).open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.document_record_download(reader=user, version=version)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.filename,
        content_type=renderer_for(version.format).content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_GET
@login_required
def preview(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """The document of the current data as a web page (no version is kept)."""
    user = _member(request)
    req = access_request(user=user, id=request_id)
    if not policy.can_preview_document(user, req):
        raise PermissionDenied(_("Only the requesting side can preview the request's document."))
    wanted = request.GET.getlist("lang") or content.default_languages(req.requested_authority)
    layout = Layout.BILINGUAL if len(wanted) == 2 else Layout.SINGLE
    try:
        languages = content.check_languages(wanted, layout)
    except content.ContentError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    document = content.build(
        content.load(req),
        languages=languages,
        layout=layout,
        number=0,
        verification_code="PREVIEW000",
        generated_on=timezone.localdate(),
        check_url=services.check_url(),
    )
    services.document_record_preview(reader=user, request=req, languages=languages)
    return HttpResponse(document_html(document, preview=True))


def _hash_of_upload(form: VerifyForm) -> str:
    upload = form.cleaned_data.get("file")
    if upload is None:
        return str(form.cleaned_data.get("sha256") or "")
    digest = hashlib.sha256()
    for chunk in upload.chunks(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _verification(user: User, form: VerifyForm) -> dict[str, Any]:
    code = services.normalise_code(form.cleaned_data["code"])
    version = selectors.version_by_code(code)
    compared = _hash_of_upload(form) if version is not None else ""
    services.document_record_verification(
        reader=user, code=code, version=version, compared=compared
    )
    if version is None:
        return {"found": False, "code": code}
    return {
        "found": True,
        "version": version,
        "can_see_request": policy.can_view_request(user, version.request),
        "authority": content.authority_name(
            version.request.requesting_authority, (get_language() or "en")[:2]
        ),
        "compared": compared,
        "matches": compared == version.sha256 if compared else None,
    }


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Check a code printed on a document, and optionally the file received with it."""
    user = _member(request)
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "code" in request.GET else None)
    )
    form = VerifyForm(data, request.FILES or None, auto_id="id_verify_%s")
    result: dict[str, Any] | None = None
    status = 200
    if data is not None:
        if form.is_valid():
            result = _verification(user, form)
        else:
            status = 400
    return render(request, "documents/verify.html", {"form": form, "result": result}, status=status)


def _translation_rows(req: Request) -> list[dict[str, Any]]:
    source = content.load(req)
    rows = []
    for fact in content.typed_facts(source):
        written_in = content.guess_language(fact.text)
        cells = []
        for language in content.DOCUMENT_LANGUAGES:
            found = source.translations.get((fact.name, language))
            cells.append(
                {
                    "language": language,
                    "original": written_in == language,
                    "translation": found,
                }
            )
        rows.append({"fact": fact, "written_in": written_in, "cells": cells})
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def translations(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Translations of the typed facts, per document language, and their status."""
    user = _member(request)
    req = access_request(user=user, id=request_id)
    if not policy.can_edit_fact_translations(user, req):
        raise PermissionDenied(_("Only the requesting side can record translations."))
    form = None
    status = 200
    if request.method == "POST":
        form = TranslationForm(request.POST, request.FILES, auto_id="id_translation_%s")
        if form.is_valid() and _save_translation(user, req, form):
            messages.success(request, _("The translation was saved."))
            return redirect(reverse("documents:translations", kwargs={"request_id": req.public_id}))
        status = 400
    elif "field" in request.GET:
        form = _translation_form_for(req, request.GET)
    context = {"req": req, "rows": _translation_rows(req), "form": form}
    return render(request, "documents/translations.html", context, status=status)


def _translation_form_for(req: Request, query: Any) -> TranslationForm:
    field, language = str(query.get("field", "")), str(query.get("language", ""))
    found = req.translations.filter(field=field, language=language).first()
    initial = {"field": field, "language": language}
    if found is not None:
        initial |= {"text": found.text, "status": found.status}
    return TranslationForm(initial=initial, auto_id="id_translation_%s")


def _save_translation(user: User, req: Request, form: TranslationForm) -> bool:
    upload = form.cleaned_data.get("certified_file")
    try:
        services.fact_translation_save(
            actor=user,
            request=req,
            field=form.cleaned_data["field"],
            language=form.cleaned_data["language"],
            text=form.cleaned_data["text"],
            status=form.cleaned_data["status"],
            certified_upload=(upload.name or "", upload.chunks()) if upload else None,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True
