"""Fill a fresh database with benchmark data, or hand out credentials for it.

    python -m bench.seed seed --requests 100000   # migrate, reference data, users, requests
    python -m bench.seed credentials              # API token + session key for kgz.officer
    python -m bench.seed status                   # how many requests the database holds

The database is the one the settings name (COMITY_DATA_DIR for SQLite, DATABASE_URL for
PostgreSQL); ``seed`` refuses to touch a database that already holds users or requests.

The requests are inserted with bulk_create, NOT through comity.cooperation.services: going
through the services (one transaction, timeline event, audit record and outbox envelope per
step) would take hours for 100,000 requests. The rows are kept consistent with what the
services would have written for the columns the lists read: unique references numbered per
requesting state and year (and the reference counters moved past them), a case of the
requesting authority for every request, the primary central authority of the requested
state, submission, acknowledgement and completion dates matching the status, deadlines from
comity.cooperation.deadlines, the folded search column, and at least one offence and one
measure on every request that left the draft stage. Timeline events, audit records and
outbox envelopes are not written.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import django

SEED = 20260
BATCH = 5000
YEARS_BACK = 3
BENCH_USERNAME = "kgz.officer"
# An officer of an authority that no seeded request involves: their incoming box is empty,
# which shows what the same page costs without rows to fetch, count and render.
EMPTY_USERNAME = "kaz.court.officer"
EMPTY_AUTHORITY = "kaz-sc"

# Status, weight, oldest age in days: open requests are recent, finished ones spread over years.
STATUS_MIX: tuple[tuple[str, int, int], ...] = (
    ("draft", 7, 60),
    ("submitted", 10, 30),
    ("acknowledged", 10, 120),
    ("in_execution", 22, 270),
    ("additional_info_requested", 5, 270),
    ("postponed", 3, 365),
    ("executed", 16, 365 * YEARS_BACK),
    ("partially_executed", 5, 365 * YEARS_BACK),
    ("refused", 5, 365 * YEARS_BACK),
    ("withdrawn", 3, 365 * YEARS_BACK),
    ("closed", 14, 365 * YEARS_BACK),
)
TYPE_MIX: tuple[tuple[str, int], ...] = (
    ("mla", 55),
    ("extradition", 8),
    ("provisional_arrest", 3),
    ("freezing", 6),
    ("seizure", 4),
    ("confiscation", 3),
    ("asset_return", 1),
    ("records_extract", 14),
    ("conviction_notice", 4),
    ("transfer_of_proceedings", 2),
)
URGENCY_MIX: tuple[tuple[str, int], ...] = (("normal", 80), ("urgent", 15), ("very_urgent", 5))
MEASURE_FOR_TYPE: dict[str, str] = {
    "mla": "bank_records",
    "extradition": "arrest",
    "provisional_arrest": "arrest",
    "freezing": "freeze_assets",
    "seizure": "search_and_seizure",
    "confiscation": "confiscate_assets",
    "asset_return": "confiscate_assets",
    "records_extract": "criminal_record",
    "conviction_notice": "criminal_record",
    "transfer_of_proceedings": "documents",
}
TITLES: tuple[str, ...] = (
    "Bank records of a drug-trafficking network",
    "Witness statement on a fraudulent export scheme",
    "Extradition of a person convicted of fraud",
    "Freezing of accounts linked to a bribery case",
    "Criminal-record extract for a pending trial",
    "Service of a summons on a resident",
    "Identification of the holders of mobile numbers",
    "Documents of a company used to launder proceeds",
    "Search of premises in a smuggling investigation",
    "Hearing of an expert by video conference",
)
NAMES: tuple[str, ...] = (
    "Нурлан Ахметов",
    "Айгерим Садыкова",
    "Бакыт Токтогулов",
    "Фаррух Рахимов",
    "Dilnoza Yusupova",
    "Merdan Orazov",
    "محمد رضایی",
    "Ahmad Khan",
    "Sardor Karimov",
    "John Miller",
)
# Requests addressed to Kyrgyzstan are weighted up so that the benchmark user's incoming
# box is large (about 13% of the requests instead of 9%).
REQUESTED_WEIGHT = {"KGZ": 1.6}
EXECUTING_SHARE = 0.3
PERSON_SHARE = 0.4
MEMBER_OFFICERS = {  # username -> authority key, besides the named test personas
    "afg.officer": "afg-ago",
    "aus.officer": "aus-agsdiccc",
    "irn.officer": "irn-jdia",
    "pak.officer": "pak-mi",
    "rus.officer": "rus-pgo",
    "tkm.officer": "tkm-pgo",
    "usa.officer": "usa-djcdoia",
    "uzb.officer": "uzb-gpo",
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.config.settings")
    django.setup()


@dataclass
class _Spec:
    requesting: int  # authority pk
    requesting_iso3: str
    requested_state: int
    requested: int
    status: str
    type: str
    urgency: str
    created_at: datetime
    creator: int
    case_index: int = -1


def _weighted(rng: random.Random, mix: Sequence[tuple[str, int]]) -> str:
    return rng.choices([m[0] for m in mix], weights=[m[1] for m in mix])[0]


@contextmanager
def _given_dates() -> Iterator[None]:
    """Let bulk_create keep the dates we set instead of stamping "now"."""
    from django.db import models

    from comity.cooperation.models import Case, Request

    fields: list[models.DateTimeField[datetime, datetime]] = []
    for model, name in ((Request, "created_at"), (Request, "updated_at"), (Case, "created_at")):
        field = model._meta.get_field(name)
        assert isinstance(field, models.DateTimeField)
        fields.append(field)
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _make_users() -> dict[int, int]:
    """The named test personas plus one officer per other member state; returns
    authority pk -> pk of the officer who writes its requests."""
    from comity.accounts.models import Role, User
    from tests.personas import make_personas, make_user

    make_personas()
    for username, key in MEMBER_OFFICERS.items():
        make_user(username, key, Role.OFFICER)
    make_user(EMPTY_USERNAME, EMPTY_AUTHORITY, Role.OFFICER)
    officers = User.objects.filter(role=Role.OFFICER, authority__is_primary=True)
    return {u.authority_id: u.pk for u in officers if u.authority_id is not None}


def _specs(count: int, rng: random.Random, now: datetime) -> list[_Spec]:
    from comity.directory.models import Authority

    centrals = list(
        Authority.objects.filter(is_primary=True, state__is_member=True).select_related("state")
    )
    officers = _make_users()
    weights = {a.pk: REQUESTED_WEIGHT.get(a.state.iso3, 1.0) for a in centrals}
    specs: list[_Spec] = []
    for _ in range(count):
        requesting = rng.choice(centrals)
        others = [a for a in centrals if a.pk != requesting.pk]
        requested = rng.choices(others, weights=[weights[a.pk] for a in others])[0]
        status = rng.choices([m[0] for m in STATUS_MIX], weights=[m[1] for m in STATUS_MIX])[0]
        oldest = next(m[2] for m in STATUS_MIX if m[0] == status)
        age = timedelta(seconds=rng.uniform(3600, oldest * 86400))
        specs.append(
            _Spec(
                requesting=requesting.pk,
                requesting_iso3=requesting.state.iso3,
                requested_state=requested.state_id,
                requested=requested.pk,
                status=status,
                type=_weighted(rng, TYPE_MIX),
                urgency=_weighted(rng, URGENCY_MIX),
                created_at=now - age,
                creator=officers[requesting.pk],
            )
        )
    specs.sort(key=lambda s: s.created_at)
    return specs


def _make_cases(specs: list[_Spec], rng: random.Random) -> list[int]:
    """Group the requests into cases of their requesting authority; returns case pks."""
    from comity.cooperation.models import Case

    cases: list[Case] = []
    recent: dict[int, list[int]] = defaultdict(list)
    numbers: Counter[int] = Counter()
    for spec in specs:
        mine = recent[spec.requesting]
        if mine and rng.random() < 0.3:
            spec.case_index = rng.choice(mine[-10:])
            continue
        numbers[spec.requesting] += 1
        spec.case_index = len(cases)
        mine.append(spec.case_index)
        cases.append(
            Case(
                authority_id=spec.requesting,
                reference=f"{spec.requesting_iso3}-CASE-{numbers[spec.requesting]:06d}",
                title=rng.choice(TITLES),
                created_by_id=spec.creator,
                created_at=spec.created_at,
            )
        )
    created = Case.objects.bulk_create(cases, batch_size=BATCH)
    return [c.pk for c in created]


def _dates(spec: _Spec, rng: random.Random, now: datetime) -> dict[str, datetime | None]:
    from comity.cooperation import deadlines

    dates: dict[str, datetime | None] = {
        "submitted_at": None,
        "acknowledged_at": None,
        "acknowledgement_due": None,
        "response_due": None,
        "completed_at": None,
    }
    if spec.status == "draft":
        dates["updated_at"] = spec.created_at
        return dates
    submitted = min(spec.created_at + timedelta(hours=rng.uniform(1, 120)), now)
    dates["submitted_at"] = submitted
    dates["acknowledgement_due"] = deadlines.acknowledgement_due(
        submitted_at=submitted, urgency=spec.urgency
    )
    dates["response_due"] = deadlines.response_due(
        start=submitted, request_type=spec.type, time_limit=None
    )
    last = submitted
    acknowledged = spec.status != "submitted" and not (
        spec.status in {"withdrawn", "refused"} and rng.random() < 0.5
    )
    if acknowledged:
        days = deadlines.ACKNOWLEDGEMENT_DAYS.get(spec.urgency, 10)
        last = min(submitted + timedelta(days=rng.uniform(0.05, days)), now)
        dates["acknowledged_at"] = last
        dates["response_due"] = deadlines.response_due(
            start=last, request_type=spec.type, time_limit=None
        )
    if spec.status in {"executed", "partially_executed", "refused", "withdrawn", "closed"}:
        last = min(last + timedelta(days=rng.uniform(1, 150)), now)
        dates["completed_at"] = last
    dates["updated_at"] = last
    return dates


def _insert_requests(
    specs: list[_Spec], case_pks: list[int], rng: random.Random, now: datetime
) -> Counter[tuple[str, int]]:
    from comity.cooperation.lifecycle import RefusalGround
    from comity.cooperation.models import AssistanceMeasure, Offence, Person, Request
    from comity.core.models import IccsCode
    from comity.core.text import fold
    from comity.directory.models import Authority

    iccs = list(IccsCode.objects.filter(level=2)) or list(IccsCode.objects.all())
    executing: dict[int, list[int]] = defaultdict(list)
    for pk, state_id in Authority.objects.filter(is_central_authority=False).values_list(
        "pk", "state_id"
    ):
        executing[state_id].append(pk)
    assignable = {"in_execution", "additional_info_requested", "postponed", "executed"}
    assignable |= {"partially_executed", "closed"}
    states = dict(Authority.objects.values_list("pk", "state__iso3"))
    counters: Counter[tuple[str, int]] = Counter()
    for start in range(0, len(specs), BATCH):
        batch = specs[start : start + BATCH]
        requests: list[Request] = []
        suspects: list[str | None] = []
        for spec in batch:
            counters[(spec.requesting_iso3, spec.created_at.year)] += 1
            number = counters[(spec.requesting_iso3, spec.created_at.year)]
            title = rng.choice(TITLES)
            reference = f"{spec.requesting_iso3}-{spec.created_at.year}-{number:06d}"
            proceedings = f"{spec.requesting_iso3}-PR-{rng.randint(1, 99999):05d}"
            suspect = rng.choice(NAMES) if rng.random() < PERSON_SHARE else None
            suspects.append(suspect)
            executing_pk = None
            candidates = executing[spec.requested_state]
            if spec.status in assignable and candidates and rng.random() < EXECUTING_SHARE:
                executing_pk = rng.choice(candidates)
            requests.append(
                Request(
                    reference=reference,
                    case_id=case_pks[spec.case_index],
                    type=spec.type,
                    status=spec.status,
                    title=title,
                    urgency=spec.urgency,
                    urgency_reason="A person is detained." if spec.urgency != "normal" else "",
                    requesting_authority_id=spec.requesting,
                    requested_state_id=spec.requested_state,
                    requested_authority_id=spec.requested,
                    executing_authority_id=executing_pk,
                    proceedings_reference=proceedings,
                    conducting_authority=f"Investigation department ({states[spec.requesting]})",
                    summary_of_facts=f"{title}. The suspects moved the proceeds across borders.",
                    purpose="To obtain evidence for the proceedings.",
                    refusal_ground=(
                        rng.choice(RefusalGround.values) if spec.status == "refused" else ""
                    ),
                    created_by_id=spec.creator,
                    created_at=spec.created_at,
                    # What services._refresh_search_text writes: the searchable parts, folded.
                    search_text=" ".join(
                        fold(part) for part in (reference, title, proceedings, suspect) if part
                    ),
                    **_dates(spec, rng, now),
                )
            )
        Request.objects.bulk_create(requests, batch_size=1000)
        offences: list[Offence] = []
        measures: list[AssistanceMeasure] = []
        persons: list[Person] = []
        for request, suspect in zip(requests, suspects, strict=True):
            if request.status != "draft" or rng.random() < 0.5:
                offences.append(
                    Offence(
                        request_id=request.pk,
                        iccs=rng.choice(iccs),
                        provision=f"Art. {rng.randint(100, 400)} Criminal Code",
                    )
                )
                measures.append(
                    AssistanceMeasure(request_id=request.pk, measure=MEASURE_FOR_TYPE[request.type])
                )
            if suspect is not None:
                persons.append(
                    Person(
                        request_id=request.pk,
                        role="suspect",
                        name=suspect,
                        birth_date=date(rng.randint(1950, 2004), rng.randint(1, 12), 1),
                    )
                )
        Offence.objects.bulk_create(offences, batch_size=1000)
        AssistanceMeasure.objects.bulk_create(measures, batch_size=1000)
        Person.objects.bulk_create(persons, batch_size=1000)
    return counters


def _analyze() -> None:
    """Leave the database as it would be some minutes after the load: PostgreSQL's
    autovacuum would have vacuumed (visibility map, for index-only scans) and analysed the
    new rows; SQLite gets its planner statistics from ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def incoming_count(username: str = BENCH_USERNAME) -> int:
    from comity.accounts.models import User
    from comity.cooperation.selectors import RequestFilters, request_list

    user = User.objects.get(username=username)
    return request_list(user=user, filters=RequestFilters(box="incoming")).count()


