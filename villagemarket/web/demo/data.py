"""What the demo builds: real counties and villages known for village e-commerce, categories,
shops and product templates. Plain data, so it can be read and changed without reading code."""

from __future__ import annotations

PASSWORD = "village-demo-2026"  # noqa: S105 - the demo's published password
BUYER = "buyer@demo.villagemarket"
SELLER = "seller@demo.villagemarket"
OPERATOR = "operator@demo.villagemarket"

# County code -> what it is known for (the regions step loads these counties' villages).
COUNTIES = {
    "371721": "曹县 Cao County: stage costumes, wooden products",
    "371725": "郓城 Yuncheng: grains",
    "371726": "鄄城 Juancheng: wigs",
    "371702": "牡丹区 Mudan: peony",
    "321322": "沭阳 Shuyang: flowers and seedlings",
    "320324": "睢宁 Suining (沙集镇): furniture",
    "350582": "晋江 Jinjiang: sports shoes",
    "370828": "金乡 Jinxiang: garlic",
    "130534": "清河 Qinghe: cashmere",
    "341503": "裕安区 Yu'an (Lu'an): down quilts",
}

# Real villages (NBS 2023 codes): households, optional (lat, lon), the subcategories their shops
# sell, and how many shops. 丁楼村 is where the story begins.
VILLAGES = [
    ("371721121227", 370, (34.755, 115.594), ["kids-costumes", "hanfu", "dance-wear"], 6),
    ("371721121211", 420, None, ["kids-costumes", "dance-wear"], 3),
    ("371721121207", 350, None, ["hanfu", "kids-costumes"], 2),
    ("371721121208", 300, None, ["tables", "cabinets"], 2),
    ("371721121206", 410, None, ["kids-costumes"], 2),
    ("371726109200", 520, (35.476, 115.56), ["full-wigs", "hairpieces"], 3),
    ("371726109205", 380, None, ["hairpieces", "full-wigs"], 2),
    ("371702100200", 460, (35.27, 115.52), ["peony-tea", "peony-seedlings"], 3),
    ("371702100202", 300, None, ["peony-seedlings"], 2),
    ("371725101200", 330, None, ["grains"], 2),
    ("371725101201", 290, None, ["grains", "garlic"], 1),
    ("321322124201", 610, (34.08, 118.71), ["flower-seedlings", "trees", "succulents"], 3),
    ("321322124202", 540, None, ["succulents", "flower-seedlings"], 2),
    ("321322124203", 480, None, ["trees"], 2),
    ("320324109002", 880, (33.95, 117.92), ["tables", "cabinets"], 3),
    ("320324109204", 640, None, ["cabinets", "tables"], 2),
    ("320324109205", 600, None, ["tables"], 2),
    ("350582103201", 700, (24.83, 118.62), ["running", "casual"], 3),
    ("350582103202", 650, None, ["casual", "running"], 2),
    ("370828104200", 560, (35.06, 116.27), ["garlic", "grains"], 2),
    ("370828104201", 430, None, ["garlic"], 2),
    ("130534104201", 390, (37.05, 115.67), ["sweaters", "scarves"], 2),
    ("130534104202", 350, None, ["scarves", "sweaters"], 2),
    ("341503100200", 510, (31.67, 116.43), ["down-quilts", "pillows"], 2),
    ("341503100201", 450, None, ["down-quilts"], 3),
]

