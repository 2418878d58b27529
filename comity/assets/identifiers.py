"""Kind-specific identifiers of assets, checked where a standard exists (python-stdnum).

``clean_identifier`` returns the identifier in its normal form or raises ``ValueError`` with
a message for the user. The checks:

- bank account: an IBAN with valid check digits, required where the state of the account
  uses IBAN (Kazakhstan, Pakistan, Iran, the EU, ...); elsewhere a national account number
  (5 to 34 letters and digits) or an IBAN;
- vessel: an IMO number with its check digit;
- company shares: an ISIN with its check digit, or a LEI of the issuer, or a national
  registration number;
- vehicle: a 17-character VIN without I, O or Q (the check digit is only mandatory in North
  America, so it is not enforced), or a registration plate;
- crypto-assets: a Bitcoin address with its checksum, an Ethereum-style address (0x and 40
  hexadecimal digits), or another wallet or exchange-account reference;
- real estate, aircraft, cash, valuables, other: free text (a cadastral number, a
  registration mark, a seal number).
"""

from __future__ import annotations

import re

import pycountry
from django.utils.translation import gettext as _
from stdnum import bitcoin, iban, imo, isin, lei
from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.iso7064 import mod_97_10

from comity.assets.models import AssetKind

_ACCOUNT = re.compile(r"^[A-Z0-9]{5,34}$")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}$")
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_ETH = re.compile(r"^0x[0-9a-fA-F]{40}$")


def _compact(value: str) -> str:
    return re.sub(r"[\s\-.]", "", value).upper()


def _alpha2(iso3: str | None) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3.upper()) if iso3 else None
    return str(country.alpha_2) if country is not None else None


def _bank_account(value: str, state_iso3: str | None) -> str:
    """An IBAN (when it looks like one) with its check digits and its country's length, or
    a national account number. Iran's IBAN is not in every registry: its check digits are
    still checked."""
    compact = _compact(value)
    if not _IBAN_SHAPE.match(compact):
        if not _ACCOUNT.match(compact):
            raise ValueError(_("An account number has 5 to 34 letters and digits."))
        return compact
    invalid = _("%(value)s is not a valid IBAN (check the length and the check digits).") % {
        "value": value
    }
    try:
        normal = str(iban.validate(compact))
    except InvalidComponent:
        # A country the IBAN registry does not list (Iran's IR...): the check digits only.
        try:
            mod_97_10.validate(compact[4:] + compact[:4])
        except ValidationError:
            raise ValueError(invalid) from None
        normal = compact
    except ValidationError:
        raise ValueError(invalid) from None
    country = _alpha2(state_iso3)
    if country is not None and normal[:2] != country:
        raise ValueError(
            _("This IBAN belongs to another country (%(country)s) than the account's state.")
            % {"country": normal[:2]}
        )
    return normal


def _vessel(value: str) -> str:
    try:
        return "IMO " + str(imo.compact(imo.validate(value)))
    except ValidationError:
        raise ValueError(
            _("%(value)s is not a valid IMO number (seven digits with a check digit).")
            % {"value": value}
        ) from None


def _shares(value: str) -> str:
    compact = _compact(value)
    if re.match(r"^[A-Z]{2}[A-Z0-9]{9}[0-9]$", compact):
        try:
            return str(isin.validate(compact))
        except ValidationError:
            raise ValueError(
                _("%(value)s is not a valid ISIN (check digit wrong).") % {"value": value}
            ) from None
    if re.match(r"^[A-Z0-9]{18}[0-9]{2}$", compact):
        try:
            return str(lei.validate(compact))
        except ValidationError:
            raise ValueError(
                _("%(value)s is not a valid LEI (check digits wrong).") % {"value": value}
            ) from None
    return value.strip()


def _vehicle(value: str) -> str:
    compact = _compact(value)
    if len(compact) == 17:
        if not _VIN.match(compact):
            raise ValueError(_("A VIN has 17 letters and digits, without I, O or Q."))
        return compact
    return value.strip().upper()


def _crypto(value: str) -> str:
    text = value.strip()
    if _ETH.match(text):
        return text.lower()
    if re.match(r"^(bc1|[13])[A-Za-z0-9]{20,90}$", text):
        try:
            return str(bitcoin.validate(text))
        except ValidationError:
            raise ValueError(
                _("%(value)s is not a valid Bitcoin address (checksum wrong).") % {"value": value}
            ) from None
    return text


def clean_identifier(kind: str, value: str, *, state_iso3: str | None = None) -> str:  # noqa: PLR0911
    """The identifier in normal form; ValueError with the user's message when it is wrong.

    An empty identifier is allowed (tracing starts without one) except for bank accounts
    in a state that uses IBAN, which is then checked once it is given.
    """
    if not value or not value.strip():
        return ""
    if kind == AssetKind.BANK_ACCOUNT:
        return _bank_account(value, state_iso3)
    if kind == AssetKind.VESSEL:
        return _vessel(value)
    if kind == AssetKind.COMPANY_SHARES:
        return _shares(value)
    if kind == AssetKind.VEHICLE:
        return _vehicle(value)
    if kind == AssetKind.CRYPTO:
        return _crypto(value)
    return value.strip()
