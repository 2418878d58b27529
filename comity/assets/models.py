"""The asset ledger: assets linked to cases and requests, the orders on them, their holders,
return and sharing agreements and what was transferred, and the exchange-rate table.

An asset belongs to the case of the authority that traces it (the requesting side). The
requested side sees it through the request it was sent with, and records the orders its
courts and agencies made. The asset's status follows docs/DOMAIN.md §5.4 and moves with the
orders (comity/assets/status.py); every change is an ``AssetEvent`` (docs/assets.md).

Money is ``Decimal`` everywhere: amounts with two to four decimals in their own currency
(ISO 4217), converted only for display and totals (comity/assets/money.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from comity.cooperation.models import Case, Request
from comity.directory.models import Authority, State

# Amounts: up to 16 digits before the point and 4 after (enough for rials and satoshis).
AMOUNT_DIGITS = 20
AMOUNT_PLACES = 4


class AssetKind(models.TextChoices):
    BANK_ACCOUNT = "bank_account", _("Bank account")
    REAL_ESTATE = "real_estate", _("Real estate")
    VEHICLE = "vehicle", _("Vehicle")
    VESSEL = "vessel", _("Vessel")
    AIRCRAFT = "aircraft", _("Aircraft")
    COMPANY_SHARES = "company_shares", _("Company shares")
    CASH = "cash", _("Cash")
    CRYPTO = "crypto", _("Crypto-assets")
    VALUABLES = "valuables", _("Valuables")
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    """docs/DOMAIN.md §5.4, with "realised" (sold or turned into money) between management
    and return, which the ledger needs."""

    TRACING_REQUEST = "tracing_request", _("Tracing requested")
    IDENTIFIED = "identified", _("Identified")
    FREEZING_REQUESTED = "freezing_requested", _("Freezing requested")
    FROZEN = "frozen", _("Frozen or seized")
    CONFISCATION_REQUESTED = "confiscation_requested", _("Confiscation requested")
    CONFISCATED = "confiscated", _("Confiscated")
    UNDER_MANAGEMENT = "under_management", _("Under management")
    REALISED = "realised", _("Realised")
    SHARED_OR_RETURNED = "shared_or_returned", _("Returned or shared")
    RELEASED = "released", _("Released")
    CLOSED = "closed", _("Closed")


class Asset(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assets", verbose_name=_("case")
    )
    request = models.ForeignKey(
        Request,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    description = models.TextField(_("description"), blank=True)
    # The kind's identifier, normalised (IBAN without spaces, VIN and IMO upper case, ...).
    identifier = models.CharField(_("identifier"), max_length=128, blank=True)
    # Where the account is kept, the land registry, the ship or aircraft register, the issuer.
    institution = models.CharField(_("bank, registry or issuer"), max_length=255, blank=True)
    address = models.CharField(_("address or place"), max_length=255, blank=True)
    location_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("located in")
    )
    estimated_value = models.DecimalField(
        _("estimated value"),
        null=True,
        blank=True,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    valuation_date = models.DateField(_("valuation date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=AssetStatus.choices,
        default=AssetStatus.IDENTIFIED,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        indexes = [models.Index(fields=["case", "status"], name="asset_case_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier}".strip()


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")
    ORGANISATION = "organisation", _("Other organisation")


class Party(models.Model):
    """A person or company that holds, fronts for or benefits from assets of a case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="asset_parties")
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=255)
    birth_date = models.CharField(
        _("date of birth (YYYY, YYYY-MM or YYYY-MM-DD)"), max_length=10, blank=True
    )
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality or jurisdiction"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("holder")
        verbose_name_plural = _("holders")

    def __str__(self) -> str:
        return self.name


class HoldingRole(models.TextChoices):
    OWNER = "owner", _("Registered owner or account holder")
    CO_OWNER = "co_owner", _("Co-owner")
    NOMINEE = "nominee", _("Nominee")
    FRONT = "front", _("Front (straw man)")
    BENEFICIAL_OWNER = "beneficial_owner", _("Beneficial owner")
    SIGNATORY = "signatory", _("Signatory or proxy")