# Top categories: slug, zh, en, colour (RGB for the generated images), children.
CATEGORIES = [
    (
        "costumes",
        "演出服饰",
        "Stage costumes",
        (196, 54, 74),
        [
            ("kids-costumes", "儿童演出服", "Children's performance costumes"),
            ("hanfu", "汉服", "Hanfu"),
            ("dance-wear", "舞蹈服", "Dance wear"),
        ],
    ),
    (
        "bedding",
        "羽绒被褥",
        "Down quilts & bedding",
        (92, 124, 190),
        [
            ("down-quilts", "羽绒被", "Down quilts"),
            ("pillows", "枕头", "Pillows"),
        ],
    ),
    (
        "shoes",
        "运动鞋",
        "Sports shoes",
        (40, 40, 48),
        [
            ("running", "跑步鞋", "Running shoes"),
            ("casual", "休闲鞋", "Casual shoes"),
        ],
    ),
    (
        "peony",
        "牡丹茶与种苗",
        "Peony tea & seedlings",
        (214, 92, 160),
        [
            ("peony-tea", "牡丹花茶", "Peony tea"),
            ("peony-seedlings", "牡丹种苗", "Peony seedlings"),
        ],
    ),
    (
        "furniture",
        "实木家具",
        "Wooden furniture",
        (150, 100, 60),
        [
            ("tables", "桌椅", "Tables & chairs"),
            ("cabinets", "柜子", "Cabinets"),
        ],
    ),
    (
        "produce",
        "大蒜与农产品",
        "Garlic & farm produce",
        (120, 150, 70),
        [
            ("garlic", "大蒜", "Garlic"),
            ("grains", "杂粮", "Grains"),
        ],
    ),
    (
        "cashmere",
        "羊绒",
        "Cashmere",
        (170, 140, 110),
        [
            ("sweaters", "羊绒衫", "Cashmere sweaters"),
            ("scarves", "羊绒围巾", "Cashmere scarves"),
        ],
    ),
    (
        "wigs",
        "假发",
        "Wigs",
        (90, 60, 50),
        [
            ("full-wigs", "整顶假发", "Full wigs"),
            ("hairpieces", "发片", "Hairpieces"),
        ],
    ),
    (
        "flowers",
        "花卉苗木",
        "Flowers & seedlings",
        (60, 150, 90),
        [
            ("flower-seedlings", "花苗", "Flower seedlings"),
            ("trees", "绿化苗木", "Trees & shrubs"),
            ("succulents", "多肉植物", "Succulents"),
        ],
    ),
]

SIZES = {"尺码": ["110", "120", "130", "140", "150"]}
ADULT = {"尺码": ["S", "M", "L", "XL"]}
SHOE = {"尺码": ["38", "39", "40", "41", "42", "43"]}
COLOURS = ["红", "白", "黑", "蓝", "粉", "黄"]

