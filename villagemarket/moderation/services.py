"""Moderation use-cases: screen and hold content, take reports, decide cases, edit the terms and
settings. Each is one transaction; operators are checked by accounts.permissions."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from villagemarket.accounts.permissions import require_operator
from villagemarket.core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from villagemarket.core.ratelimit import FixedWindow

from . import hooks, rules
from .models import Action, Case, CaseStatus, Category, Report, ReportReason, Settings, Term
from .screening import Screening, current_settings, screen

MAX_DETAIL = 1000
MAX_REASON = 1000
MAX_TEXT = 20_000  # the snapshot kept on a case (a description's limit)

__all__ = ["screen", "Screening", "submit", "report", "decide", "ProhibitedContent"]


class ProhibitedContent(Invalid):
    """A term whose action is "refuse" matched: the content is not saved at all."""

    code = "prohibited_content"


def refuse_prohibited(fields: dict[str, str]) -> None:
    """Raise ProhibitedContent naming each field whose text matches a "refuse" term (callers
    check before saving, so the seller learns which field to change)."""
    errors = {}
    for name, text in fields.items():
        refused = [m for m in screen(text or "").matches if m.action == rules.REFUSE]
        if refused:
            errors[name] = [
                _("contains “%(term)s”, which is not allowed") % {"term": refused[0].excerpt}
            ]
    if errors:
        raise ProhibitedContent(_("This text is not allowed on the platform."), fields=errors)


def _open_case(kind: str, object_id: int) -> Case | None:
    return (
        Case.objects.select_for_update()
        .filter(kind=kind, object_id=object_id, status=CaseStatus.OPEN)
        .first()
    )


def _open_or_create(kind: str, object_id: int, **defaults) -> tuple[Case, bool]:
    """The open case of (kind, object_id), locked, or a new one. Two requests opening the same
    case at once meet the unique constraint; the loser joins the winner's case."""
    case = _open_case(kind, object_id)
    if case is not None:
        return case, False
    try:
        with transaction.atomic():
            return Case.objects.create(kind=kind, object_id=object_id, **defaults), True
    except IntegrityError:
        case = _open_case(kind, object_id)
        if case is None:
            raise
        return case, False


def submit(
    *, kind: str, object_id: int, text: str, shop_id: int | None = None, author=None
) -> Case | None:
    """Screen new or changed content; call inside the transaction that saves it.

    When it matches, open (or join) the held case of (kind, object_id) and return it: the
    owning app keeps the content from the public. Return None when the text is clean (an open
    case still gets the latest text, so the operator judges what is there now). A "refuse"
    term raises ProhibitedContent (the caller's transaction rolls back).
    """
    screening = screen(text)
    if screening.refused:
        raise ProhibitedContent(
            _("This text is not allowed on the platform."),
            fields={"text": [m.excerpt for m in screening.matches if m.action == rules.REFUSE]},
        )
    snapshot = (text or "")[:MAX_TEXT]
    author_id = getattr(author, "pk", author)
    if not screening.held:
        Case.objects.filter(kind=kind, object_id=object_id, status=CaseStatus.OPEN).update(
            text=snapshot
        )
        return None
    with transaction.atomic():
        case, created = _open_or_create(
            kind,
            object_id,
            held=True,
            matches=screening.as_json(),
            text=snapshot,
            shop_id=shop_id,
            author_id=author_id,
        )
        if not created:
            case.held = True
            case.matches = screening.as_json()
            case.text = snapshot
            case.shop_id = shop_id if shop_id is not None else case.shop_id
            case.author_id = author_id if author_id is not None else case.author_id
            case.save(update_fields=["held", "matches", "text", "shop_id", "author_id"])
    return case


def _report_window(config: Settings) -> FixedWindow:
    return FixedWindow("moderation-report", limit=config.reports_per_hour, window=3600)


def report(*, reporter, kind: str, object_id: int, reason: str, detail: str = "") -> Report:
    """A signed-in person reports content with a reason. Repeated reports of one object join
    its open case (the queue shows one item with a count); the same person reporting it again
    changes nothing. Rate-limited per person (settings.reports_per_hour)."""
    if reporter is None or not reporter.is_authenticated:
        raise Forbidden(_("Sign in to report."))
    owner = hooks.kind(kind)
    if owner is None:
        raise Invalid(_("This cannot be reported."), fields={"kind": [_("unknown kind")]})
    if reason not in ReportReason.values:
        raise Invalid(_("Choose a reason."), fields={"reason": [_("choose one of the reasons")]})
    detail = (detail or "").strip()
    if len(detail) > MAX_DETAIL:
        raise Invalid(
            _("At most %(n)d characters.") % {"n": MAX_DETAIL},
            fields={"detail": [_("at most %(n)d characters") % {"n": MAX_DETAIL}]},
        )
    ref = owner.describe(object_id)
    if ref is None:
        raise NotFound(_("Nothing to report here."))
    if ref.author_id is not None and ref.author_id == reporter.pk:
        raise Conflict(_("You cannot report your own content."), code="own_content")
    config = current_settings()
    window = _report_window(config)
    if window.wait_seconds(str(reporter.pk)):
        raise RateLimited(_("Too many reports; please try again later."))
    with transaction.atomic():
        case, _created = _open_or_create(
            kind,
            object_id,
            text=(ref.text or "")[:MAX_TEXT],
            shop_id=ref.shop_id,
            author_id=ref.author_id,
        )
        made, created = Report.objects.get_or_create(
            case=case, reporter=reporter, defaults={"reason": reason, "detail": detail}
        )
        if created:
            Case.objects.filter(pk=case.pk).update(report_count=F("report_count") + 1)
    window.hit(str(reporter.pk))
    return made