class Holding(models.Model):
    """Who holds an asset, and how. A nominee or front is one holding; the beneficial owner
    behind them is another, on the same asset."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="holdings")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="holdings")
    role = models.CharField(_("role"), max_length=24, choices=HoldingRole.choices)
    share = models.DecimalField(
        _("share (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "party", "role"], name="holding_once")
        ]


class OrderKind(models.TextChoices):
    TRACING = "tracing", _("Tracing request")
    FREEZING = "freezing", _("Freezing")
    SEIZURE = "seizure", _("Seizure")
    CONFISCATION = "confiscation", _("Confiscation")
    MANAGEMENT = "management", _("Management")
    DISPOSAL = "disposal", _("Disposal (realisation)")
    RETURN = "return", _("Return")
    SHARING = "sharing", _("Sharing")
    RELEASE = "release", _("Release (lifting)")


class ConfiscationBasis(models.TextChoices):
    CONVICTION = "conviction", _("Conviction-based")
    NON_CONVICTION = "non_conviction", _("Non-conviction-based")


class Execution(models.TextChoices):
    REQUESTED = "requested", _("Requested, not yet executed")
    EXECUTED = "executed", _("Executed")
    PARTIAL = "partial", _("Partially executed")
    NOT_EXECUTED = "not_executed", _("Not executed")
    LIFTED = "lifted", _("Lifted or no longer in effect")


class Order(models.Model):
    """An order on an asset, by the authority that issued it, and how far it was executed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="orders")
    request = models.ForeignKey(
        Request,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="asset_orders",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    confiscation_basis = models.CharField(
        _("confiscation basis"), max_length=16, choices=ConfiscationBasis.choices, blank=True
    )
    issuing_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing state")
    )
    issuing_authority = models.CharField(_("issued by"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    order_date = models.DateField(_("order date"))
    effective_date = models.DateField(_("in effect from"), null=True, blank=True)
    expiry_date = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    execution = models.CharField(
        _("execution"), max_length=16, choices=Execution.choices, default=Execution.EXECUTED
    )
    # What the order covers and what was found or realised; both in ``currency``.
    requested_amount = models.DecimalField(
        _("amount ordered"),
        null=True,
        blank=True,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
    )
    amount = models.DecimalField(
        _("amount executed"),
        null=True,
        blank=True,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    execution_note = models.TextField(_("execution note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order_date", "id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")


class OrderRenewal(models.Model):
    """One extension of an order's expiry date. The order keeps the current date."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="renewals")
    previous_expiry = models.DateField(_("previous expiry"))
    new_expiry = models.DateField(_("new expiry"))
    renewed_on = models.DateField(_("renewed on"))
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["renewed_on", "id"]


class AgreementKind(models.TextChoices):
    RETURN = "return", _("Return")
    SHARING = "sharing", _("Sharing")


class AgreementBasis(models.TextChoices):
    UNCAC_57_3A = "uncac_57_3a", _("UNCAC art. 57(3)(a): embezzled public funds")
    UNCAC_57_3B = "uncac_57_3b", _("UNCAC art. 57(3)(b): proceeds of other offences")
    UNCAC_57_3C = "uncac_57_3c", _("UNCAC art. 57(3)(c): other cases")
    UNCAC_57_5 = "uncac_57_5", _("UNCAC art. 57(5): case-by-case agreement")
    UNTOC_14 = "untoc_14", _("UNTOC art. 14")
    VIENNA_5 = "vienna_5", _("1988 Convention art. 5(5)")
    BILATERAL = "bilateral", _("Bilateral treaty or arrangement")
    OTHER = "other", _("Other")


class Agreement(models.Model):
    """A return or asset-sharing agreement (UNCAC art. 57) for assets of one case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="asset_agreements")
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    basis = models.CharField(_("legal basis"), max_length=16, choices=AgreementBasis.choices)
    transferring_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("transferring state")
    )
    receiving_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving state")
    )
    concluded_on = models.DateField(_("concluded on"))
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    terms = models.TextField(_("terms"))
    # For sharing: the receiving state's share of the net amount.
    receiving_share = models.DecimalField(
        _("receiving state's share (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    expenses_deductible = models.BooleanField(
        _("reasonable expenses may be deducted (UNCAC art. 57(4))"), default=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concluded_on", "id"]
        verbose_name = _("return or sharing agreement")
        verbose_name_plural = _("return or sharing agreements")


class Transfer(models.Model):
    """Money or property handed over under an agreement: gross, expenses deducted, net."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="transfers")
    asset = models.ForeignKey(
        Asset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("asset"),
    )
    transferred_on = models.DateField(_("transferred on"))
    gross_amount = models.DecimalField(
        _("gross amount"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    expenses = models.DecimalField(
        _("expenses deducted"), default=0, max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    net_amount = models.DecimalField(
        _("net amount transferred"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transferred_on", "id"]


class AssetEventKind(models.TextChoices):
    RECORDED = "recorded", _("Asset recorded")
    EDITED = "edited", _("Asset edited")
    STATUS = "status", _("Status change")
    ORDER = "order", _("Order recorded")
    EXECUTION = "execution", _("Execution reported")
    RENEWAL = "renewal", _("Order renewed")
    HOLDER = "holder", _("Holder recorded")
    AGREEMENT = "agreement", _("Agreement recorded")
    TRANSFER = "transfer", _("Transfer recorded")
    EXPIRY = "expiry", _("Expiry warning")


class AssetEvent(models.Model):
    """One entry on the case's asset timeline. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="asset_events")
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=AssetEventKind.choices)
    from_status = models.CharField(max_length=32, choices=AssetStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=AssetStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]


class ExchangeRate(models.Model):
    """1 ``currency`` = ``rate`` ``quote``, on ``rate_date``, from ``source``.

    Kept by the network's coordinators; nothing is ever invented: a missing rate leaves an
    amount unconverted and the ledger says so. ``sample`` marks the demo's rates.
    """

    currency = models.CharField(_("currency"), max_length=3)
    quote = models.CharField(_("quote currency"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=24, decimal_places=10)
    rate_date = models.DateField(_("rate date"))
    source = models.CharField(_("source"), max_length=255)
    sample = models.BooleanField(_("sample rate (not for real use)"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "quote", "-rate_date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "quote", "rate_date"], name="one_rate_per_day"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]
