"""The demo's steps. Each is idempotent: it looks rows up by a natural key (code, slug, email;
products by their count per demo shop) and creates only what is missing, so a second run
changes nothing.

A step is `fn(ctx) -> str` (a one-line summary); the list of steps is
villagemarket.web.demo.STEPS.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from pypinyin import lazy_pinyin

from villagemarket.accounts.models import User
from villagemarket.catalog.models import SKU, Category, Product, ProductImage, ProductStatus
from villagemarket.regions.models import Region
from villagemarket.shops.models import Household, Shop, ShopKind, ShopMember, ShopStatus

from . import data
from .images import image_name

try:  # the catalog slice's search text; same shape either way
    from villagemarket.catalog.searchtext import build_search_text
except ImportError:  # pragma: no cover - only before the catalog slice existed

    def build_search_text(title: str, title_en: str = "", extra: str = "") -> str:
        pinyin = "".join(lazy_pinyin(title, errors="ignore"))
        return " ".join(x for x in (title, title_en.lower(), pinyin) if x)


@dataclass
class Context:
    """What steps share: options, a seeded random generator, and notes for the summary."""

    region_source: str | None = None
    counties: list[str] = field(default_factory=lambda: list(data.COUNTIES))
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    password_hash: str = ""
    categories: dict[str, int] = field(default_factory=dict)
    subcat_of: dict[int, str] = field(default_factory=dict)
    tops: dict[str, str] = field(default_factory=dict)

    def hashed_password(self) -> str:
        # One hash for every demo user: hashing 60 passwords would take most of a minute.
        if not self.password_hash:
            self.password_hash = make_password(data.PASSWORD)
        return self.password_hash


def regions(ctx: Context) -> str:
    """Levels 1-4 of China and the villages of the demo counties (loaded by the regions slice)."""
    from villagemarket.regions.services import load_demo_regions

    result = load_demo_regions(ctx.counties, progress=False, source=ctx.region_source)
    return f"{result.total} regions in {result.seconds:.1f}s"


def villages(ctx: Context) -> str:
    """Household counts, a few coordinates and is_featured on the demo's real villages."""
    found = Region.objects.in_bulk([row[0] for row in data.VILLAGES])
    changed = []
    for code, households, coords, _cats, _n in data.VILLAGES:
        region = found.get(code)
        if region is None:
            continue
        lat, lon = coords or (region.latitude, region.longitude)
        if (region.households, region.latitude, region.longitude, region.is_featured) != (
            households,
            lat,
            lon,
            True,
        ):
            region.households, region.latitude, region.longitude = households, lat, lon
            region.is_featured = True
            changed.append(region)
    Region.objects.bulk_update(changed, ["households", "latitude", "longitude", "is_featured"])
    return f"{len(found)} villages featured ({len(changed)} updated)"


def categories(ctx: Context) -> str:
    """Two levels of categories with Chinese and English names."""
    created = 0
    for pos, (slug, name, name_en, _colour, children) in enumerate(data.CATEGORIES):
        parent, made = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": pos}
        )
        created += made
        for cpos, (cslug, cname, cname_en) in enumerate(children):
            _, made = Category.objects.get_or_create(
                slug=cslug,
                defaults={"name": cname, "name_en": cname_en, "parent": parent, "position": cpos},
            )
            created += made
    return f"{created} categories created"


def _user(ctx: Context, email: str, name: str, **flags) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, display_name=name, **flags)
        User.objects.filter(pk=user.pk).update(password=ctx.hashed_password())
    return user


def users(ctx: Context) -> str:
    """The buyer, the 丁楼村 seller and the operator (staff and superuser)."""
    _user(ctx, data.BUYER, "Demo buyer")
    _user(ctx, data.SELLER, "丁楼村卖家")
    _user(ctx, data.OPERATOR, "Operator", is_staff=True, is_superuser=True)
    return "3 demo users"


def _slug_word(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="ignore")).lower()[:30] or "shop"


def _shop_plan() -> list[dict]:
    """Every demo shop as a dict (deterministic: the same plan on every run)."""
    plan, kinds = [], ["household", "household", "cooperative", "household", "factory"]
    for code, _households, _coords, cats, count in data.VILLAGES:
        for i in range(count):
            kind = kinds[i % len(kinds)]
            if code in ("320324109002", "371721121211") and i == 1:
                kind = "service_point"
            if code == "371721121227" and i == 3:  # 丁楼村 has its own service station
                kind = "service_point"
            plan.append({"code": code, "cats": cats, "i": i, "kind": kind})
    plan[0]["kind"] = "household"  # the 丁楼村 costume shop of seller@demo
    return plan


