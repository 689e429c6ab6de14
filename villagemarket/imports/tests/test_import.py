"""Import and export of a shop's products: round trip, new products, bad rows (each named by
row and column, nothing changed), GBK CSV, XLSX, formula-looking cells."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from villagemarket.catalog.models import SKU, Product
from villagemarket.core.errors import Invalid
from villagemarket.imports import downloads, services
from villagemarket.imports.columns import COLUMNS, MAX_ROWS
from villagemarket.imports.models import ImportJob, ProductHandle
from villagemarket.testing.personas import make_product

from .helpers import csv_content, new_product_rows, row, xlsx_content

pytestmark = pytest.mark.django_db


def catalog_state(shop) -> list:
    """Everything an import may change, to compare before and after."""
    products = Product.objects.filter(shop=shop).order_by("id")
    return [
        (
            p.pk,
            p.title,
            p.title_en,
            p.category_id,
            p.description,
            p.status,
            p.low_stock_threshold,
            p.updated_at,
            sorted(
                (
                    s.pk,
                    s.code,
                    tuple(s.options.items()),
                    s.price_minor,
                    s.stock,
                    s.weight_grams,
                    s.is_active,
                )
                for s in SKU.objects.filter(product=p)
            ),
        )
        for p in products
    ]


def import_file(user, shop, content: bytes, filename="products.csv") -> ImportJob:
    return services.start_import(user, shop, filename=filename, content=content)


@pytest.fixture
def stocked_shop(shop_a):
    """Alice's shop: a costume with two sizes, a quilt without variants, a draft."""
    make_product(shop_a, title="演出服", price_minor=9900, stock=10, options={"尺码": "S"})
    costume = Product.objects.get(shop=shop_a, title="演出服")
    SKU.objects.create(
        product=costume, options={"尺码": "M"}, price_minor=10900, stock=3, code="C-M"
    )
    make_product(shop_a, title="羽绒被", price_minor=25050, stock=5)
    make_product(shop_a, title="草稿", price_minor=100, stock=0, status="draft")
    return shop_a


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(alice, stocked_shop, file_format):
    # given an export of the shop's products
    content, _ = downloads.export_file(stocked_shop, file_format)
    before = catalog_state(stocked_shop)
    # when the same file is imported
    job = import_file(alice, stocked_shop, content, f"products.{file_format}")
    # then every product is unchanged, not even its modification time
    assert job.status == "done", job.errors
    assert job.summary == {"created": 0, "updated": 0, "unchanged": 3}
    assert catalog_state(stocked_shop) == before


def test_export_has_one_row_per_sku_with_yuan_prices(stocked_shop):
    content, _ = downloads.export_file(stocked_shop, "csv")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == COLUMNS
    assert len(lines) == 1 + 4  # costume S and M, quilt, draft
    assert any(",250.50," in line and "羽绒被" in line for line in lines)
    assert not any("25050" in line for line in lines)


def test_new_products_are_created_with_their_variants_as_drafts(alice, shop_a):
    make_product(shop_a, title="已有", price_minor=100)  # makes the "costumes" category
    job = import_file(alice, shop_a, csv_content(new_product_rows(sizes=("110", "120", "130"))))
    assert job.status == "done", job.errors
    assert job.summary["created"] == 1
    product = ProductHandle.objects.get(shop=shop_a, handle="hanfu").product
    assert product.status == "draft"
    skus = product.skus.filter(is_active=True).order_by("position", "id")
    assert [s.options for s in skus] == [{"尺码": "110"}, {"尺码": "120"}, {"尺码": "130"}]
    assert {s.price_minor for s in skus} == {5900}
    # and importing the same file again updates that product instead of adding another
    job = import_file(alice, shop_a, csv_content(new_product_rows(sizes=("110", "120", "130"))))
    assert job.summary == {"created": 0, "updated": 0, "unchanged": 1}
    assert Product.objects.filter(shop=shop_a).count() == 2


def test_a_published_column_publishes_and_changes_are_applied(alice, stocked_shop):
    rows = new_product_rows()
    for r in rows:
        r["status"] = "published"
    job = import_file(alice, stocked_shop, csv_content(rows))
    assert job.status == "done", job.errors
    assert ProductHandle.objects.get(handle="hanfu").product.status == "published"


def test_price_and_stock_change_by_product_id(alice, stocked_shop):
    quilt = Product.objects.get(shop=stocked_shop, title="羽绒被")
    rows = [
        row(
            product_ref=str(quilt.pk),
            title="羽绒被",
            category="costumes",
            price="199.90",
            stock="7",
        )
    ]
    job = import_file(alice, stocked_shop, csv_content(rows))
    assert job.status == "done", job.errors
    sku = quilt.skus.get(is_active=True)
    assert (sku.price_minor, sku.stock) == (19990, 7)


