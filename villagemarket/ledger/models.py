"""The escrow ledger: accounts, balanced transactions and their append-only entries.

An entry's `amount_minor` is signed: positive is a debit, negative a credit, so every
transaction sums to zero per currency and so do all accounts together. The database refuses
UPDATE and DELETE on transactions and entries (triggers in migration 0002); a correction is a
new reversing transaction. Only ledger/services.py writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villagemarket.core.money import Money
from villagemarket.ledger.states import BatchStatus, WithdrawalStatus


class AccountKind(models.TextChoices):
    GATEWAY_CLEARING = "gateway_clearing", _("gateway clearing")
    ESCROW = "escrow", _("escrow")
    SELLER_PAYABLE = "seller_payable", _("seller payable")
    COMMISSION_REVENUE = "commission_revenue", _("commission revenue")
    BANK = "bank", _("bank")
    ROUNDING = "rounding", _("rounding")


# Which side makes an account grow: money the platform holds for others (escrow, what it owes
# sellers) and what it earned are credits; money at the provider or in the bank is a debit.
CREDIT_NORMAL = {
    AccountKind.ESCROW,
    AccountKind.SELLER_PAYABLE,
    AccountKind.COMMISSION_REVENUE,
    AccountKind.ROUNDING,
}


class Account(models.Model):
    """One ledger account in one currency: a kind, and the provider or shop (and household) it
    is for. `key` spells all of that out, so finding or creating an account is one unique lookup."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    currency = models.CharField(_("currency"), max_length=3)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("shop"),
    )
    household = models.ForeignKey(
        "shops.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("household"),
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["kind", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="seller_payable", shop__isnull=False)
                | Q(~Q(kind="seller_payable"), shop__isnull=True, household__isnull=True),
                name="ledger_account_shop_only_for_seller_payable",
            ),
            models.CheckConstraint(
                condition=Q(kind="gateway_clearing", provider__gt="")
                | Q(~Q(kind="gateway_clearing"), provider=""),
                name="ledger_account_provider_only_for_gateway_clearing",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def credit_normal(self) -> bool:
        return self.kind in CREDIT_NORMAL

    def shown(self, signed_sum_minor: int) -> Money:
        """The balance as an accountant reads it: positive when the account holds money."""
        return Money(-signed_sum_minor if self.credit_normal else signed_sum_minor, self.currency)


class EventType(models.TextChoices):
    PAYMENT_CAPTURED = "payment_captured", _("payment captured")
    ORDER_SETTLED = "order_settled", _("order settled")
    REFUND_BEFORE_SETTLEMENT = "refund_before_settlement", _("refund before settlement")
    REFUND_AFTER_SETTLEMENT = "refund_after_settlement", _("refund after settlement")
    PAYOUT = "payout", _("payout")
    REVERSAL = "reversal", _("reversal")


class LedgerTransaction(models.Model):
    """One business event's posting. (event, reference) is unique: an event posts once."""

    event = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    reference = models.CharField(_("reference"), max_length=64)
    # Why a reversal was made, or why a seller's payable may go below zero.
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "reference"], name="ledger_one_posting_per_event"
            ),
            models.CheckConstraint(
                condition=Q(event="reversal", reverses__isnull=False, reason__gt="")
                | Q(~Q(event="reversal"), reverses__isnull=True),
                name="ledger_reversal_names_its_original_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.reference}"


class Entry(models.Model):
    """A signed amount on one account: positive debits it, negative credits it."""

    transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("transaction"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    amount_minor = models.BigIntegerField(_("amount (minor units, debit positive)"))
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_minor=0), name="ledger_entry_amount_not_zero"
            ),
        ]
        indexes = [
            # A balance is SUM(amount_minor) over one account: this index answers it without
            # reading the table (an index-only scan on PostgreSQL, a covering index on SQLite).
            models.Index(fields=["account", "amount_minor"], name="ledger_entry_balance_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount_minor}"

    @property
    def money(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def is_debit(self) -> bool:
        return self.amount_minor > 0


class CategoryCommission(models.Model):
    """The platform's commission rate for one category (and its subcategories without a rate
    of their own). Categories without a rate anywhere above them pay rules.DEFAULT_COMMISSION_BP."""

    category = models.OneToOneField(
        "catalog.Category",
        on_delete=models.CASCADE,
        related_name="commission",
        verbose_name=_("category"),
    )
    rate_bp = models.PositiveIntegerField(_("commission (basis points)"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("category commission")
        verbose_name_plural = _("category commissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_bp__lte=10000), name="ledger_category_commission_at_most_100pct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.rate_bp / 100:.2f}%"


class Withdrawal(models.Model):
    """A seller's request to be paid part of its available balance (one household's, for a
    service point). While requested it holds that amount back from further requests; an
    operator pays it (posting the payout) or rejects it."""

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, related_name="withdrawals", verbose_name=_("shop")
    )
    household = models.ForeignKey(
        "shops.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawals",
        verbose_name=_("household"),
    )
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WithdrawalStatus.choices,
        default=WithdrawalStatus.REQUESTED,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="ledger_withdrawal_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} {self.amount}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)


class PayeeBankAccount(models.Model):
    """Where a shop (or one household of a service point) is paid: what a Chinese bank needs
    for a domestic transfer. Operators enter it after checking it with the seller; a payout
    batch copies it, so the file sent to the bank stays what it was."""

    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        verbose_name=_("shop"),
    )
    household = models.ForeignKey(
        "shops.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_accounts",
        verbose_name=_("household"),
    )
    holder_name = models.CharField(_("account holder"), max_length=60)
    bank_name = models.CharField(_("bank name"), max_length=60)
    branch = models.CharField(_("branch"), max_length=80, blank=True)
    account_number = models.CharField(_("account number"), max_length=34)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payee bank account")
        verbose_name_plural = _("payee bank accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(household__isnull=True),
                name="ledger_one_bank_account_per_shop",
            ),
            models.UniqueConstraint(
                fields=["shop", "household"],
                condition=Q(household__isnull=False),
                name="ledger_one_bank_account_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.bank_name} ·{self.account_number[-4:]}"


class PayoutBatch(models.Model):
    """Withdrawals an operator pays together: one file for the bank, then marked paid at once.
    `total_minor` and `count` follow its active lines (changed with them, in one transaction)."""

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BatchStatus.choices,
        default=BatchStatus.DRAFT,
        db_index=True,
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    total_minor = models.BigIntegerField(_("total (minor units)"), default=0)
    count = models.PositiveIntegerField(_("number of withdrawals"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    exported_at = models.DateTimeField(_("first exported"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid or cancelled by"),
    )
    decided_at = models.DateTimeField(_("paid or cancelled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_minor__gte=0), name="ledger_payout_batch_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Payout batch #%(id)s") % {"id": self.pk})

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)

    @property
    def is_open(self) -> bool:
        return self.status in (BatchStatus.DRAFT, BatchStatus.EXPORTED)


class PayoutLine(models.Model):
    """One withdrawal in one batch, with the bank details it is paid to (copied when the batch
    was made). `active` is cleared when the batch is cancelled; a withdrawal has at most one
    active line, so two batches never pay it (a unique index, whatever races)."""

    batch = models.ForeignKey(
        PayoutBatch,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("payout batch"),
    )
    withdrawal = models.ForeignKey(
        Withdrawal,
        on_delete=models.PROTECT,
        related_name="payout_lines",
        verbose_name=_("withdrawal"),
    )
    active = models.BooleanField(_("in the batch"), default=True)
    holder_name = models.CharField(_("account holder"), max_length=60)
    bank_name = models.CharField(_("bank name"), max_length=60)
    branch = models.CharField(_("branch"), max_length=80, blank=True)
    account_number = models.CharField(_("account number"), max_length=34)

    class Meta:
        verbose_name = _("payout batch line")
        verbose_name_plural = _("payout batch lines")
        ordering = ["withdrawal_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["withdrawal"],
                condition=Q(active=True),
                name="ledger_withdrawal_in_one_active_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · #{self.withdrawal_id}"
