"""Django's database sessions, read with SQL written once (SESSION_ENGINE).

Every signed-in request reads its session first. Django reads it with
``Session.objects.get(session_key=…, expire_date__gt=now)``, and compiling that query costs
the ORM more than running it does: about half a millisecond of every page
(docs/benchmarks.md). This store reads the same row with the same condition through SQL
built once from the model's own table and column names; saving, deleting and cycling keys
stay Django's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from comity.core.sql import concrete_field, quoted_columns


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        if not self.session_key:
            self._session_key = None
            return {}
        alias = router.db_for_read(Session)
        connection = connections[alias]
        now = concrete_field(Session, "expire_date").get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(_load_sql(alias, connection.vendor), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: Django's store starts a new one the same way
            self._session_key = None
            return {}
        return self.decode(row[0])  # a bad signature is logged and reads as empty


@lru_cache(maxsize=8)
def _load_sql(alias: str, vendor: str) -> str:
    del vendor  # part of the key
    table, data, key, expires = quoted_columns(
        Session, connections[alias], "session_data", "session_key", "expire_date"
    )
    return f"SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s"  # noqa: S608 (the model's names)
