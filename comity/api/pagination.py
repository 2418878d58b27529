"""Page-number pagination: `?page=N&page_size=M`, one envelope for every list.

    {"items": [...], "count": N, "page": N, "page_size": N, "next": url|null,
     "previous": url|null}

A COUNT runs only when the page is full, or empty past the first: a short page tells how
many there are. The request boxes page through selectors.RequestListing, which picks the
page's keys from each index first and loads only those rows with their joins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import BaseModel

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # keeps OFFSET within what every database accepts

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        description=f"Items per page; at most {MAX_PAGE_SIZE} (larger values are capped).",
    )


class PageOut(BaseModel):
    """The envelope; each list subclasses it with its own ``items``."""

    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class Pageable(Protocol[T_co]):
    """A QuerySet, or selectors.RequestListing: counted and cut into pages."""

    def count(self) -> int: ...

    def __getitem__(self, index: slice, /) -> Sequence[T_co] | QuerySet[Any]: ...


def paginate(
    request: HttpRequest,
    rows_source: Pageable[T],
    params: PageParams,
    item: Callable[[T], Any],
) -> dict[str, Any]:
    """One page of ``rows_source`` in the envelope, each row turned into ``item(row)``."""
    page_size = min(params.page_size, MAX_PAGE_SIZE)
    offset = (params.page - 1) * page_size
    rows: list[T] = list(rows_source[offset : offset + page_size])
    if (rows and len(rows) < page_size) or (not rows and offset == 0):
        count = offset + len(rows)
    else:
        count = rows_source.count()
    return {
        "items": [item(row) for row in rows],
        "count": count,
        "page": params.page,
        "page_size": page_size,
        "next": _page_url(request, params.page + 1) if offset + len(rows) < count else None,
        "previous": _page_url(request, params.page - 1) if params.page > 1 else None,
    }
