"""Anti-brushing use-cases: an operator decides a flagged order or review, or tunes a rule."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, Invalid, NotFound
from villagemarket.core.validation import control_character_message, find_control_character
from villagemarket.orders.services import count_held_sale

from . import checks, rules
from .models import Flag, FlagStatus, Rule

MAX_NOTE = 500
MAX_THRESHOLD = 1_000_000
MAX_WINDOW_MINUTES = 366 * 24 * 60


def _clean_note(note: str) -> str:
    """The operator's note: required (a decision explains itself), at most MAX_NOTE characters,
    no control characters but line breaks. Invalid naming `note`."""
    note = (note or "").strip()
    if not note:
        problem = _("Say why (the note is kept with the decision).")
    elif len(note) > MAX_NOTE:
        problem = _("At most %(n)d characters.") % {"n": MAX_NOTE}
    elif (char := find_control_character(note)) is not None:
        problem = control_character_message(char)
    else:
        return note
    raise Invalid(_("The note is not acceptable."), fields={"note": [problem]})


def decide(
    *,
    operator,
    confirm: bool,
    note: str,
    order_id: int | None = None,
    review_id: int | None = None,
) -> int:
    """Clear (`confirm=False`) or confirm as fake every open flag of one order or review, with a
    note. Returns how many flags were decided.

    Clearing an order whose sale was held counts it now, on its original completion day
    (orders.services.count_held_sale); a confirmed order stays uncounted. Clearing a review
    shows it again; a confirmed one stays hidden. Guarded: the flags move with one UPDATE
    WHERE status = open, so of two operators deciding at once, the second gets a Conflict.
    """
    require_operator(operator)
    if (order_id is None) == (review_id is None):
        raise Invalid(_("Name one order or one review."), fields={"subject": [_("one of the two")]})
    note = _clean_note(note)
    subject = {"order_id": order_id} if order_id is not None else {"review_id": review_id}
    with transaction.atomic():
        flags = Flag.objects.filter(**subject)
        decided = flags.filter(status=FlagStatus.OPEN).update(
            status=FlagStatus.CONFIRMED if confirm else FlagStatus.CLEARED,
            decided_at=Now(),
            decided_by=operator,
            note=note,
        )
        if not decided:
            if not flags.exists():
                raise NotFound(_("Nothing is flagged there."))
            raise Conflict(_("This was already decided."), code="already_decided")
        still_held = flags.filter(status=FlagStatus.CONFIRMED).exists()
        if not still_held:
            if order_id is not None:
                count_held_sale(order_id)
            else:
                checks.hide_review(review_id, False, reason=note)
        return decided


def update_rule(*, operator, code: str, threshold: int, window_minutes: int, enabled: bool) -> Rule:
    """Tune a rule. Rules with a window (the counts and review texts) need one of at least a
    minute; Invalid names the field otherwise. Applies to events from now on (flags already
    raised stay as they are)."""
    require_operator(operator)
    if code not in Rule.Code.values:
        raise NotFound(_("No such rule."))
    errors: dict[str, list[str]] = {}
    if not isinstance(threshold, int) or not 1 <= threshold <= MAX_THRESHOLD:
        errors["threshold"] = [_("A whole number from 1 to %(n)d.") % {"n": MAX_THRESHOLD}]
    if code == rules.SIMILAR_REVIEWS and isinstance(threshold, int) and threshold > 100:
        errors["threshold"] = [_("A percentage: at most 100.")]
    needs_window = code not in (*rules.SPEED_RULES, rules.STAFF_REVIEW)
    low = 1 if needs_window else 0
    if not isinstance(window_minutes, int) or not low <= window_minutes <= MAX_WINDOW_MINUTES:
        errors["window_minutes"] = [
            _("Minutes from %(low)d to %(high)d.") % {"low": low, "high": MAX_WINDOW_MINUTES}
        ]
    if errors:
        raise Invalid(_("The rule's figures are not acceptable."), fields=errors)
    with transaction.atomic():
        if not Rule.objects.filter(code=code).update(
            threshold=threshold,
            window_minutes=window_minutes,
            enabled=bool(enabled),
            updated_by=operator,
            updated_at=Now(),
        ):
            raise NotFound(_("No such rule."))
        transaction.on_commit(checks.forget_rules)
        return Rule.objects.get(code=code)