# Subcategory -> (items: [(zh, en)], options name -> values pool, price range yuan, weight g,
# perishable, custom made)
PRODUCTS = {
    "kids-costumes": (
        [
            ("儿童演出服", "Children's stage costume"),
            ("幼儿园舞台服", "Kindergarten stage outfit"),
            ("六一表演服", "Children's Day show costume"),
            ("合唱服", "Choir costume"),
        ],
        {**SIZES, "颜色": COLOURS},
        (39, 129),
        400,
        False,
        False,
    ),
    "hanfu": (
        [
            ("汉服襦裙", "Hanfu ruqun dress"),
            ("儿童汉服", "Children's hanfu"),
            ("宋制汉服", "Song-style hanfu"),
        ],
        {**ADULT, "颜色": COLOURS},
        (89, 399),
        600,
        False,
        False,
    ),
    "dance-wear": (
        [
            ("民族舞蹈服", "Folk dance costume"),
            ("广场舞服装", "Square dance outfit"),
            ("拉丁舞裙", "Latin dance dress"),
        ],
        {**ADULT, "颜色": COLOURS},
        (59, 259),
        500,
        False,
        False,
    ),
    "down-quilts": (
        [
            ("白鹅绒被", "White goose down quilt"),
            ("鸭绒冬被", "Duck down winter quilt"),
            ("羽绒春秋被", "Spring-autumn down quilt"),
        ],
        {"尺寸": ["150x200", "200x230", "220x240"], "重量": ["1kg", "1.5kg", "2kg"]},
        (199, 1299),
        2500,
        False,
        False,
    ),
    "pillows": (
        [("羽绒枕", "Down pillow"), ("荞麦枕", "Buckwheat pillow")],
        {"高度": ["低枕", "中枕", "高枕"]},
        (49, 199),
        1000,
        False,
        False,
    ),
    "running": (
        [
            ("轻便跑步鞋", "Lightweight running shoes"),
            ("缓震跑鞋", "Cushioned running shoes"),
            ("训练鞋", "Training shoes"),
        ],
        {**SHOE, "颜色": ["黑", "白", "蓝"]},
        (129, 459),
        800,
        False,
        False,
    ),
    "casual": (
        [
            ("休闲板鞋", "Casual skate shoes"),
            ("透气网面鞋", "Breathable mesh shoes"),
            ("老爹鞋", "Chunky sneakers"),
        ],
        {**SHOE, "颜色": ["黑", "白", "灰"]},
        (99, 329),
        850,
        False,
        False,
    ),
    "peony-tea": (
        [
            ("牡丹花茶", "Peony flower tea"),
            ("牡丹籽油", "Peony seed oil"),
            ("牡丹花蕊茶", "Peony stamen tea"),
        ],
        {"规格": ["50g", "100g", "250g"]},
        (29, 168),
        300,
        True,
        False,
    ),
    "peony-seedlings": (
        [
            ("牡丹种苗", "Peony seedling"),
            ("盆栽牡丹", "Potted peony"),
            ("芍药种苗", "Herbaceous peony seedling"),
        ],
        {"苗龄": ["2年", "3年", "5年"], "花色": ["红", "粉", "白", "紫"]},
        (19, 299),
        1500,
        True,
        False,
    ),
    "tables": (
        [
            ("实木餐桌", "Solid wood dining table"),
            ("实木椅子", "Solid wood chair"),
            ("茶几", "Coffee table"),
            ("书桌", "Writing desk"),
        ],
        {"尺寸": ["1.2m", "1.4m", "1.6m"], "颜色": ["原木", "胡桃"]},
        (199, 2599),
        20000,
        False,
        False,
    ),
    "cabinets": (
        [("实木衣柜", "Solid wood wardrobe"), ("鞋柜", "Shoe cabinet"), ("电视柜", "TV cabinet")],
        {"尺寸": ["小", "中", "大"], "颜色": ["原木", "白"]},
        (299, 3299),
        30000,
        False,
        True,
    ),
    "garlic": (
        [
            ("金乡大蒜", "Jinxiang garlic"),
            ("紫皮大蒜", "Purple-skin garlic"),
            ("黑蒜", "Black garlic"),
        ],
        {"重量": ["2.5kg", "5kg", "10kg"]},
        (19, 99),
        5000,
        True,
        False,
    ),
    "grains": (
        [("小米", "Millet"), ("绿豆", "Mung beans"), ("石磨面粉", "Stone-ground flour")],
        {"重量": ["1kg", "2.5kg", "5kg"]},
        (15, 79),
        2500,
        True,
        False,
    ),
    "sweaters": (
        [("羊绒衫", "Cashmere sweater"), ("羊绒开衫", "Cashmere cardigan")],
        {**ADULT, "颜色": ["驼色", "灰", "黑", "酒红"]},
        (299, 1299),
        400,
        False,
        False,
    ),
    "scarves": (
        [("羊绒围巾", "Cashmere scarf"), ("羊绒披肩", "Cashmere shawl")],
        {"颜色": ["驼色", "灰", "红", "藏青"]},
        (129, 599),
        200,
        False,
        False,
    ),
    "full-wigs": (
        [
            ("真发假发", "Human hair wig"),
            ("短发假发", "Short wig"),
            ("长卷发假发", "Long curly wig"),
        ],
        {"颜色": ["自然黑", "棕色", "亚麻"], "长度": ["30cm", "45cm", "60cm"]},
        (159, 1599),
        300,
        False,
        False,
    ),
    "hairpieces": (
        [("接发片", "Hair extension piece"), ("刘海发片", "Bangs hairpiece")],
        {"颜色": ["自然黑", "棕色"]},
        (39, 299),
        100,
        False,
        False,
    ),
    "flower-seedlings": (
        [
            ("月季花苗", "Rose seedling"),
            ("绣球花苗", "Hydrangea seedling"),
            ("茉莉花苗", "Jasmine seedling"),
        ],
        {"规格": ["小苗", "中苗", "大苗"]},
        (9, 99),
        800,
        True,
        False,
    ),
    "trees": (
        [
            ("桂花树苗", "Osmanthus sapling"),
            ("红叶石楠", "Red tip photinia"),
            ("樱花树苗", "Cherry sapling"),
        ],
        {"高度": ["50cm", "1m", "1.5m"]},
        (19, 399),
        3000,
        True,
        False,
    ),
    "succulents": (
        [("多肉组合盆栽", "Succulent arrangement"), ("多肉植物", "Succulent plant")],
        {"数量": ["3棵", "6棵", "10棵"]},
        (12, 89),
        600,
        True,
        False,
    ),
}

SHOP_WORDS = {
    "household": [
        ("小凤家", "Xiaofeng's"),
        ("老王家", "Old Wang's"),
        ("二妮", "Erni's"),
        ("春梅家", "Chunmei's"),
        ("建国家", "Jianguo's"),
        ("小丽", "Xiaoli's"),
    ],
    "cooperative": [("合作社", "Cooperative")],
    "factory": [("加工厂", "Workshop")],
    "service_point": [("电商服务站", "E-commerce service point")],
}
