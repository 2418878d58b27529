"""The records pages (docs/records.md): the home, extract requests, conviction notices and
the register's persons."""

from __future__ import annotations

from comity.records.views.extracts import (
    extract_answer,
    extract_detail,
    extract_new,
    extract_withdraw,
)
from comity.records.views.home import records_home
from comity.records.views.notices import notice_create_person, notice_detail, notice_match
from comity.records.views.persons import (
    conviction_new,
    conviction_status,
    person_detail,
    person_edit,
    person_list,
    person_new,
)

__all__ = [
    "conviction_new",
    "conviction_status",
    "extract_answer",
    "extract_detail",
    "extract_new",
    "extract_withdraw",
    "notice_create_person",
    "notice_detail",
    "notice_match",
    "person_detail",
    "person_edit",
    "person_list",
    "person_new",
    "records_home",
]
