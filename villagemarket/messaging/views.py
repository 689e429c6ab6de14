"""Buyer pages of messaging (/messages/), and the thread pages both sides share.

A thread works without JavaScript (the form posts, the page reloads); with htmx a poller asks
every few seconds for what is past the last position shown (204 when nothing is new) and the
form posts in place. See docs/messaging.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from villagemarket.catalog.models import Product
from villagemarket.core.errors import DomainError, NotFound
from villagemarket.core.forms import apply_domain_error
from villagemarket.core.validation import parse_db_id
from villagemarket.orders.models import ShopOrder
from villagemarket.shops.models import Shop

from . import selectors, services
from .forms import MessageForm
from .models import Conversation, Side

POLL_SECONDS = 3


@dataclass
class Thread:
    """One conversation as one side sees it, with the addresses its page posts and polls to."""

    conversation: Conversation | None
    side: str
    send_url: str
    poll_url: str
    list_url: str
    shop: Shop
    counterpart: str

    @property
    def is_shop(self) -> bool:
        return self.side == Side.SHOP


def buyer_thread(conversation: Conversation) -> Thread:
    return Thread(
        conversation=conversation,
        side=Side.BUYER,
        send_url=reverse("messaging:send", args=[conversation.pk]),
        poll_url=reverse("messaging:poll", args=[conversation.pk]),
        list_url=reverse("messaging:list"),
        shop=conversation.shop,
        counterpart=conversation.shop.name,
    )


def about_from_query(request, shop: Shop, buyer) -> dict:
    """The product or order named in the query (?product= / ?order=) when it belongs here:
    the compose form then says what the message is about."""
    product_id = parse_db_id(request.GET.get("product"))
    order_id = parse_db_id(request.GET.get("order"))
    if order_id and buyer is not None:
        order = ShopOrder.objects.filter(pk=order_id, shop=shop, buyer=buyer).first()
        if order:
            return {"order": order}
    if product_id:
        product = Product.objects.filter(pk=product_id, shop=shop).first()
        if product:
            return {"product": product}
    return {}


def render_thread(request, thread: Thread, *, form=None, about=None, status=200):
    """The whole thread page (also after a refused post without JavaScript)."""
    about = about or {}
    if form is None:
        form = MessageForm(
            initial={
                "product_id": about["product"].pk if "product" in about else "",
                "order_id": about["order"].pk if "order" in about else "",
            }
        )
    messages = []
    last = 0
    if thread.conversation is not None:
        messages = list(selectors.thread(thread.conversation, thread.side))
        last = thread.conversation.seq
    return render(
        request,
        "messaging/thread.html",
        {
            "thread": thread,
            "thread_messages": messages,
            "last": last,
            "form": form,
            "about": about,
            "poll_seconds": POLL_SECONDS,
        },
        status=status,
    )


def send(request, thread: Thread, post):
    """Post a message into `thread` with `post(form)`; answer a full page, a redirect, or (htmx)
    the new messages, a fresh poller and a fresh form."""
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = post(form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            if not request.htmx:
                return redirect(thread_url(thread, message.conversation_id))
            thread.conversation = message.conversation
            conversation = Conversation.objects.get(pk=message.conversation_id)
            after = form.cleaned_data["after"]
            new = list(selectors.messages_after(conversation, after))
            if message.seq is None:  # held: its sender sees it, marked
                new.append(message)
            return render(
                request,
                "messaging/_sent.html",
                {
                    "thread": thread,
                    "thread_messages": new,
                    "last": conversation.seq,
                    "form": MessageForm(),
                    "poll_seconds": POLL_SECONDS,
                },
            )
    else:
        status = 422
    if request.htmx:
        # Errors replace the form only (status 200: htmx swaps only successful answers).
        response = render(request, "messaging/_compose.html", {"thread": thread, "form": form})
        return reswap(retarget(response, "#compose"), "outerHTML")
    return render_thread(request, thread, form=form, status=status)


def thread_url(thread: Thread, conversation_id: int) -> str:
    if thread.is_shop:
        return reverse("seller_messaging:thread", args=[thread.shop.slug, conversation_id])
    return reverse("messaging:thread", args=[conversation_id])


def poll(request, conversation_id: int, after_raw: str | None, *, shop_slug: str | None = None):
    """New messages past `after` for the poller: 204 when nothing is new (one indexed query),
    else the messages and a poller that asks from the new position. 404 when not yours."""
    after = 0 if after_raw in (None, "", "0") else parse_db_id(after_raw)
    if after is None:
        raise Http404("Bad position.")
    seq = selectors.latest_position(request.user, conversation_id, shop_slug=shop_slug)
    if seq is None:
        raise Http404("No such conversation.")
    if seq <= after:
        return HttpResponse(status=204)
    conversation = Conversation.objects.select_related("shop", "buyer").get(pk=conversation_id)
    side = Side.SHOP if shop_slug else Side.BUYER
    thread = seller_thread(conversation) if shop_slug else buyer_thread(conversation)
    new = list(selectors.messages_after(conversation, after))
    services.mark_read(conversation, side=side, up_to=conversation.seq)
    return render(
        request,
        "messaging/_messages.html",
        {
            "thread": thread,
            "thread_messages": new,
            "last": conversation.seq,
            "poll_seconds": POLL_SECONDS,
            "oob": True,  # the form's `after` moves too, so a post does not add these again
        },
    )


def seller_thread(conversation: Conversation) -> Thread:
    slug = conversation.shop.slug
    return Thread(
        conversation=conversation,
        side=Side.SHOP,
        send_url=reverse("seller_messaging:send", args=[slug, conversation.pk]),
        poll_url=reverse("seller_messaging:poll", args=[slug, conversation.pk]),
        list_url=reverse("seller_messaging:list", args=[slug]),
        shop=conversation.shop,
        counterpart=conversation.buyer.display_name or str(conversation.buyer),
    )


# A conversation's pages answer 404 to anybody but its two sides, signed in or not (no sign-in
# redirect that would confirm the conversation exists).
def _mine(request, pk: int) -> Conversation:
    try:
        return selectors.conversation_for(request.user, pk)
    except NotFound:
        raise Http404("No such conversation.") from None


@login_required
def conversation_list(request):
    return render(
        request,
        "messaging/list.html",
        {
            "conversations": selectors.buyer_conversations(request.user),
            "side": Side.BUYER,
            "shop_inboxes": selectors.unread_by_shop(request.user),
        },
    )


def thread_page(request, pk: int):
    conversation = _mine(request, pk)
    services.mark_read(conversation, side=Side.BUYER)
    thread = buyer_thread(conversation)
    return render_thread(
        request, thread, about=about_from_query(request, conversation.shop, request.user)
    )


@require_POST
def send_page(request, pk: int):
    conversation = _mine(request, pk)
    thread = buyer_thread(conversation)
    return send(
        request,
        thread,
        lambda data: services.reply(
            conversation,
            sender=request.user,
            side=Side.BUYER,
            text=data["text"],
            image=data["image"],
            product_id=data["product_id"],
            order_id=data["order_id"],
        ),
    )


@require_GET
def poll_page(request, pk: int):
    return poll(request, pk, request.GET.get("after"))


@login_required
def start_page(request, shop_slug: str):
    """ "Contact the seller": the buyer's conversation with this shop (started by the first
    message), with the product or order of the query attached to the compose form."""
    shop = get_object_or_404(Shop, slug=shop_slug)
    conversation = selectors.buyer_conversations(request.user).filter(shop=shop).first()
    if conversation is not None and request.method != "POST":
        url = reverse("messaging:thread", args=[conversation.pk])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    thread = Thread(
        conversation=conversation,
        side=Side.BUYER,
        send_url=reverse("messaging:start", args=[shop.slug]),
        poll_url="",
        list_url=reverse("messaging:list"),
        shop=shop,
        counterpart=shop.name,
    )
    if request.method == "POST":
        return send(
            request,
            thread,
            lambda data: services.write_to_shop(
                buyer=request.user,
                shop=shop,
                text=data["text"],
                image=data["image"],
                product_id=data["product_id"],
                order_id=data["order_id"],
            ),
        )
    return render_thread(request, thread, about=about_from_query(request, shop, request.user))
