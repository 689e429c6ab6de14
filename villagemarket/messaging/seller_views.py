"""Shop pages of messaging (/seller/<slug>/messages/): the inbox every staff member shares."""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from villagemarket.core.errors import NotFound
from villagemarket.orders.models import ShopOrder
from villagemarket.shops.permissions import member_for, shop_member_required

from . import selectors, services
from .models import Conversation, Side
from .views import Thread, about_from_query, poll, render_thread, seller_thread, send


def staff_or_404(view):
    """Like shop_member_required, but an outsider (anonymous too) gets 404, not a sign-in page:
    a conversation's address tells nobody it exists."""

    @wraps(view)
    def wrapper(request, shop_slug, *args, **kwargs):
        try:
            member = member_for(request.user, shop_slug)
        except NotFound:
            raise Http404("No such shop.") from None
        request.shop, request.shop_role = member.shop, member.role
        return view(request, *args, **kwargs)

    return wrapper


def _ours(request, pk: int) -> Conversation:
    try:
        return selectors.conversation_for(request.user, pk, shop=request.shop)
    except NotFound:
        raise Http404("No such conversation.") from None


@shop_member_required()
def inbox(request):
    return render(
        request,
        "messaging/list.html",
        {
            "conversations": selectors.shop_conversations(request.shop),
            "side": Side.SHOP,
            "shop": request.shop,
        },
    )


@staff_or_404
def thread_page(request, pk: int):
    conversation = _ours(request, pk)
    services.mark_read(conversation, side=Side.SHOP)
    return render_thread(
        request,
        seller_thread(conversation),
        about=about_from_query(request, request.shop, conversation.buyer),
    )


@require_POST
@staff_or_404
def send_page(request, pk: int):
    conversation = _ours(request, pk)
    return send(
        request,
        seller_thread(conversation),
        lambda data: services.reply(
            conversation,
            sender=request.user,
            side=Side.SHOP,
            text=data["text"],
            image=data["image"],
            product_id=data["product_id"],
            order_id=data["order_id"],
        ),
    )


@require_GET
def poll_page(request, shop_slug: str, pk: int):
    # Not shop_member_required: the one query of a poll checks the membership itself.
    return poll(request, pk, request.GET.get("after"), shop_slug=shop_slug)


@shop_member_required()
def about_order(request, order_id: int):
    """ "Message the buyer" from an order: the conversation with its buyer (started by the
    first message), the order attached to the compose form."""
    order = ShopOrder.objects.filter(pk=order_id, shop=request.shop).select_related("buyer").first()
    if order is None:
        raise Http404("No such order.")
    conversation = Conversation.objects.filter(shop=request.shop, buyer=order.buyer).first()
    if conversation is not None and request.method != "POST":
        url = reverse("seller_messaging:thread", args=[request.shop.slug, conversation.pk])
        return redirect(f"{url}?order={order.pk}")
    thread = Thread(
        conversation=conversation,
        side=Side.SHOP,
        send_url=reverse("seller_messaging:about_order", args=[request.shop.slug, order.pk]),
        poll_url="",
        list_url=reverse("seller_messaging:list", args=[request.shop.slug]),
        shop=request.shop,
        counterpart=order.buyer.display_name or str(order.buyer),
    )
    if request.method == "POST":
        return send(
            request,
            thread,
            lambda data: services.write_to_buyer(
                shop=request.shop,
                sender=request.user,
                order_id=order.pk,
                text=data["text"],
                image=data["image"],
            ),
        )
    return render_thread(request, thread, about={"order": order})
