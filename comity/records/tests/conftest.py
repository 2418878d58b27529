from __future__ import annotations

import pytest

from comity.accounts.models import Role, User
from comity.records import services
from comity.records.models import Register
from tests.personas import make_user


@pytest.fixture
def kgz_register(reference: None) -> Register:
    return services.register_create(iso3="KGZ")


@pytest.fixture
def kaz_register(reference: None) -> Register:
    return services.register_create(iso3="KAZ")


@pytest.fixture
def kgz_records(kgz_register: Register) -> User:
    return make_user("kgz.records", kgz_register.keeper.key, Role.OFFICER)


@pytest.fixture
def kaz_records(kaz_register: Register) -> User:
    return make_user("kaz.records", kaz_register.keeper.key, Role.OFFICER)
