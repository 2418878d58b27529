from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from comity.audit.codes import Code
from comity.audit.management.commands.audit import Command
from comity.audit.models import AuditEvent
from comity.audit.services import audit_record


def _chain(length: int) -> list[int]:
    """Append ``length`` events; returns their sequence numbers."""
    return [
        audit_record(
            code=Code.REQUEST_VIEWED,
            actor=None,
            subject_type="request",
            subject_id=f"r-{number}",
            details={"n": number},
        ).seq
        for number in range(length)
    ]


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue().strip()


def _raw(sql: str, params: list[str | int]) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def _tamper_details(seq: int, details: dict[str, object]) -> None:
    sql = "UPDATE {table} SET details = %s WHERE seq = %s"
    if connection.vendor == "postgresql":
        sql = "UPDATE {table} SET details = CAST(%s AS jsonb) WHERE seq = %s"
    _raw(sql, [json.dumps(details), seq])


@pytest.mark.django_db
def test_an_untouched_chain_is_reported_intact() -> None:
    seqs = _chain(5)
    assert _verify() == f"audit chain intact: {seqs[-1]} events"
    assert AuditEvent.objects.count() == seqs[-1]


@pytest.mark.django_db
def test_a_changed_row_is_named_as_the_broken_link() -> None:
    seqs = _chain(5)
    _tamper_details(seqs[2], {"n": 99})
    with pytest.raises(CommandError, match=rf"audit chain broken at event #{seqs[2]}: content"):
        _verify()


@pytest.mark.django_db
def test_a_removed_last_row_is_detected() -> None:
    seqs = _chain(4)
    _raw("DELETE FROM {table} WHERE seq = %s", [seqs[-1]])
    with pytest.raises(CommandError, match=rf"audit chain broken at event #{seqs[-1]}: .*remov"):
        _verify()


@pytest.mark.django_db
def test_a_removed_middle_row_is_detected() -> None:
    seqs = _chain(4)
    _raw("DELETE FROM {table} WHERE seq = %s", [seqs[1]])
    with pytest.raises(CommandError, match=rf"audit chain broken at event #{seqs[1]}: .*missing"):
        _verify()


@pytest.mark.django_db
def test_a_replaced_hash_is_detected() -> None:
    seqs = _chain(3)
    _raw("UPDATE {table} SET hash = %s WHERE seq = %s", ["f" * 64, seqs[1]])
    with pytest.raises(CommandError, match=rf"#{seqs[1]}"):
        _verify()


@pytest.mark.django_db(transaction=True)
def test_the_console_command_exits_non_zero_on_a_broken_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seqs = _chain(3)
    _tamper_details(seqs[1], {"n": "changed"})
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["comity", "audit", "verify"])
    assert exited.value.code != 0
    assert f"audit chain broken at event #{seqs[1]}" in capsys.readouterr().err
