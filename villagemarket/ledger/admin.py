"""Operator back-office for the ledger: read-only. Postings come only from ledger.services;
a mistake is corrected with a reversing transaction, never an edit (the database refuses
edits anyway). Commission rates per category are the one thing operators set here."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from villagemarket.core.admin import OperatorSafeAdmin, money_column
from villagemarket.core.errors import DomainError, Invalid
from villagemarket.core.money import Money

from . import payouts, services, withdrawals
from .models import (
    Account,
    CategoryCommission,
    Entry,
    LedgerTransaction,
    PayeeBankAccount,
    PayoutBatch,
    PayoutLine,
    Withdrawal,
)

_DEBITS = Q(entries__amount_minor__gt=0)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators read (accounts.User grants them the ledger's view permission); nobody, not
    even a superuser, adds, edits or deletes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _debit(entry: Entry) -> str:
    return str(entry.money) if entry.amount_minor > 0 else ""


def _credit(entry: Entry) -> str:
    return str(-entry.money) if entry.amount_minor < 0 else ""


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    can_delete = False
    fields = ["account", "debit", "credit"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("debit"))
    def debit(self, entry):
        return _debit(entry)

    @admin.display(description=_("credit"))
    def credit(self, entry):
        return _credit(entry)


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "currency", "shop", "household", "balance"]
    list_filter = ["kind", "currency", "provider"]
    search_fields = ["key", "shop__name", "household__name"]
    list_select_related = ["shop", "household"]

    def get_queryset(self, request):
        # One grouped sum for the whole page instead of a query per row.
        return super().get_queryset(request).annotate(signed_sum=Sum("entries__amount_minor"))

    @admin.display(description=_("balance"))
    def balance(self, account):
        return str(account.shown(getattr(account, "signed_sum", None) or 0))


def _with_reason(modeladmin, request, queryset, *, action, title, intro, act):
    """Ask for a reason on an intermediate page, then `act(obj, reason)` on each selected row."""
    reason = (request.POST.get("reason") or "").strip()
    if "apply" not in request.POST or not reason:
        return TemplateResponse(
            request,
            "ledger/admin_reason.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": title,
                "intro": intro,
                "action": action,
                "queryset": queryset,
                "missing_reason": "apply" in request.POST,
                "opts": modeladmin.model._meta,
            },
        )
    _decide(request, queryset, lambda obj: act(obj, reason))
    return None


@admin.action(description=_("Reverse (say why): posts a mirror transaction"))
def reverse_transactions(modeladmin, request, queryset):
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="reverse_transactions",
        title=_("Reverse transactions"),
        intro=_(
            "Each transaction gets a new one with its debits and credits swapped; the original "
            "stays as it was."
        ),
        act=lambda txn, reason: services.reverse(txn, reason=reason),
    )


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "event", "reference", "amount", "reason", "created_at"]
    list_filter = ["event"]
    search_fields = ["=reference", "reason"]
    date_hierarchy = "created_at"
    inlines = [EntryInline]
    actions = [reverse_transactions]
    readonly_fields = ["event", "reference", "reason", "reverses", "created_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(debits=Sum("entries__amount_minor", filter=_DEBITS))
            .prefetch_related("entries")
        )

    @admin.display(description=_("amount"))
    def amount(self, txn):
        currencies = {entry.currency for entry in txn.entries.all()}
        if len(currencies) != 1:
            return "—"
        return str(Money(txn.debits or 0, currencies.pop()))


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "transaction", "account", "debit", "credit"]
    list_filter = ["account__kind", "currency", "transaction__event"]
    search_fields = ["=transaction__reference", "account__key"]
    list_select_related = ["transaction", "account"]
    exclude = ["amount_minor"]  # shown as debit / credit in the entry's currency
    readonly_fields = ["debit", "credit"]

    @admin.display(description=_("debit"))
    def debit(self, entry):
        return _debit(entry)

    @admin.display(description=_("credit"))
    def credit(self, entry):
        return _credit(entry)


@admin.register(CategoryCommission)
class CategoryCommissionAdmin(admin.ModelAdmin):
    """Operators set the commission schedule (a rate applies to settlements made after it)."""

    list_display = ["category", "rate"]
    raw_id_fields = ["category"]

    @admin.display(description=_("rate"))
    def rate(self, commission):
        return f"{commission.rate_bp / 100:.2f}%"


@admin.action(description=_("Mark paid (the transfer was made): posts the payout"))
def pay(modeladmin, request, queryset):
    _decide(
        request,
        queryset,
        lambda w: withdrawals.pay_withdrawal(operator=request.user, withdrawal_id=w.pk),
    )


@admin.action(description=_("Reject (say why)"))
def reject(modeladmin, request, queryset):
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="reject",
        title=_("Reject withdrawals"),
        intro=_(
            "These withdrawals will be rejected; their amounts become available to the sellers "
            "again."
        ),
        act=lambda w, reason: withdrawals.reject_withdrawal(
            operator=request.user, withdrawal_id=w.pk, reason=reason
        ),
    )


def _decide(request, queryset, decide) -> None:
    """Act on each selected row through its service; report how many, and each refusal."""
    done = 0
    for obj in queryset.order_by("pk"):
        try:
            decide(obj)
            done += 1
        except DomainError as exc:
            messages.error(request, f"#{obj.pk} ({obj}): {exc.message}")
    if done:
        messages.success(
            request,
            ngettext("%(count)d done.", "%(count)d done.", done) % {"count": done},
        )


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    """Operators pay or reject requests here; the amounts and who asked never change."""

    list_display = ["id", "shop", "household", "amount", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["=id", "shop__name", "household__name"]
    list_select_related = ["shop", "household"]
    actions = [pay, reject, "add_to_new_batch"]
    exclude = ["amount_minor"]  # shown as Money
    readonly_fields = ["amount"]

    @admin.display(description=_("amount"))
    def amount(self, withdrawal):
        return str(withdrawal.amount)

    @admin.action(description=_("Add selected withdrawals to a new payout batch"))
    def add_to_new_batch(self, request, queryset):
        try:
            batch = payouts.create_batch(request.user, queryset.values_list("pk", flat=True))
        except DomainError as exc:
            for reason in exc.fields.get("withdrawals") or [exc.message]:
                messages.error(request, reason)
            return None
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Payout batch made:"),
                reverse("operator_payouts:batch", args=[batch.pk]),
                str(batch),
            ),
        )
        return None


class PayoutLineInline(admin.TabularInline):
    model = PayoutLine
    extra = 0
    can_delete = False
    fields = ["withdrawal", "amount", "active", "holder_name", "bank_name", "account_number"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount"))
    def amount(self, line):
        return str(line.withdrawal.amount)


@admin.register(PayoutBatch)
class PayoutBatchAdmin(OperatorSafeAdmin):
    """Batches are made, paid and cancelled on the payout pages (or the Withdrawals action);
    here operators read them. Never edited or deleted: a paid batch is the record of a bank
    transfer."""

    list_display = ["id", "status", "total_display", "count", "created_by", "created_at", "page"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    inlines = [PayoutLineInline]
    exclude = ["total_minor"]
    readonly_fields = [
        "status",
        "currency",
        "total_display",
        "count",
        "created_by",
        "created_at",
        "exported_at",
        "decided_by",
        "decided_at",
        "page",
    ]
    total_display = money_column("total_minor", _("total"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("payout page"))
    def page(self, batch):
        return format_html(
            '<a href="{}">{}</a>', reverse("operator_payouts:batch", args=[batch.pk]), _("open")
        )


class PayeeBankAccountForm(forms.ModelForm):
    class Meta:
        model = PayeeBankAccount
        fields = ["shop", "household", "holder_name", "bank_name", "branch", "account_number"]

    def clean_account_number(self):
        try:
            return payouts.clean_account_number(self.cleaned_data["account_number"])
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        cleaned = super().clean()
        shop, household = cleaned.get("shop"), cleaned.get("household")
        if shop and household and household.shop_id != shop.pk:
            self.add_error("household", _("Not a household of this shop."))
        return cleaned


@admin.register(PayeeBankAccount)
class PayeeBankAccountAdmin(OperatorSafeAdmin):
    """Where each shop (or household) is paid; checked with the seller before it is entered.
    A batch copies the account when it is made, so a change here affects later batches only."""

    form = PayeeBankAccountForm
    list_display = ["shop", "household", "holder_name", "bank_name", "branch", "account_number"]
    search_fields = ["shop__name", "household__name", "holder_name", "=account_number"]
    list_select_related = ["shop", "household"]
    raw_id_fields = ["shop", "household"]
    deactivate_hint = _(
        "Correct the account instead: batches keep the details they were made with."
    )

    def get_readonly_fields(self, request, obj=None):
        # An account belongs to one payee; another payee gets an account of its own.
        return ["shop", "household"] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        household = data.get("household", obj.household)
        saved = payouts.set_bank_account(
            operator=request.user,
            shop=data.get("shop") or obj.shop,
            household_id=household.pk if household else None,
            holder_name=data["holder_name"],
            bank_name=data["bank_name"],
            branch=data.get("branch", ""),
            account_number=data["account_number"],
        )
        obj.pk = saved.pk
