"""Buyer pages: write a review of an order line, add a follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from villagemarket.core.errors import DomainError, NotFound
from villagemarket.core.forms import apply_domain_error
from villagemarket.orders.models import ShopOrderLine

from . import selectors, services
from .forms import FollowUpForm, ReviewForm
from .models import Review


def _my_line(request, line_id: int) -> ShopOrderLine:
    line = (
        ShopOrderLine.objects.filter(pk=line_id, order__buyer=request.user)
        .select_related("order__shop", "sku__product")
        .first()
    )
    if line is None:
        raise Http404("No such order line.")
    return line


@login_required
def write(request, line_id: int):
    line = _my_line(request, line_id)
    form = ReviewForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_review(
                    buyer=request.user,
                    line_id=line.pk,
                    item_stars=form.cleaned_data["item_stars"],
                    service_stars=form.cleaned_data["service_stars"],
                    delivery_stars=form.cleaned_data["delivery_stars"],
                    text=form.cleaned_data["text"],
                    anonymous=form.cleaned_data["anonymous"],
                    photos=request.FILES.getlist("photos"),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Thank you, your review is posted."))
                return redirect("orders:detail", line.order_id)
        status = 422
    elif not selectors.reviewable_lines(request.user).filter(pk=line.pk).exists():
        messages.error(request, str(services.refusal(request.user, line.pk)))
        return redirect("orders:detail", line.order_id)
    context = {"line": line, "form": form}
    return render(request, "reviews/write.html", context, status=status)


@login_required
def follow_up(request, review_id: int):
    review = (
        Review.objects.filter(pk=review_id, author=request.user, is_default=False)
        .select_related("line", "product")
        .first()
    )
    if review is None:
        raise Http404("No such review.")
    form = FollowUpForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.post_follow_up(
                    buyer=request.user,
                    review_id=review.pk,
                    text=form.cleaned_data["text"],
                    photos=request.FILES.getlist("photos"),
                )
            except NotFound:
                raise Http404("No such review.") from None
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Your follow-up is posted."))
                return redirect("orders:detail", review.order_id)
        status = 422
    return render(
        request, "reviews/follow_up.html", {"review": review, "form": form}, status=status
    )