def decide(operator, case_id: int, *, approve: bool, reason: str = "") -> Case:
    """An operator approves or rejects an open case (an explanation is required to reject).

    One guarded UPDATE on the open status: of two operators deciding at once one wins and the
    other gets Conflict (409). The content's owner (hooks.register_kind) and every listener
    (hooks.on_decision) act inside this transaction.
    """
    require_operator(operator, _("Only operators decide moderation cases."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise Invalid(
            _("Explain the rejection: the seller sees it."),
            fields={"reason": [_("required to reject")]},
        )
    if len(reason) > MAX_REASON:
        raise Invalid(
            _("At most %(n)d characters.") % {"n": MAX_REASON},
            fields={"reason": [_("at most %(n)d characters") % {"n": MAX_REASON}]},
        )
    with transaction.atomic():
        now = timezone.now()
        status = CaseStatus.APPROVED if approve else CaseStatus.REJECTED
        won = Case.objects.filter(pk=case_id, status=CaseStatus.OPEN).update(
            status=status, decided_at=now, decided_by=operator, reason=reason
        )
        case = Case.objects.filter(pk=case_id).select_related("decided_by").first()
        if case is None:
            raise NotFound(_("No such case."))
        if won != 1:
            raise Conflict(
                _("This case was already decided (%(status)s); reload the queue.")
                % {"status": case.get_status_display()},
                code="already_decided",
            )
        hooks.decided(
            hooks.Decision(
                kind=case.kind,
                object_id=case.object_id,
                approved=approve,
                reason=reason,
                shop_id=case.shop_id,
                author_id=case.author_id,
                case_id=case.pk,
                decided_by=operator,
            )
        )
    return case


# --- terms and settings (operators) ---------------------------------------------------------
TERM_FIELDS = ("text", "is_regex", "category", "action", "is_active", "note")


def bump_terms_version() -> None:
    """Every process recompiles its terms on its next screen. The version is a fresh random
    number rather than a counter: a rolled-back change followed by another change can never
    reuse a version some process has already compiled."""
    version = secrets.randbits(62) + 2
    if not Settings.objects.filter(pk=1).update(terms_version=version):
        Settings.objects.get_or_create(pk=1)
        Settings.objects.filter(pk=1).update(terms_version=version)


def clean_term(data: dict) -> dict:
    """Validate term fields; Invalid names each bad field (a bad regex names `text`)."""
    errors: dict[str, list[str]] = {}
    out = {name: data[name] for name in TERM_FIELDS if name in data}
    if "text" in out:
        out["text"] = str(out["text"] or "").strip()
        if problem := rules.pattern_problem(out["text"], is_regex=bool(out.get("is_regex"))):
            errors["text"] = [problem]
    if "category" in out and out["category"] not in Category.values:
        errors["category"] = [_("choose one of the categories")]
    if "action" in out and out["action"] not in Action.values:
        errors["action"] = [_("hold or refuse")]
    if len(str(out.get("note") or "")) > 200:
        errors["note"] = [_("at most %(n)d characters") % {"n": 200}]
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    return out


def _save_term(term: Term, data: dict) -> Term:
    for name, value in data.items():
        setattr(term, name, value)
    if problem := rules.pattern_problem(term.text, is_regex=term.is_regex):
        raise Invalid(problem, fields={"text": [problem]})
    try:
        with transaction.atomic():
            term.save()
            bump_terms_version()
    except IntegrityError:
        raise Invalid(
            _("This term is already in the list."), fields={"text": [_("already listed")]}
        ) from None
    return term


def create_term(operator, **data) -> Term:
    """An operator adds a prohibited word or pattern; it applies at once."""
    require_operator(operator)
    data = clean_term({"category": data.get("category"), **data})
    if "text" not in data:
        raise Invalid(_("Please correct the marked fields."), fields={"text": [_("required")]})
    return _save_term(Term(), data)


def update_term(operator, term_id: int, **changes) -> Term:
    """An operator changes a term; it applies at once."""
    require_operator(operator)
    term = Term.objects.filter(pk=term_id).first()
    if term is None:
        raise NotFound(_("No such term."))
    return _save_term(term, clean_term(changes))


def delete_term(operator, term_id: int) -> None:
    """An operator removes a term; it stops applying at once."""
    require_operator(operator)
    with transaction.atomic():
        if not Term.objects.filter(pk=term_id).delete()[0]:
            raise NotFound(_("No such term."))
        bump_terms_version()


SETTING_FIELDS = (
    "strike_limit",
    "strike_days",
    "spam_max_links",
    "spam_max_keyword_repeats",
    "reports_per_hour",
)


def update_settings(operator, **changes) -> Settings:
    """An operator changes the strike rule, spam limits or report rate (whole numbers 1-1000)."""
    require_operator(operator)
    errors = {}
    clean = {}
    for name, value in changes.items():
        if name not in SETTING_FIELDS:
            errors[name] = [_("not a setting")]
            continue
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            errors[name] = [_("a whole number")]
            continue
        if not 1 <= number <= 1000:
            errors[name] = [_("from 1 to 1000")]
        clean[name] = number
    if errors:
        raise Invalid(_("Please correct the marked fields."), fields=errors)
    with transaction.atomic():
        config, _created = Settings.objects.select_for_update().get_or_create(pk=1)
        for name, value in clean.items():
            setattr(config, name, value)
        config.save()
        bump_terms_version()  # spam limits are compiled with the terms
    return config
