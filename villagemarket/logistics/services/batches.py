"""Pickup batches: gather orders awaiting shipment, give each a tracking number, hand the whole
batch to the courier at once (every order ships, or none does)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.core.errors import Conflict, DomainError, IllegalTransition, Invalid, NotFound
from villagemarket.orders.models import ShopOrder
from villagemarket.orders.services import ship_order
from villagemarket.orders.states import Status
from villagemarket.shipping.couriers import courier_by_code, tracking_number_errors
from villagemarket.shops.models import Shop

from ..models import BatchStatus, PickupBatch, PickupItem
from ..rules import number_range, require_point
from ..selectors import served_shop_ids

MAX_ORDERS_PER_CALL = 500


def _order_label(order_id: int) -> str:
    return _("Order #%(id)d") % {"id": order_id}


def create_batch(
    *, user, point: Shop, courier_code: str, pickup_date: datetime.date, note: str = ""
) -> PickupBatch:
    """Staff of a pickup point open a batch for one courier and one day (today or later)."""
    require_point(point)
    errors: dict[str, list[str]] = {}
    courier = courier_by_code((courier_code or "").strip())
    if courier is None or not courier.is_active:
        errors["courier"] = [_("Choose a courier from the list.")]
    if pickup_date is None or pickup_date < timezone.localdate():
        errors["pickup_date"] = [_("The pickup date is today or later.")]
    if len(note) > 200:
        errors["note"] = [_("At most 200 characters.")]
    if errors:
        raise Invalid(_("The batch could not be created."), fields=errors)
    return PickupBatch.objects.create(
        point=point,
        courier_code=courier.code,
        pickup_date=pickup_date,
        note=note.strip(),
        created_by=user,
    )


def _locked_batch(point: Shop, batch_id: int, *, open_only: bool = True) -> PickupBatch:
    """The point's batch, its row locked for the rest of the transaction: two staff members
    changing one batch take turns."""
    batch = PickupBatch.objects.select_for_update().filter(point=point, pk=batch_id).first()
    if batch is None:
        raise NotFound(_("No such pickup batch."))
    if open_only and batch.status != BatchStatus.OPEN:
        raise IllegalTransition(
            _("This batch is %(status)s: it cannot change any more.")
            % {"status": batch.get_status_display()}
        )
    return batch


def add_orders(*, point: Shop, batch_id: int, order_ids: list[int]) -> list[PickupItem]:
    """Put orders awaiting shipment of the point and its member shops into an open batch. All or
    nothing: each refused order is named with why (another shop's, not awaiting shipment,
    already in an open batch)."""
    ids = list(dict.fromkeys(order_ids))
    if not ids or len(ids) > MAX_ORDERS_PER_CALL:
        raise Invalid(
            _("Choose between 1 and %(n)d orders.") % {"n": MAX_ORDERS_PER_CALL},
            fields={"order_ids": [_("Choose at least one order.")]},
        )
    with transaction.atomic():
        batch = _locked_batch(point, batch_id)
        orders = dict(
            ShopOrder.objects.filter(pk__in=ids, shop_id__in=served_shop_ids(point)).values_list(
                "pk", "status"
            )
        )
        taken = dict(
            PickupItem.objects.filter(order_id__in=ids, in_open_batch=True).values_list(
                "order_id", "batch_id"
            )
        )
        problems = []
        for oid in ids:
            if oid not in orders:
                problems.append(
                    _("%(order)s: not an order of this point or its members.")
                    % {"order": _order_label(oid)}
                )
            elif oid in taken:
                problems.append(
                    _("%(order)s: already in open batch #%(batch)d.")
                    % {"order": _order_label(oid), "batch": taken[oid]}
                )
            elif orders[oid] != Status.AWAITING_SHIPMENT:
                problems.append(
                    _("%(order)s: not awaiting shipment.") % {"order": _order_label(oid)}
                )
        if problems:
            raise Invalid(
                _("No order was added: fix the ones below."), fields={"order_ids": problems}
            )
        try:
            with transaction.atomic():
                return PickupItem.objects.bulk_create(
                    [PickupItem(batch=batch, order_id=oid) for oid in ids]
                )
        except IntegrityError:
            # Another point's batch took one of them between our check and our insert.
            raise Conflict(
                _("An order was just put into another open batch; reload and try again."),
                code="order_in_open_batch",
            ) from None


def remove_order(*, point: Shop, batch_id: int, order_id: int) -> None:
    """Take an order out of an open batch (e.g. refunded meanwhile): it may be gathered again."""
    with transaction.atomic():
        batch = _locked_batch(point, batch_id)
        if not batch.items.filter(order_id=order_id).delete()[0]:
            raise NotFound(_("This order is not in the batch."))


def _store_numbers(batch: PickupBatch, numbers: dict[int, str]) -> list[PickupItem]:
    items = {item.order_id: item for item in batch.items.filter(order_id__in=list(numbers))}
    problems: list[str] = []
    seen: dict[str, int] = {}
    for oid, number in numbers.items():
        label = _order_label(oid)
        if oid not in items:
            problems.append(_("%(order)s: not in this batch.") % {"order": label})
            continue
        if not number:
            continue  # an empty number clears it
        if number in seen:
            problems.append(
                _("%(order)s: the same number as %(other)s.")
                % {"order": label, "other": _order_label(seen[number])}
            )
        seen[number] = oid
        for messages in tracking_number_errors(batch.courier_code, number).values():
            problems += [f"{label}: {message}" for message in messages]
    if problems:
        raise Invalid(
            _("No tracking number was saved: fix the ones below."),
            fields={"tracking_numbers": problems},
        )
    changed = []
    for oid, number in numbers.items():
        items[oid].tracking_no = number
        changed.append(items[oid])
    try:
        with transaction.atomic():
            # Clear first, so swapping two numbers between orders does not trip the constraint.
            PickupItem.objects.filter(pk__in=[i.pk for i in changed]).update(tracking_no="")
            for item in changed:
                item.save(update_fields=["tracking_no"])
    except IntegrityError:
        raise Invalid(
            _("A tracking number is already used in another open batch."),
            fields={
                "tracking_numbers": [_("A tracking number is already used in another open batch.")]
            },
        ) from None
    return changed


def assign_tracking(*, point: Shop, batch_id: int, numbers: dict[int, str]) -> list[PickupItem]:
    """Type or scan tracking numbers per order (order id -> number; "" clears one). Each is
    checked against the batch courier's pattern; all are saved or none."""
    cleaned = {int(oid): (number or "").strip().upper() for oid, number in numbers.items()}
    if not cleaned:
        raise Invalid(
            _("No tracking number given."), fields={"tracking_numbers": [_("Give at least one.")]}
        )
    with transaction.atomic():
        return _store_numbers(_locked_batch(point, batch_id), cleaned)


