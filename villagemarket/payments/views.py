"""Payment pages: the sandbox's hosted page, the return page that waits for the notification, and
the server-to-server notification endpoint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from villagemarket.core.errors import DomainError, Invalid, NotFound
from villagemarket.core.urls import absolute_url

from . import hooks, selectors, services
from .models import PaymentStatus
from .providers import NotificationRefused, get_provider, sandbox

DELAY_CHOICES = (0, 10, 60)


def notify_url(request: HttpRequest, provider: str = sandbox.NAME) -> str:
    """Where notifications go: on SITE_URL, never the host this request came to."""
    return absolute_url(reverse(f"payments:notify_{provider}"))


def _plan(post) -> sandbox.DeliveryPlan:
    default = sandbox.DeliveryPlan.from_settings()
    raw_delay = post.get("delay", str(default.delay_seconds))
    try:
        delay = int(raw_delay)
    except ValueError:
        delay = -1
    if delay not in DELAY_CHOICES and delay != default.delay_seconds:
        raise Invalid(
            _("Choose a delivery delay from the list."),
            fields={"delay": [_("Not one of the choices.")]},
        )
    return sandbox.DeliveryPlan(
        delay_seconds=delay,
        twice=post.get("twice") == "on" or default.twice,
        out_of_order=post.get("out_of_order") == "on" or default.out_of_order,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, public_id) -> HttpResponse:
    """The sandbox's hosted payment page (other providers: a redirect to theirs)."""
    error = None
    if request.method == "POST":
        # The service checks ownership and status itself: one lookup, no page data loaded.
        outcome = "failed" if request.POST.get("action") == "fail" else "succeeded"
        try:
            services.start_sandbox_attempt(
                buyer=request.user,
                public_id=public_id,
                outcome=outcome,
                notify_url=notify_url(request),
                plan=_plan(request.POST),
            )
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            error = exc
            messages.error(request, exc.message)
        else:
            return redirect("payments:return", public_id=public_id)
    payment = selectors.payment_for_buyer(request.user, public_id)
    if payment is None:
        raise Http404
    try:
        provider = get_provider(payment.provider)
    except KeyError:  # e.g. a sandbox payment on a site where the sandbox is now off
        raise Http404 from None
    if not provider.hosted_here:
        return redirect(provider.start(payment, request=request))
    if payment.status == PaymentStatus.SUCCEEDED and error is None:
        return redirect("payments:return", public_id=payment.public_id)
    context = {
        "payment": payment,
        "parts": hooks.payment_parts(payment),
        "delays": DELAY_CHOICES,
        "error": error,
        "payable": payment.status in services.PAYABLE,
    }
    return render(request, "payments/pay.html", context, status=422 if error else 200)


@login_required
def payment_return(request: HttpRequest, public_id) -> HttpResponse:
    """Where the buyer lands after paying: shows "paid" once the notification has been processed."""
    payment = selectors.payment_for_buyer(request.user, public_id)
    if payment is None:
        raise Http404
    return render(request, "payments/return.html", {"payment": payment})


@login_required
def payment_status(request: HttpRequest, public_id) -> HttpResponse:
    """The status fragment the return page polls every second while the payment is pending."""
    payment = selectors.payment_for_buyer(request.user, public_id)
    if payment is None:
        raise Http404
    return render(request, "payments/_status.html", {"payment": payment})


@csrf_exempt  # server-to-server: authenticated by the HMAC signature, not by a browser session
@require_POST
def sandbox_notify(request: HttpRequest) -> JsonResponse:
    return notification_response(sandbox.NAME, request.headers, request.body)


def notification_response(provider: str, headers, raw_body: bytes) -> JsonResponse:
    """Shared by the page endpoint and the API endpoint."""
    try:
        result = services.receive_notification(provider, headers, raw_body)
    except NotificationRefused as exc:
        # The API's one error body (code, message, fields), so the endpoint's answers match its
        # documented schemas.
        return JsonResponse(
            {"code": exc.reason, "message": exc.message, "fields": {}}, status=exc.status
        )
    body = {"result": result.result, "status": result.status}
    if result.reason:
        body["reason"] = result.reason
    if result.http_status >= 400:
        # A rejected notification (e.g. amount mismatch) answers with the API's error body too.
        body |= {"code": result.reason, "message": result.reason.replace("_", " "), "fields": {}}
    return JsonResponse(body, status=result.http_status)
