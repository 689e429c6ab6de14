"""Building documents piece by piece with a cache gives exactly what analysing the whole text
gives, and words the dictionary learns later reach pieces analysed before."""

from __future__ import annotations

import pytest

from villagemarket.catalog.models import Category
from villagemarket.search import analysis, index
from villagemarket.testing import make_product

TEXTS = [
    "曹县新款真丝汉服马面裙 Hanfu dresses",
    "<p>丁楼村羽绒被，白鹅绒，产地直发。曹县 加厚 羽绒被 冬被</p>",
    "500g装槐花蜂蜜（土蜂蜜）礼盒 honey-jars, 2kg/box",
    "Boxes of quilts; ladies' shoes & straw hats!",
    "汉服hanfu汉服 汉服 QUILTS quilts",
    "",
    "   ，。、 ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_text_analysed_piece_by_piece_gives_the_same_tokens_as_whole(text):
    assert index._analyse(text) == analysis.analyse(text)


@pytest.mark.django_db
def test_a_category_word_taught_later_reaches_titles_seen_before(shop_a, monkeypatch):
    monkeypatch.setattr(index, "_taught", None)  # a fresh process: nothing taught yet
    # given a title with a word jieba does not know, already analysed (and remembered)
    assert "兔兔窝" not in index._analyse("兔兔窝披肩")
    # when a category teaches the word and a product with that title is indexed
    Category.objects.create(slug="rabbit-nests", name="兔兔窝", name_en="Rabbit nests")
    product = make_product(shop_a, title="兔兔窝披肩")
    # then its document holds the word
    document = index.SearchDocument.objects.get(product_id=product.pk)
    assert "兔兔窝" in document.title.split()
