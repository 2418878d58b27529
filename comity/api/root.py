"""The REST API (django-ninja); each app adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Comity API", version="1", urls_namespace="api")
