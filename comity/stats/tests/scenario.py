"""The hand-computed history most statistics tests read (times in hours after T0).

Kazakhstan's GPO (KAZ) requests from Kyrgyzstan's (KGZ):
  R1 mla       (UNTOC) submitted 0, acknowledged 10, in execution 34, executed 274
  R2 mla       submitted 1, acknowledged 21, in execution 69, info asked 80 and 120
               (answered 100 and 130), partially executed 501
  R3 mla       submitted 2, acknowledged 22, refused 102 (no dual criminality)
  R4 mla       submitted 3, acknowledged 53, in execution 63, still open
  R5 extradition submitted 2026-04-10 09:00, never acknowledged
  R6 records_extract submitted 5, withdrawn 30
  R7 mla       a draft: never counted
and receives from KGZ:
  R8 mla       submitted 6, acknowledged 36 (by KAZ), still open
Tajikistan's GPO (an outsider to KAZ) sends R9 mla to KGZ: submitted 7, acknowledged 9.

Turnaround for KAZ (both directions):
  to acknowledgement 10, 20, 20, 30, 50 h   -> median 20 h = 0.8 d, p90 42 h = 1.8 d (1.75)
  to execution       24, 48, 10 h           -> median 24 h = 1.0 d, p90 43.2 h = 1.8 d
  execution to done  240, 432 h             -> median 336 h = 14.0 d, p90 412.8 h = 17.2 d
  submitted to done  274, 500, 100 h        -> median 274 h = 11.4 d, p90 454.8 h = 19.0 d
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from comity.cooperation.models import Request
from tests.builders import draft
from tests.personas import Personas

from .helpers import T0, Clock, act, hours, submit

NOW = datetime(2026, 4, 25, 9, 0, tzinfo=UTC)


@dataclass
class Story:
    requests: dict[str, Request]


def build(personas: Personas, clock: Clock) -> Story:
    kaz, kgz = personas.requesting_officer, personas.requested_officer
    r: dict[str, Request] = {}
    r["R1"] = submit(clock, kaz, T0, legal_basis_codes=["UNTOC"])
    r["R2"] = submit(clock, kaz, T0 + hours(1))
    r["R3"] = submit(clock, kaz, T0 + hours(2))
    r["R4"] = submit(clock, kaz, T0 + hours(3))
    r["R6"] = submit(clock, kaz, T0 + hours(5), type="records_extract")
    r["R8"] = submit(clock, kgz, T0 + hours(6), requested_state="KAZ")
    r["R9"] = submit(clock, personas.outsider, T0 + hours(7))
    act(clock, kgz, r["R1"], "acknowledge", T0 + hours(10))
    act(clock, kgz, r["R2"], "acknowledge", T0 + hours(21))
    act(clock, kgz, r["R3"], "acknowledge", T0 + hours(22))
    act(clock, personas.outsider, r["R9"], "withdraw", T0 + hours(8), reason="Sent twice.")
    act(clock, kaz, r["R6"], "withdraw", T0 + hours(30), reason="No longer needed.")
    act(clock, kgz, r["R1"], "start_execution", T0 + hours(34))
    act(clock, kaz, r["R8"], "acknowledge", T0 + hours(36))
    act(clock, kgz, r["R4"], "acknowledge", T0 + hours(53))
    act(clock, kgz, r["R4"], "start_execution", T0 + hours(63))
    act(clock, kgz, r["R2"], "start_execution", T0 + hours(69))
    act(clock, kgz, r["R2"], "request_info", T0 + hours(80), reason="Which accounts?")
    act(clock, kaz, r["R2"], "provide_info", T0 + hours(100), reason="Accounts 1 and 2.")
    act(clock, kgz, r["R2"], "request_info", T0 + hours(120), reason="Which period?")
    act(clock, kaz, r["R2"], "provide_info", T0 + hours(130), reason="2024 to 2026.")
    act(
        clock,
        kgz,
        r["R3"],
        "refuse",
        T0 + hours(102),
        reason="Not an offence here.",
        ground="no_dual_criminality",
    )
    act(clock, kgz, r["R1"], "execute", T0 + hours(274))
    act(clock, kgz, r["R2"], "execute_partially", T0 + hours(501), reason="One account only.")
    r["R5"] = submit(clock, kaz, datetime(2026, 4, 10, 9, 0, tzinfo=UTC), type="extradition")
    clock.set(NOW)
    r["R7"] = draft(kaz, proceedings_reference="KZ-2026-0999")
    return Story(requests=r)