def seed(count: int) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from comity.accounts.models import User
    from comity.cooperation.models import ReferenceCounter, Request
    from comity.directory.services import reference_load

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.exists() or Request.objects.exists():
        raise SystemExit("seed: the database already holds users or requests; use a fresh one")
    reference_load()
    rng = random.Random(SEED)  # the same data on every run and engine
    now = timezone.now()
    with transaction.atomic(), _given_dates():
        specs = _specs(count, rng, now)
        case_pks = _make_cases(specs, rng)
        counters = _insert_requests(specs, case_pks, rng, now)
        ReferenceCounter.objects.bulk_create(
            ReferenceCounter(state_iso3=iso3, year=year, last=last)
            for (iso3, year), last in counters.items()
        )
    _analyze()
    statuses = Counter(Request.objects.values_list("status", flat=True))
    return {
        "requests": Request.objects.count(),
        "cases": len(case_pks),
        "statuses": dict(sorted(statuses.items())),
        "incoming": incoming_count(),
        "seconds": round(time.monotonic() - started, 1),
    }


def credentials(username: str = BENCH_USERNAME) -> dict[str, str | None]:
    """A fresh API token and a signed-in session for the user (no second factor)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from comity.accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "comity.accounts.backends.UserBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token: str | None
    try:
        from comity.accounts.tokens import token_create
    except ImportError:
        token = None  # the API has no tokens yet; the API target is then skipped
    else:
        _api_token, token = token_create(user=user, name="benchmark")
    return {"session": session.session_key, "token": token}


def status() -> dict[str, int]:
    from django.core.exceptions import ObjectDoesNotExist
    from django.db import DatabaseError

    from comity.cooperation.models import Request

    try:
        return {"requests": Request.objects.count(), "incoming": incoming_count()}
    except (DatabaseError, ObjectDoesNotExist):  # not migrated, or not seeded
        return {"requests": 0, "incoming": 0}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    commands = parser.add_subparsers(dest="command", required=True)
    seed_parser = commands.add_parser("seed", help="migrate and fill a fresh database")
    seed_parser.add_argument("--requests", type=int, default=100_000)
    credentials_parser = commands.add_parser(
        "credentials", help="print an API token and a session key as JSON"
    )
    credentials_parser.add_argument("--user", default=BENCH_USERNAME)
    commands.add_parser("status", help="print how many requests the database holds as JSON")
    args = parser.parse_args(argv)
    _setup()
    result: dict[str, object] | dict[str, str | None] | dict[str, int]
    if args.command == "seed":
        result = seed(args.requests)
        print(
            f"seeded {result['requests']} requests in {result['cases']} cases "
            f"({result['incoming']} in {BENCH_USERNAME}'s incoming box) "
            f"in {result['seconds']} s",
            file=sys.stderr,
        )
    elif args.command == "credentials":
        result = credentials(args.user)
    else:
        result = status()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