def assign_range(
    *, point: Shop, batch_id: int, start: str, overwrite: bool = False
) -> list[PickupItem]:
    """Number the batch's parcels from a range the courier gave (its first number), in the
    order the batch lists them; only parcels without a number unless `overwrite`."""
    with transaction.atomic():
        batch = _locked_batch(point, batch_id)
        items = batch.items.order_by("order__shop__name", "order_id")
        targets = [i.order_id for i in items if overwrite or not i.tracking_no]
        if not targets:
            raise Invalid(
                _("Every parcel already has a number."),
                fields={"start": [_("Every parcel already has a number.")]},
            )
        try:
            numbers = number_range(start.strip().upper(), len(targets))
        except ValueError as exc:
            raise Invalid(str(exc), fields={"start": [str(exc)]}) from None
        return _store_numbers(batch, dict(zip(targets, numbers, strict=True)))


def _readiness_problems(batch: PickupBatch, items: list[PickupItem]) -> list[str]:
    problems = []
    for item in items:
        label = _order_label(item.order_id)
        if item.order.status != Status.AWAITING_SHIPMENT:
            problems.append(
                _("%(order)s is %(status)s now: remove it from the batch.")
                % {"order": label, "status": item.order.get_status_display()}
            )
        elif not item.tracking_no:
            problems.append(_("%(order)s has no tracking number.") % {"order": label})
        else:
            for messages in tracking_number_errors(batch.courier_code, item.tracking_no).values():
                problems += [f"{label}: {message}" for message in messages]
    return problems


def hand_over(*, user, point: Shop, batch_id: int) -> PickupBatch:
    """The courier collects the batch: every order in it ships under its tracking number, in
    one transaction. When any cannot ship (refunded or cancelled meanwhile, no or a bad tracking
    number) nothing ships and the error names each order and why. Handed over once: a second
    call, or one racing the first, is IllegalTransition (409) and ships nothing."""
    with transaction.atomic():
        batch = _locked_batch(point, batch_id)
        items = list(batch.items.select_related("order", "order__shop").order_by("order_id"))
        if not items:
            raise Conflict(_("The batch has no orders."), code="empty_batch")
        problems = _readiness_problems(batch, items)
        if problems:
            raise Conflict(
                _("Nothing was shipped: fix the orders below."),
                code="batch_not_ready",
                fields={"order_ids": problems},
            )
        for item in items:  # in order id order, as the orders' own locks are taken
            try:
                ship_order(
                    shop=item.order.shop,
                    order_id=item.order_id,
                    carrier=batch.courier_code,
                    tracking_no=item.tracking_no,
                )
            except DomainError as exc:
                # Raising here rolls back every order shipped before it in this batch.
                message = f"{_order_label(item.order_id)}: {exc.message}"
                raise Conflict(
                    _("Nothing was shipped: %(reason)s") % {"reason": message},
                    code="batch_not_ready",
                    fields={"order_ids": [message]},
                ) from exc
        batch.status, batch.handed_over_at, batch.handed_over_by = (
            BatchStatus.HANDED_OVER,
            timezone.now(),
            user,
        )
        batch.save(update_fields=["status", "handed_over_at", "handed_over_by"])
        batch.items.update(in_open_batch=False)
        return batch


def cancel_batch(*, point: Shop, batch_id: int) -> PickupBatch:
    """Give up an open batch: its orders are free to join another one."""
    with transaction.atomic():
        batch = _locked_batch(point, batch_id)
        batch.status = BatchStatus.CANCELLED
        batch.save(update_fields=["status"])
        batch.items.update(in_open_batch=False)
        return batch
