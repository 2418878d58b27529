"""Named users for tests: a Kazakh requesting side, a Kyrgyz requested side, an outsider.

Kazakhstan's General Prosecutor's Office requests; Kyrgyzstan's is the requested central
authority; Kyrgyzstan's financial-intelligence service can be assigned to execute;
Tajikistan's GPO is a third state that must see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from comity.accounts.models import Role, User
from comity.directory.models import Authority

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Personas:
    requesting_officer: User  # kaz-gpo officer
    requesting_reviewer: User  # kaz-gpo reviewer (read-only)
    requested_officer: User  # kgz-gpo officer
    requested_reviewer: User  # kgz-gpo reviewer (read-only)
    executing_officer: User  # kgz-sfismf officer (competent authority)
    outsider: User  # tjk-gpo officer (third state)
    node_admin: User  # node administrator of the hub
    coordinator: User  # network coordinator (uzb-gpo): reviews directory changes, edits treaties

    @property
    def kaz(self) -> Authority:
        authority = self.requesting_officer.authority
        assert authority is not None
        return authority

    @property
    def kgz(self) -> Authority:
        authority = self.requested_officer.authority
        assert authority is not None
        return authority

    @property
    def kgz_executing(self) -> Authority:
        authority = self.executing_officer.authority
        assert authority is not None
        return authority


def make_user(username: str, authority_key: str | None, role: str = Role.OFFICER) -> User:
    authority = Authority.objects.get(key=authority_key) if authority_key else None
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        authority=authority,
        role=role,
        email=f"{username}@example.org",
    )


def make_personas() -> Personas:
    return Personas(
        requesting_officer=make_user("kaz.officer", "kaz-gpo"),
        requesting_reviewer=make_user("kaz.reviewer", "kaz-gpo", Role.REVIEWER),
        requested_officer=make_user("kgz.officer", "kgz-gpo"),
        requested_reviewer=make_user("kgz.reviewer", "kgz-gpo", Role.REVIEWER),
        executing_officer=make_user("kgz.fiu", "kgz-sfismf"),
        outsider=make_user("tjk.officer", "tjk-gpo"),
        node_admin=make_user("hub.admin", None, Role.NODE_ADMIN),
        coordinator=make_user("net.coordinator", "uzb-gpo", Role.COORDINATOR),
    )
