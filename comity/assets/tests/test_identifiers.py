"""Identifiers checked where a standard exists: IBAN, IMO, ISIN, LEI, VIN shape, Bitcoin."""

from __future__ import annotations

import pytest

from comity.assets.identifiers import clean_identifier


@pytest.mark.parametrize(
    ("kind", "value", "state", "expected"),
    [
        ("bank_account", "kz86 125k zt50 0410 0100", "KAZ", "KZ86125KZT5004100100"),
        ("bank_account", "IR270170000000100324200001", "IRN", "IR270170000000100324200001"),
        ("bank_account", "1240-0200-0012-3456", "KGZ", "1240020000123456"),
        ("vessel", "9074729", None, "IMO 9074729"),
        ("company_shares", "us0378331005", None, "US0378331005"),
        (
            "company_shares",
            "No. 1234-AB (register of Almaty)",
            None,
            "No. 1234-AB (register of Almaty)",
        ),
        ("vehicle", "1m8gdm9a_kp042788".replace("_", ""), None, "1M8GDM9AKP042788"),
        (
            "crypto",
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
            None,
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        ),
        (
            "crypto",
            "0x52908400098527886E0F7030069857D2E4169EE7",
            None,
            "0x52908400098527886e0f7030069857d2e4169ee7",
        ),
        ("real_estate", " 20:316:004:051 ", None, "20:316:004:051"),
        ("bank_account", "", "KAZ", ""),
    ],
)
def test_valid_identifiers_are_normalised(
    kind: str, value: str, state: str | None, expected: str
) -> None:
    assert clean_identifier(kind, value, state_iso3=state) == expected


@pytest.mark.parametrize(
    ("kind", "value", "state", "message"),
    [
        ("bank_account", "KZ86125KZT5004100101", "KAZ", "not a valid IBAN"),
        ("bank_account", "KZ86125KZT5004100100", "KGZ", r"another country \(KZ\)"),
        ("bank_account", "IR270170000000100324200009", "IRN", "not a valid IBAN"),
        ("bank_account", "12/34", "KGZ", "5 to 34"),
        ("vessel", "9074728", None, "IMO"),
        ("company_shares", "US0378331006", None, "ISIN"),
        ("vehicle", "1M8GDM9AKP042788O", None, "VIN"),
        ("crypto", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", None, "Bitcoin"),
    ],
)
def test_wrong_identifiers_are_refused(
    kind: str, value: str, state: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        clean_identifier(kind, value, state_iso3=state)