def shops(ctx: Context) -> str:
    """~60 shops in the demo villages, each with an owner; two left pending/suspended."""
    villages_by_code = Region.objects.in_bulk([row[0] for row in data.VILLAGES])
    subs = Category.objects.filter(parent__isnull=False)
    sub_names = dict(subs.values_list("slug", "name"))
    sub_names_en = dict(subs.values_list("slug", "name_en"))
    existing = set(Shop.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    created = 0
    for n, item in enumerate(_shop_plan()):
        village = villages_by_code.get(item["code"])
        if village is None:
            continue
        short = village.short_name or village.name
        slug = f"demo-{_slug_word(short)}-{item['cats'][0]}-{item['i'] + 1}"
        if slug in existing:
            continue
        words = data.SHOP_WORDS[item["kind"]]
        word, word_en = words[n % len(words)]
        goods = sub_names.get(item["cats"][0], "")
        goods_en = sub_names_en.get(item["cats"][0], "")
        status = ShopStatus.ACTIVE
        if n in (7, 31):
            status = ShopStatus.PENDING if n == 7 else ShopStatus.SUSPENDED
        owner = (
            _user(ctx, data.SELLER, "丁楼村卖家")
            if n == 0
            else _user(ctx, f"{slug}@demo.villagemarket", f"{short}{word}")
        )
        with transaction.atomic():
            shop = Shop.objects.create(
                name=f"{short}{word}{goods}"[:80],
                name_en=f"{_slug_word(short).title()} {word_en} {goods_en}"[:120].strip(),
                slug=slug,
                kind=item["kind"],
                village=village,
                ship_from_address=f"{village.parent.short_name if village.parent else ''}{short}",
                phone=f"138{ctx.rng.randrange(10**8):08d}",
                status=status,
                is_featured=item["i"] == 0 and status == ShopStatus.ACTIVE,
                description=f"{short}的{goods}，产地直发。",
            )
            ShopMember.objects.create(shop=shop, user=owner, role="owner")
            # Demo shops have been trading for years (the story's shops opened around 2013), so
            # the observatory's "open at least 30 days" test counts their past years' sales.
            Shop.objects.filter(pk=shop.pk).update(
                created_at=timezone.now() - timedelta(days=900 + 37 * n)
            )
            if shop.kind == ShopKind.SERVICE_POINT:
                Household.objects.bulk_create(
                    [
                        Household(shop=shop, name=f"{short}{h}", village=village)
                        for h in ("一户", "二户", "三户")
                    ]
                )
        created += 1
    return f"{created} shops created"


def _skus(ctx: Context, product: Product, options: dict, price: tuple, weight: int) -> list[SKU]:
    names = list(options)[:2]
    pools = [
        ctx.rng.sample(options[n], k=min(len(options[n]), ctx.rng.randint(1, 3))) for n in names
    ]
    combos = [{}]
    for name, values in zip(names, pools, strict=True):
        combos = [{**c, name: v} for c in combos for v in values]
    combos = combos[: ctx.rng.randint(1, 6)]
    base = ctx.rng.randint(*price) * 100
    return [
        SKU(
            product=product,
            options=combo,
            price_minor=base + 500 * i,
            stock=ctx.rng.choice([0, 5, 12, 30, 80, 200]) if i else ctx.rng.randint(3, 150),
            weight_grams=weight,
            position=i,
            code=f"D{product.pk}-{i}",
        )
        for i, combo in enumerate(combos)
    ]


def _title(ctx: Context, shop: Shop, subcat: str, k: int) -> tuple[str, str, str]:
    """A Chinese and an English title: village name (without 村) + adjective + item."""
    items = data.PRODUCTS[subcat][0]
    zh, en = items[(k // 2 + shop.pk) % len(items)]
    adjective = ctx.rng.choice(
        [("", ""), ("新款", "New "), ("加厚", "Thick "), ("精选", "Choice ")]
    )
    place = shop.village.short_name.removesuffix("村")
    return f"{place}{adjective[0]}{zh}", f"{adjective[1]}{en}", zh


def _product(ctx: Context, shop: Shop, subcat: str, k: int, owner_id: int | None) -> Product:
    _items, _opts, _price, _w, perishable, custom = data.PRODUCTS[subcat]
    title, title_en, item = _title(ctx, shop, subcat, k)
    village = shop.village.short_name
    product = Product(
        shop=shop,
        category_id=ctx.categories[subcat],
        title=title,
        title_en=title_en,
        description=f"<p>{village}{item}，{shop.name}自产自销，产地直发。</p>"
        f"<p>{title_en}, made and shipped from {shop.village.name_pinyin or village}.</p>",
        attributes={"产地": village, "发货": "48小时内"},
        status=ProductStatus.PUBLISHED,
        is_perishable=perishable,
        is_custom_made=custom,
        returns_7day=not (perishable or custom),
        sales_count=ctx.rng.randint(0, 900),
        search_text=build_search_text(title, title_en),
        is_featured=k == 0,
        published_at=timezone.now() - timedelta(hours=ctx.rng.randint(1, 2000)),
        created_by_id=owner_id,
    )
    product.image_char = item[:1]
    return product


def _images(ctx: Context, product: Product, top: str) -> list[ProductImage]:
    return [
        ProductImage(
            product=product,
            image=image_name(top, product.image_char, (product.pk + pos) % 3),
            width=480,
            height=480,
            position=pos,
            alt=product.title,
        )
        for pos in range(ctx.rng.randint(1, 3))
    ]


def _shop_products(ctx: Context, shop: Shop, subcats: list[str], rows: list[Product]) -> None:
    """Insert one shop's new products with their SKUs and images, in one transaction."""
    with transaction.atomic():
        Product.objects.bulk_create(rows)
        skus, images = [], []
        for product in rows:
            subcat = ctx.subcat_of[product.category_id]
            _items, opts, price, weight, _per, _cus = data.PRODUCTS[subcat]
            these = _skus(ctx, product, opts, price, weight)
            product.min_price_minor = min(s.price_minor for s in these)
            skus += these
            images += _images(ctx, product, ctx.tops[subcat])
        SKU.objects.bulk_create(skus)
        ProductImage.objects.bulk_create(images)
        Product.objects.bulk_update(rows, ["min_price_minor"])


def products(ctx: Context, per_shop: int = 10) -> str:
    """~600 products with 1-6 SKUs and 1-3 pooled images each, search text filled."""
    ctx.categories = dict(Category.objects.values_list("slug", "pk"))
    ctx.subcat_of = {pk: slug for slug, pk in ctx.categories.items()}
    ctx.tops = {child[0]: top[0] for top in data.CATEGORIES for child in top[4]}
    # A demo shop only ever gets the demo's products, all of one shop in one transaction.
    existing = Counter(
        Product.objects.filter(shop__slug__startswith="demo-").values_list("shop_id", flat=True)
    )
    owners = dict(
        ShopMember.objects.filter(role="owner", shop__slug__startswith="demo-").values_list(
            "shop_id", "user_id"
        )
    )
    plan = {p["code"]: p["cats"] for p in _shop_plan()}
    # A service point's product names the household that makes it (catalog's rule), in turn.
    households: dict[int, list[int]] = {}
    for shop_id, household_id in (
        Household.objects.filter(shop__slug__startswith="demo-")
        .order_by("pk")
        .values_list("shop_id", "pk")
    ):
        households.setdefault(shop_id, []).append(household_id)
    made = 0
    shops_qs = Shop.objects.filter(slug__startswith="demo-").select_related("village")
    for shop in shops_qs.order_by("pk"):
        subcats = plan.get(shop.village_id, ["grains"])
        rows = [
            _product(ctx, shop, subcats[k % len(subcats)], k, owners.get(shop.pk))
            for k in range(per_shop)
            if k >= existing[shop.pk]
        ]
        for k, product in enumerate(rows, start=existing[shop.pk]):
            if shop.pk in households:
                product.household_id = households[shop.pk][k % len(households[shop.pk])]
        if rows:
            _shop_products(ctx, shop, subcats, rows)
            made += len(rows)
    return f"{made} products created"


def search_index(ctx: Context) -> str:
    """The search index of every product (idempotent: each document is rebuilt in place)."""
    from villagemarket.search.index import reindex

    return f"{reindex()} products indexed"


def observatory(ctx: Context) -> str:
    """Sales history, demo statistics and computed years (built by the observatory slice)."""
    try:
        from villagemarket.observatory.demo import build_observatory_demo
    except ImportError:  # the observatory slice is optional for the storefront demo
        return "skipped (no observatory.demo)"
    result = build_observatory_demo()
    found = ", ".join(f"{y}: {n}" for y, n in sorted(result["taobao_villages"].items()))
    return f"{result['sales']} sales recorded; Taobao villages {found}"
