"""The moderation API (mounted at /api/v1/moderation/): a signed-in person reports content;
operators read the queue, decide cases and edit the terms. Same permissions as the pages:
anyone else gets 403 from the operator endpoints."""

# No `from __future__ import annotations`: @paginate rebuilds the signature and needs real types.
from datetime import datetime

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from villagemarket.accounts.auth import user_auth
from villagemarket.accounts.permissions import api_operator_required
from villagemarket.core.pagination import PageNumber
from villagemarket.core.validation import DbId

from . import selectors, services
from .models import Case

router = Router(tags=["moderation"], auth=user_auth)


class ReportIn(Schema):
    kind: str = Field(description='"product", "shop", "review", "review_reply", "message"')
    object_id: DbId
    reason: str = Field(description="prohibited, fake, contact, spam, abuse or other")
    detail: str = ""


class ReportOut(Schema):
    id: int
    case_id: int
    kind: str
    object_id: int
    reason: str
    created_at: datetime
    report_count: int = Field(description="How many people reported this object so far")

    @staticmethod
    def resolve_kind(report) -> str:
        return report.case.kind

    @staticmethod
    def resolve_object_id(report) -> int:
        return report.case.object_id

    @staticmethod
    def resolve_report_count(report) -> int:
        return Case.objects.filter(pk=report.case_id).values_list("report_count", flat=True)[0]


class MatchOut(Schema):
    term: str
    category: str
    excerpt: str


class CaseOut(Schema):
    id: int
    kind: str
    object_id: int
    shop_id: int | None
    status: str
    held: bool
    report_count: int
    matches: list[MatchOut]
    text: str
    opened_at: datetime
    decided_at: datetime | None
    reason: str


class DecisionIn(Schema):
    approve: bool
    reason: str = Field("", description="Required to reject: the seller reads it")


class TermIn(Schema):
    text: str
    is_regex: bool = False
    category: str
    action: str = "hold"
    is_active: bool = True
    note: str = ""


class TermPatch(Schema):
    text: str | None = None
    is_regex: bool | None = None
    category: str | None = None
    action: str | None = None
    is_active: bool | None = None
    note: str | None = None


class TermOut(Schema):
    id: int
    text: str
    is_regex: bool
    category: str
    action: str
    is_active: bool
    note: str


@router.post("/reports", response={201: ReportOut})
def report(request, payload: ReportIn):
    """Report content. Reporting the same object again changes nothing (one report per person);
    rate-limited per person (429)."""
    made = services.report(reporter=request.auth, **payload.dict())
    return Status(201, made)


@router.get("/cases", response=list[CaseOut])
@api_operator_required
@paginate(PageNumber)
def queue(request):
    """Open cases (held content and reports), oldest first. Operators only."""
    return selectors.queue()


@router.post("/cases/{int:case_id}/decision", response=CaseOut)
@api_operator_required
def decide(request, case_id: DbId, payload: DecisionIn):
    """Approve or reject (with an explanation). A case already decided answers 409."""
    return services.decide(request.auth, case_id, approve=payload.approve, reason=payload.reason)


@router.get("/terms", response=list[TermOut])
@api_operator_required
@paginate(PageNumber)
def terms(request):
    return selectors.terms()


@router.post("/terms", response={201: TermOut})
@api_operator_required
def create_term(request, payload: TermIn):
    """Add a word or regular expression; a bad pattern is 422 naming `text`. Applies at once."""
    return Status(201, services.create_term(request.auth, **payload.dict()))


@router.patch("/terms/{int:term_id}", response=TermOut)
@api_operator_required
def update_term(request, term_id: DbId, payload: TermPatch):
    return services.update_term(request.auth, term_id, **payload.dict(exclude_unset=True))


@router.delete("/terms/{int:term_id}", response={204: None})
@api_operator_required
def delete_term(request, term_id: DbId):
    services.delete_term(request.auth, term_id)
    return Status(204, None)
