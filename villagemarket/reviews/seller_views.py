"""Seller center: a shop's reviews with a reply form for each one not yet answered."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villagemarket.core.errors import DomainError, NotFound
from villagemarket.core.forms import message_domain_error
from villagemarket.shops.permissions import shop_member_required

from . import selectors, services
from .forms import ReplyForm
from .panels import author_name


def _render_list(request, *, reply_form=None, reply_to=None, status=200):
    unanswered = request.GET.get("show") == "unanswered"
    page = Paginator(selectors.shop_reviews(request.shop.pk, unanswered=unanswered), 20).get_page(
        request.GET.get("page")
    )
    for review in page.object_list:
        review.shown_name = author_name(review)
        review.form = reply_form if review.pk == reply_to else ReplyForm(auto_id=f"r{review.pk}_%s")
    ratings, reputation = selectors.shop_summary(request.shop.pk)
    context = {
        "shop": request.shop,
        "ratings": ratings,
        "reputation": reputation,
        "page": page,
        "unanswered": unanswered,
    }
    return render(request, "reviews/seller/list.html", context, status=status)


@shop_member_required()
def review_list(request):
    return _render_list(request)


@shop_member_required()
@require_POST
def reply(request, review_id: int):
    form = ReplyForm(request.POST, auto_id=f"r{review_id}_%s")
    if form.is_valid():
        try:
            services.reply_to_review(
                shop=request.shop,
                user=request.user,
                review_id=review_id,
                text=form.cleaned_data["reply"],
            )
        except NotFound:
            raise Http404("No such review.") from None
        except DomainError as exc:
            message_domain_error(request, exc)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect("seller_reviews:list", shop_slug=request.shop.slug)
    return _render_list(request, reply_form=form, reply_to=review_id, status=422)
