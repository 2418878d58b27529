"""URLs for the API tests: the project's own, with the consultation router mounted at
/api/v1/consultations on a test API of the same make when the project's API does not
mount it (yet)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from comity.api import errors
from comity.api.auth import TokenAuth
from comity.api.renderers import Utf8JsonRenderer
from comity.api.root import ComityAPI, JsonParser
from comity.api.root import api as project_api
from comity.config.urls import urlpatterns as project_urls
from comity.consultation.api import router


def _mounted() -> bool:
    return any("/consultations" in p for p in project_api.get_openapi_schema()["paths"])


urlpatterns: list[URLPattern | URLResolver] = list(project_urls)
if not _mounted():
    test_api = ComityAPI(
        title="Consultation API (tests)",
        version="consultation-tests",
        urls_namespace="consultation_api_tests",
        auth=TokenAuth(),
        parser=JsonParser(),
        renderer=Utf8JsonRenderer(),
        docs_url=None,
        openapi_url=None,
    )
    errors.install(test_api)
    test_api.add_router("/consultations", router)
    patterns, app_name, namespace = test_api.urls
    # Without its catch-all, so that the rest of /api/v1/ still reaches the project's API.
    own = [p for p in patterns if getattr(p, "name", None) != "not-found"]
    urlpatterns = [path("api/v1/", include((own, app_name), namespace=namespace)), *project_urls]
