"""The labelled query set: what buyers type, and the products that must be in the top 5.

A small catalog of realistic listings in three counties (Cao County and Jinxiang in Shandong,
Yiwu in Zhejiang); each query names its kind so the share found per kind can be reported
(`report()`, printed by test_relevance_report with `pytest -s`). An empty expectation means the
query must find nothing at all.
"""

from __future__ import annotations

from collections import defaultdict

# key: (title, English title, shop key, attributes)
PRODUCTS = {
    "costume": (
        "丁楼演出服 儿童舞蹈表演服",
        "Dinglou kids stage dance costume",
        "a",
        {"尺码": "120"},
    ),
    "mamian": (
        "曹县汉服女 明制马面裙",
        "Caoxian hanfu women's horse-face skirt",
        "a",
        {"颜色": "红色"},
    ),
    "hanfu_men": ("汉服男 宋制直裰", "Men's Song-style hanfu robe", "a", {}),
    "toy": ("木质儿童积木玩具", "Wooden building blocks toy for kids", "a", {}),
    "table": ("实木茶几 泡桐木", "Solid paulownia wood coffee table", "a", {}),
    "down": ("羽绒被 冬季加厚", "Thick winter down quilt", "b", {"规格": "200x230"}),
    "silk": ("桑蚕丝被 春秋被", "Mulberry silk quilt", "b", {}),
    "sheets": ("纯棉四件套 床单被罩", "Cotton bedding set with sheet", "b", {}),
    "garlic": ("金乡大蒜 新鲜紫皮蒜 5斤", "Fresh Jinxiang purple garlic 2.5 kg", "c", {}),
    "black_garlic": ("独头黑蒜 发酵", "Fermented single-clove black garlic", "c", {}),
    "chili": ("干红辣椒 朝天椒", "Dried red chili peppers", "c", {}),
    "basket": ("手工竹编篮子", "Handwoven bamboo basket", "d", {}),
    "hat": ("遮阳草帽", "Straw sun hat", "d", {}),
    "honey": ("农家土蜂蜜 百花蜜", "Raw wildflower honey", "d", {}),
    "rice": ("东北大米 5kg", "Northeast rice 5 kg", "d", {}),
    "tea": ("西湖龙井绿茶", "West Lake Longjing green tea", "d", {}),
    "lamp": ("LED 护眼台灯", "LED desk lamp", "d", {}),
    "shoes": ("老北京手工布鞋", "Handmade Beijing cloth shoes", "d", {}),
    "walnut": ("临安山核桃", "Lin'an hickory nuts", "d", {}),
    "millet": ("沁州黄小米", "Qinzhou yellow millet", "d", {}),
    "seedling": ("蔬菜种苗 番茄苗", "Vegetable seedlings, tomato", "d", {}),
    "jujube": ("新疆和田红枣", "Hotan red jujube dates", "d", {}),
    "vermicelli": ("红薯粉条", "Sweet potato vermicelli", "c", {}),
    "chestnut": ("迁西板栗", "Qianxi chestnuts", "d", {}),
}

# slug: (name, English name, parent slug)
CATEGORIES = {
    "clothing": ("服装", "Clothing", None),
    "hanfu": ("汉服", "Hanfu", "clothing"),
    "stage": ("演出服", "Stage costumes", "clothing"),
    "shoes": ("鞋帽", "Shoes and hats", "clothing"),
    "home": ("家居", "Home", None),
    "bedding": ("床上用品", "Bedding", "home"),
    "furniture": ("家具", "Furniture", "home"),
    "crafts": ("手工艺品", "Crafts", "home"),
    "food": ("农产品", "Farm produce", None),
    "veg": ("蔬菜", "Vegetables", "food"),
    "dry": ("干货", "Dried goods", "food"),
    "grain": ("粮油", "Grain and oil", "food"),
    "toys": ("玩具", "Toys", None),
}
CATEGORY_OF = {
    "costume": "stage",
    "mamian": "hanfu",
    "hanfu_men": "hanfu",
    "toy": "toys",
    "table": "furniture",
    "down": "bedding",
    "silk": "bedding",
    "sheets": "bedding",
    "garlic": "veg",
    "black_garlic": "veg",
    "chili": "dry",
    "basket": "crafts",
    "hat": "shoes",
    "honey": "food",
    "rice": "grain",
    "tea": "food",
    "lamp": "home",
    "shoes": "shoes",
    "walnut": "dry",
    "millet": "grain",
    "seedling": "veg",
    "jujube": "dry",
    "vermicelli": "dry",
    "chestnut": "dry",
}

