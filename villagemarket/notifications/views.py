"""Pages: the inbox (/notifications/), marking read, the preferences page, and the header link
with the unread count (a panel in the `header.user` slot of every page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.core.errors import DomainError

from . import events, selectors, services


def header_link(request, user) -> str:
    """ "Notifications (n)" in the header; also notes that the person is on the site."""
    if not getattr(user, "is_authenticated", False):
        return ""
    services.mark_seen(user.pk)
    return render_to_string(
        "notifications/_header_link.html", {"unread": selectors.unread_count(user)}
    )


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark it read and go where it points (the order, the refund), or back to the inbox."""
    try:
        notification = services.mark_read(request.user, pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("notifications:inbox")
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Per event type: e-mail and SMS on or off (the inbox always gets everything). People
    without a shop see only the buyer's events."""
    audiences = selectors.shown_audiences(request.user)
    if request.method == "POST":
        choices = {
            kind.code: (f"{kind.code}-email" in request.POST, f"{kind.code}-sms" in request.POST)
            for kind in events.EVENT_TYPES.values()
            if kind.audience in audiences
        }
        services.set_preferences(request.user, choices)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    rows = selectors.preferences(request.user)
    titles = {events.SELLER: _("As a seller"), events.BUYER: _("As a buyer")}
    return render(
        request,
        "notifications/settings.html",
        {
            "groups": [
                (titles[audience], [r for r in rows if r.audience == audience])
                for audience in audiences
            ],
            "has_email": bool(request.user.email),
            "has_mobile": bool(request.user.mobile),
        },
    )
