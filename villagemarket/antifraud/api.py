"""The anti-brushing API (mounted at /api/v1/antifraud/), for operators only: the queue of
flags, decisions on a flagged order or review, and the rules with their thresholds."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.accounts.permissions import api_operator_required
from villagemarket.core.idempotency import idempotent
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId, Text

from . import rules, selectors, services
from .models import FlagStatus

router = Router(tags=["antifraud"], auth=user_auth)


class FlagOut(Schema):
    id: int
    rule: str
    rule_label: str
    explanation: str
    figures: dict
    shop_id: int
    shop_name: str
    order_id: int | None
    review_id: int | None
    status: str
    sale_held: bool
    created_at: datetime
    decided_at: datetime | None
    note: str

    @staticmethod
    def resolve_rule(flag) -> str:
        return flag.rule.code

    @staticmethod
    def resolve_rule_label(flag) -> str:
        return rules.rule_label(flag.rule.code)

    @staticmethod
    def resolve_shop_name(flag) -> str:
        return flag.shop.name

    @staticmethod
    def resolve_sale_held(flag) -> bool:
        return bool(flag.order_id and flag.order.sale_held)


class BrushingDecisionIn(Schema):
    order_id: DbId | None = None
    review_id: DbId | None = None
    decision: Literal["clear", "confirm"]
    note: Text


class DecisionOut(Schema):
    decided: int


class RuleOut(Schema):
    code: str
    label: str
    threshold: int
    threshold_means: str
    window_minutes: int
    enabled: bool
    updated_at: datetime

    @staticmethod
    def resolve_label(rule) -> str:
        return rules.rule_label(rule.code)

    @staticmethod
    def resolve_threshold_means(rule) -> str:
        return rules.threshold_label(rule.code)


class RuleIn(Schema):
    threshold: int
    window_minutes: int = 0
    enabled: bool = True


@router.get("flags", response=list[FlagOut], summary="Flags in the queue (operators)")
@api_operator_required
@paginate(PageNumber)
def flags(request: HttpRequest, status: Literal["open", "cleared", "confirmed"] = "open"):
    """Flags in `status` (default open), newest first, each with its rule and figures and the
    explanation in the caller's language."""
    return selectors.flags(FlagStatus(status))


@router.post("decisions", response=DecisionOut, summary="Clear or confirm (operators)")
@api_operator_required
@idempotent
def decide(request: HttpRequest, payload: BrushingDecisionIn):
    """Clear (genuine: a held sale is counted on its original day, a review shown again) or
    confirm (fake: it stays uncounted or hidden) every open flag of one order or one review.
    A note is required. 409 `already_decided` when nothing is open any more."""
    decided = services.decide(
        operator=request.auth,
        confirm=payload.decision == "confirm",
        note=payload.note,
        order_id=payload.order_id,
        review_id=payload.review_id,
    )
    return {"decided": decided}


@router.get("rules", response=list[RuleOut], summary="Anti-brushing rules (operators)")
@api_operator_required
def rule_list(request: HttpRequest):
    return list(selectors.all_rules())


@router.put("rules/{code}", response=RuleOut, summary="Tune a rule (operators)")
@api_operator_required
def tune_rule(request: HttpRequest, code: str, payload: RuleIn):
    """Set a rule's threshold, window (minutes) and whether it is enabled; 422 naming the field
    when a figure is out of range, 404 for an unknown rule."""
    return services.update_rule(
        operator=request.auth,
        code=code,
        threshold=payload.threshold,
        window_minutes=payload.window_minutes,
        enabled=payload.enabled,
    )
