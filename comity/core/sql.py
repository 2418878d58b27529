"""Names for the few queries written by hand (where compiling the ORM's query cost more than
running it, on every page: docs/benchmarks.md). They come from the models, so a renamed
field or table changes the SQL with it."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model


def concrete_field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 (hand-written SQL names stored columns only)
    return field


def quoted_columns(model: type[Model], connection: BaseDatabaseWrapper, *names: str) -> list[str]:
    """The model's table, then the columns of these fields, quoted for this database."""
    quote = connection.ops.quote_name
    return [
        quote(model._meta.db_table),
        *(quote(str(concrete_field(model, name).column)) for name in names),
    ]