BAD_ROWS = [
    ("price", {"price": "abc"}, "price"),
    ("negative stock", {"stock": "-1"}, "stock"),
    ("stock not whole", {"stock": "2.5"}, "stock"),
    ("weight", {"weight_grams": "0"}, "weight_grams"),
    ("unknown category", {"category": "no-such"}, "category"),
    ("missing title", {"title": ""}, "title"),
    ("unknown product id", {"product_ref": "999999"}, "product_ref"),
    ("spec value without name", {"spec1_name": "", "spec1_value": "110"}, "spec1_name"),
    ("status", {"status": "sold"}, "status"),
    ("title too long", {"title": "长" * 200}, "title"),
    ("cell too long", {"description": "x" * 30_000}, "description"),
]


@pytest.mark.parametrize(("kind", "cells", "column"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_a_bad_row_is_named_by_row_and_column_and_nothing_changes(
    alice, stocked_shop, kind, cells, column
):
    # given a file whose third product row is wrong (spreadsheet row 4)
    rows = new_product_rows(ref="a", sizes=("110", "120")) + new_product_rows(
        ref="b", sizes=("110",)
    )
    rows[2].update(cells)
    before = catalog_state(stocked_shop)
    # when it is imported
    job = import_file(alice, stocked_shop, csv_content(rows))
    # then the job failed naming row 4 and the column, and nothing changed
    assert job.status == "failed"
    assert {"row": 4, "column": column} in [
        {"row": e["row"], "column": e["column"]} for e in job.errors
    ], job.errors
    assert all(e["message"] for e in job.errors)
    assert catalog_state(stocked_shop) == before
    assert not ProductHandle.objects.exists()


def test_errors_in_many_rows_are_all_listed(alice, stocked_shop):
    rows = new_product_rows(ref="a", sizes=("110", "120", "130"))
    rows[0]["price"] = "x"
    rows[2]["stock"] = "y"
    job = import_file(alice, stocked_shop, csv_content(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "price"), (4, "stock")]


def test_the_same_specifications_twice_are_refused(alice, stocked_shop):
    rows = new_product_rows(ref="a", sizes=("110", "110"))
    job = import_file(alice, stocked_shop, csv_content(rows))
    assert job.status == "failed"
    assert (3, "spec1_value") in [(e["row"], e["column"]) for e in job.errors]


def test_a_later_row_cannot_contradict_the_product(alice, stocked_shop):
    rows = new_product_rows(ref="a", sizes=("110", "120"))
    rows[1]["title"] = "别的名字"
    job = import_file(alice, stocked_shop, csv_content(rows))
    assert (3, "title") in [(e["row"], e["column"]) for e in job.errors]


def test_another_shops_product_id_is_unknown(alice, bob, stocked_shop, shop_b):
    theirs = make_product(shop_b, title="别人的")
    rows = [
        row(
            product_ref=str(theirs.pk), title="抢来的", category="costumes", price="1.00", stock="1"
        )
    ]
    job = import_file(alice, stocked_shop, csv_content(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "product_ref")]
    theirs.refresh_from_db()
    assert theirs.title == "别人的"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ([*COLUMNS, "prcie"], "prcie"),
        ([c for c in COLUMNS if c != "price"], "price"),
    ],
    ids=["unknown column", "missing column"],
)
def test_header_problems_are_named(alice, stocked_shop, header, column):
    job = import_file(alice, stocked_shop, csv_content(new_product_rows(), header=header))
    assert job.status == "failed"
    assert (1, column) in [(e["row"], e["column"]) for e in job.errors]


def test_too_many_rows_is_refused_with_the_limit(alice, stocked_shop):
    one = new_product_rows(sizes=("110",))[0]
    rows = [dict(one, product_ref=f"p{i}") for i in range(MAX_ROWS + 1)]
    with pytest.raises(Invalid) as refused:
        import_file(alice, stocked_shop, csv_content(rows))
    assert "5000" in refused.value.fields["file"][0]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("products.csv", b""),
        ("products.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("products.xlsx", b"not a zip"),
        ("products.csv", "名称".encode("utf-16")),
    ],
    ids=["empty", "old xls", "broken xlsx", "utf-16"],
)
def test_unreadable_files_are_refused_naming_the_file(alice, stocked_shop, filename, content):
    before = catalog_state(stocked_shop)
    with pytest.raises(Invalid) as refused:
        import_file(alice, stocked_shop, content, filename)
    assert refused.value.fields["file"]
    assert catalog_state(stocked_shop) == before


def test_oversized_upload_is_refused():
    with pytest.raises(Invalid) as refused:
        services.refuse_oversized(11 * 1024 * 1024)
    assert "10 MB" in refused.value.fields["file"][0]


@pytest.mark.parametrize("bom", [True, False])
def test_utf8_csv_with_or_without_bom(alice, stocked_shop, bom):
    job = import_file(alice, stocked_shop, csv_content(new_product_rows(), bom=bom))
    assert job.status == "done", job.errors
    assert ProductHandle.objects.get(handle="hanfu").product.title == "儿童汉服"


