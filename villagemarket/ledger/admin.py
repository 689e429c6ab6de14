"""Operator back-office for the ledger: read-only. Postings come only from ledger.services;
a mistake is corrected with a reversing transaction, never an edit (the database refuses
edits anyway). Commission rates per category are the one thing operators set here."""

from django.contrib import admin, messages
from django.db.models import Q, Sum
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from villagemarket.core.errors import DomainError
from villagemarket.core.money import Money

from . import services, withdrawals
from .models import Account, CategoryCommission, Entry, LedgerTransaction, Withdrawal

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
    actions = [pay, reject]
    exclude = ["amount_minor"]  # shown as Money
    readonly_fields = ["amount"]

    @admin.display(description=_("amount"))
    def amount(self, withdrawal):
        return str(withdrawal.amount)
