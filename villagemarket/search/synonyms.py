"""The synonym groups the platform starts with (seeded by a data migration; operators edit them).

Everyday words buyers use for what sellers list under a more precise name, in both languages.
"""

SEED = [
    ("被子 棉被 被褥 羽绒被 蚕丝被 quilt duvet comforter", "bedding"),
    ("衣服 服装 服饰 上衣 clothing clothes apparel", "clothing"),
    ("汉服 古装 古风 hanfu", "hanfu"),
    ("演出服 表演服 舞台服 舞蹈服 costume", "stage costumes"),
    ("大蒜 蒜头 蒜 garlic", "garlic"),
    ("木耳 黑木耳 fungus", "wood ear"),
    ("红枣 大枣 枣 jujube date", "jujube"),
    ("蜂蜜 土蜂蜜 蜜 honey", "honey"),
    ("鸡蛋 土鸡蛋 蛋 egg", "eggs"),
    ("大米 米 稻米 rice", "rice"),
    ("小米 谷子 millet", "millet"),
    ("茶 茶叶 绿茶 红茶 tea", "tea"),
    ("苹果 apple", "apple"),
    ("核桃 walnut", "walnut"),
    ("板栗 栗子 chestnut", "chestnut"),
    ("家具 桌子 椅子 furniture", "furniture"),
    ("鞋 鞋子 布鞋 shoe", "shoes"),
    ("帽子 草帽 hat", "hats"),
    ("篮子 竹篮 筐 basket", "baskets"),
    ("粉条 粉丝 vermicelli", "vermicelli"),
    ("辣椒 辣子 chili pepper", "chili"),
    ("玩具 toy", "toys"),
    ("冬天 冬季 冬 winter", "winter"),
    ("夏天 夏季 夏 summer", "summer"),
    ("孩子 小孩 儿童 童装 kid child children", "children"),
]