def test_gbk_csv_from_chinese_excel(alice, stocked_shop):
    content = csv_content(new_product_rows(title="羊毛被 冬季加厚"), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really not UTF-8
    job = import_file(alice, stocked_shop, content)
    assert job.status == "done", job.errors
    product = ProductHandle.objects.get(handle="hanfu").product
    assert product.title == "羊毛被 冬季加厚"
    assert sorted(s.options["尺码"] for s in product.skus.all()) == ["110", "120"]


def test_xlsx_with_number_cells(alice, stocked_shop):
    rows = new_product_rows()
    for r in rows:
        r.update(price=12.5, stock=20, weight_grams=300)
    job = import_file(alice, stocked_shop, xlsx_content(rows), "products.xlsx")
    assert job.status == "done", job.errors
    product = ProductHandle.objects.get(handle="hanfu").product
    assert {s.price_minor for s in product.skus.all()} == {1250}


def test_formula_looking_cells_are_neutralised_on_export_and_survive_a_round_trip(
    alice, stocked_shop
):
    quilt = Product.objects.get(shop=stocked_shop, title="羽绒被")
    Product.objects.filter(pk=quilt.pk).update(title='=HYPERLINK("http://evil.example","x")')
    csv_text = downloads.export_file(stocked_shop, "csv")[0].decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    xlsx = downloads.export_file(stocked_shop, "xlsx")[0]
    sheet = load_workbook(io.BytesIO(xlsx)).active
    titles = [c.value for c in sheet["B"]]
    cell = next(c for c in sheet["B"] if str(c.value).startswith("'="))
    assert cell.data_type == "s"  # text, never a formula
    assert '\'=HYPERLINK("http://evil.example","x")' in titles
    # and importing the export keeps the title as it was
    before = catalog_state(stocked_shop)
    job = import_file(alice, stocked_shop, xlsx, "products.xlsx")
    assert job.status == "done", job.errors
    assert catalog_state(stocked_shop) == before


def test_template_has_the_header_and_one_example_that_imports(alice, shop_a):
    make_product(shop_a, title="已有")
    for file_format in ("csv", "xlsx"):
        content, _ = downloads.template_file(file_format)
        job = import_file(alice, shop_a, content, f"template.{file_format}")
        assert job.status == "done", job.errors
    assert ProductHandle.objects.filter(shop=shop_a).count() == 1


def test_low_stock_threshold_and_titles_change_through_the_catalog(alice, stocked_shop):
    costume = Product.objects.get(shop=stocked_shop, title="演出服")
    content, _ = downloads.export_file(stocked_shop, "csv")
    text = content.decode("utf-8-sig")
    lines = text.splitlines()
    header = lines[0].split(",")
    changed = []
    for line in lines[1:]:
        cells = line.split(",")
        if cells[0] == str(costume.pk):
            cells[header.index("low_stock_threshold")] = "2"
            cells[header.index("title_en")] = "Stage costume for children"
        changed.append(",".join(cells))
    job = import_file(alice, stocked_shop, "\n".join([lines[0], *changed]).encode())
    assert job.status == "done", job.errors
    assert job.summary == {"created": 0, "updated": 1, "unchanged": 2}
    costume.refresh_from_db()
    assert (costume.low_stock_threshold, costume.title_en) == (2, "Stage costume for children")


def test_variants_older_than_the_matrix_rule_survive_a_round_trip(alice, shop_a):
    # given a product whose variants are not a full matrix (red S and yellow M only)
    product = make_product(shop_a, title="旧款", options={"尺码": "S", "颜色": "红"})
    SKU.objects.create(
        product=product, options={"尺码": "M", "颜色": "黄"}, price_minor=100, stock=1
    )
    content, _ = downloads.export_file(shop_a, "csv")
    before = catalog_state(shop_a)
    # when the export comes back unchanged, nothing happens
    job = import_file(alice, shop_a, content)
    assert job.status == "done", job.errors
    assert catalog_state(shop_a) == before
    # and when its stock is changed, the catalog's matrix rule asks for the missing combinations
    changed = content.decode("utf-8-sig").replace(",1.00,1,", ",1.00,5,").encode()
    job = import_file(alice, shop_a, changed)
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "spec1_value")]
    assert "missing" in job.errors[0]["message"]
    assert catalog_state(shop_a) == before


def test_an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused(
    alice, stocked_shop, monkeypatch
):
    import zipfile

    from villagemarket.imports import reading

    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1024 * 1024)  # 200 MB in production
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"0" * (2 * 1024 * 1024))
    assert len(out.getvalue()) < 10_000
    with pytest.raises(Invalid) as refused:
        import_file(alice, stocked_shop, out.getvalue(), "bomb.xlsx")
    assert "unpacks to more than" in refused.value.fields["file"][0]
