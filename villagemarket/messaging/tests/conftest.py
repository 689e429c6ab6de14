import pytest

from villagemarket.messaging import services
from villagemarket.shops.models import ShopMember
from villagemarket.testing import make_product, make_user


@pytest.fixture
def product_a(shop_a):
    return make_product(shop_a, title="演出服", price_minor=9900, stock=10)


@pytest.fixture
def carol(shop_a):
    """Staff (not owner) of alice's shop: shares its inbox."""
    user = make_user("carol@example.com", name="Carol")
    ShopMember.objects.create(shop=shop_a, user=user, role="staff")
    return user


@pytest.fixture
def buyer2(db):
    return make_user("buyer2@example.com", name="Buyer Two")


@pytest.fixture
def conversation(buyer, shop_a, product_a):
    """The buyer asked alice's shop about the costume."""
    message = services.write_to_shop(
        buyer=buyer, shop=shop_a, text="还有大号吗？", product_id=product_a.pk
    )
    return message.conversation


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit windows live in the cache, which outlives a test's database rollback."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