QUERIES: list[tuple[str, str, set[str]]] = [
    # Chinese words
    ("chinese", "羽绒被", {"down"}),
    ("chinese", "汉服", {"mamian", "hanfu_men"}),
    ("chinese", "大蒜", {"garlic"}),
    ("chinese", "蜂蜜", {"honey"}),
    ("chinese", "马面裙", {"mamian"}),
    ("chinese", "台灯", {"lamp"}),
    ("chinese", "布鞋", {"shoes"}),
    ("chinese", "板栗", {"chestnut"}),
    ("chinese", "曹县汉服", {"mamian"}),
    ("chinese", "龙井", {"tea"}),
    # sentences with filler words
    ("sentence", "给孩子买的汉服", {"mamian"}),
    ("sentence", "我想买一床羽绒被", {"down"}),
    ("sentence", "有没有新鲜的大蒜", {"garlic"}),
    ("sentence", "推荐一个好用的护眼台灯", {"lamp"}),
    ("sentence", "请问有土蜂蜜吗", {"honey"}),
    ("sentence", "适合冬天盖的被子", {"down"}),
    # pinyin, run together or spaced
    ("pinyin", "yurongbei", {"down"}),
    ("pinyin", "yu rong bei", {"down"}),
    ("pinyin", "hanfu", {"mamian", "hanfu_men"}),
    ("pinyin", "dasuan", {"garlic"}),
    ("pinyin", "caoxianhanfu", {"mamian"}),
    ("pinyin", "fengmi", {"honey"}),
    ("pinyin", "mamianqun", {"mamian"}),
    ("pinyin", "banli", {"chestnut"}),
    # initials
    ("initials", "yrb", {"down"}),
    ("initials", "dl", {"costume"}),
    ("initials", "mmq", {"mamian"}),
    ("initials", "jxds", {"garlic"}),
    ("initials", "hsft", {"vermicelli"}),
    # English
    ("english", "down quilt", {"down"}),
    ("english", "garlic", {"garlic", "black_garlic"}),
    ("english", "honey", {"honey"}),
    ("english", "quilts", {"down", "silk"}),
    ("english", "desk lamp", {"lamp"}),
    ("english", "stage costume", {"costume"}),
    ("english", "bamboo baskets", {"basket"}),
    # mixed
    ("mixed", "汉服 women", {"mamian"}),
    ("mixed", "garlic 金乡", {"garlic"}),
    ("mixed", "LED 台灯", {"lamp"}),
    ("mixed", "silk 被", {"silk"}),
    ("mixed", "丁楼 costume", {"costume"}),
    # places: county, town, village, prefecture, province; alone and with a word
    ("place", "曹县 汉服", {"mamian", "hanfu_men"}),
    ("place", "丁楼村", {"costume"}),
    ("place", "大集镇 羽绒被", {"down"}),
    ("place", "金乡县", {"garlic"}),
    ("place", "金乡 辣椒", {"chili"}),
    ("place", "义乌 草帽", {"hat"}),
    ("place", "浙江 蜂蜜", {"honey"}),
    # typos and same-sound characters
    ("typo", "汗服", {"mamian", "hanfu_men"}),
    ("typo", "hanfy", {"mamian", "hanfu_men"}),
    ("typo", "羽绒贝", {"down"}),
    ("typo", "garlik", {"garlic"}),
    ("typo", "hony", {"honey"}),
    ("typo", "蜂米", {"honey"}),
    ("typo", "quilr", {"down", "silk"}),
    # synonyms and everyday words
    ("synonym", "被子", {"down", "silk"}),
    ("synonym", "衣服", {"mamian"}),
    ("synonym", "栗子", {"chestnut"}),
    ("synonym", "大枣", {"jujube"}),
    ("synonym", "duvet", {"down"}),
    ("synonym", "古装", {"mamian"}),
    # queries that should find nothing
    ("nothing", "笔记本电脑", set()),
    ("nothing", "iphone", set()),
    ("nothing", "汽车轮胎", set()),
    ("nothing", "xyzzy", set()),
    ("nothing", "quantum physics", set()),
]


def found(expected: set[str], top: list[str], everything: list[str]) -> bool:
    """Expected products all in the top 5; for an empty expectation, nothing at all."""
    if not expected:
        return not everything
    return expected <= set(top[:5])


def report(results: dict[str, list[bool]]) -> str:
    """Share found per kind, e.g. "chinese 10/10"."""
    lines = []
    for kind, oks in results.items():
        lines.append(f"{kind:<9} {sum(oks)}/{len(oks)} ({100 * sum(oks) // len(oks)}%)")
    total = [ok for oks in results.values() for ok in oks]
    lines.append(f"{'all':<9} {sum(total)}/{len(total)}")
    return "\n".join(lines)


def kinds() -> dict[str, list[tuple[str, set[str]]]]:
    by_kind: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for kind, query, expected in QUERIES:
        by_kind[kind].append((query, expected))
    return by_kind
