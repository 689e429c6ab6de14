"""Imported statistics: validated all or nothing, kept per source and year, replaceable and
removable.
"""

import pytest
from django.core.management import CommandError, call_command

from villagemarket.core.errors import Invalid, NotFound
from villagemarket.observatory import selectors
from villagemarket.observatory.models import ImportBatch, VillageStat
from villagemarket.observatory.services.statistics_import import import_statistics, remove_import

HEADER = "village_code,year,online_shops,active_shops,households,annual_sales_yuan,lat,lon\n"
GOOD = "371721121227,2018,300,150,370,12000000.50,34.8,115.5\n"


def problems(text):
    with pytest.raises(Invalid) as info:
        import_statistics(text=text, source="county", file_name="f.csv")
    return info.value.fields["file"]


def test_a_good_file_is_stored_per_source_and_year(village):
    batches = import_statistics(
        text=HEADER + GOOD + "371721121206,2019,10,5,410,1,,\n", source="county", file_name="f.csv"
    )
    assert [(b.year, b.rows) for b in batches] == [(2018, 1), (2019, 1)]
    stat = VillageStat.objects.get(year=2018)
    assert (stat.sales_minor, stat.latitude, stat.active_shops) == (12_000_000_50, 34.8, 150)


@pytest.mark.parametrize(
    "row, reason",
    [
        ("371721121999,2018,1,1,1,1,,", "not a known village"),
        ("371721121,2018,1,1,1,1,,", "12-digit"),
        ("371721121227,1999,1,1,1,1,,", "year must be between"),
        ("371721121227,2018,-1,0,1,1,,", "online_shops must be a whole number"),
        ("371721121227,2018,1,2,1,1,,", "active_shops cannot exceed online_shops"),
        ("371721121227,2018,1,1,1,1.234,,", "at most 2 decimals"),
        ("371721121227,2018,1,1,1,1e6,,", "at most 2 decimals"),
        ("371721121227,2018,1,1,1,1,34.8,", "both lat and lon"),
        ("371721121227,2018,1,1,1,1,95,115", "within -90..90"),
    ],
)
def test_a_bad_row_is_named_with_its_line_and_nothing_is_imported(village, row, reason):
    found = problems(HEADER + GOOD.replace("2018", "2017") + row + "\n")
    assert any(p.startswith("line 3") and reason in p for p in found), found
    assert not ImportBatch.objects.exists() and not VillageStat.objects.exists()


def test_a_residents_committee_is_accepted_it_is_a_village_level_unit(village):
    import_statistics(text=HEADER + "371721121001,2018,1,1,1,1,,\n", source="s", file_name="f.csv")


def test_a_township_code_is_not_a_village(village):
    assert any(
        "not a known village" in p for p in problems(HEADER + "371721121000,2018,1,1,1,1,,\n")
    )


def test_duplicate_village_and_year_rows_are_refused(village):
    found = problems(HEADER + GOOD + GOOD)
    assert found == ["line 3: duplicate of line 2 (same village and year)"]


def test_missing_columns_are_named(village):
    assert (
        "missing columns: households, annual_sales_yuan"
        in problems("village_code,year,online_shops,active_shops\n")[0]
    )


def test_reimporting_a_source_and_year_replaces_it_and_leaves_other_sources(village):
    import_statistics(text=HEADER + GOOD, source="county", file_name="a.csv")
    import_statistics(text=HEADER + GOOD, source="province", file_name="p.csv")
    import_statistics(
        text=HEADER + GOOD.replace("300,150", "400,200"), source="county", file_name="b.csv"
    )
    assert ImportBatch.objects.count() == 2
    county = ImportBatch.objects.get(source="county")
    assert county.file_name == "b.csv" and county.stats.get().online_shops == 400


def test_removing_an_import_deletes_its_rows(village):
    import_statistics(text=HEADER + GOOD, source="county", file_name="a.csv")
    assert remove_import(source="county", year=2018) == 1
    assert not VillageStat.objects.exists()
    with pytest.raises(NotFound):
        remove_import(source="county", year=2018)


def test_the_command_imports_and_reports_bad_rows(village, tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    bad.write_text(HEADER + "371721121227,2018,1,2,1,1,,\n", encoding="utf-8")
    call_command("observatory", "import", str(good), "--source", "county")
    assert "imported 1 rows for county 2018" in capsys.readouterr().out
    with pytest.raises(CommandError, match="active_shops cannot exceed"):
        call_command("observatory", "import", str(bad), "--source", "other")
    call_command("observatory", "remove-import", "--source", "county")
    assert not ImportBatch.objects.exists()


HOSTILE = [
    ("371721121227,２０１８,1,1,1,1,,", "year must be between"),  # full-width digits
    ("371721121227,2018,٣,1,1,1,,", "online_shops must be a whole number"),  # Arabic-Indic
    ("37172112１227,2018,1,1,1,1,,", "12-digit"),
    ("371721121227,2018," + "9" * 5000 + ",1,1,1,,", "online_shops must be a whole number"),
    ("371721121227,2018,1,1,1," + "9" * 5000 + ",,", "annual_sales_yuan must be an amount"),
    ("371721121227,2018,1,1,1,1," + "1" * 5000 + ",1", "lat and lon must be decimal numbers"),
    ("371721121227,2018,-5,0,1,1,,", "online_shops must be a whole number"),
    ("371721121227,2018,5000000,1,1,1,,", "online_shops must be a whole number from 0 to"),
    ("371721121227,2018,1,1,999999999,1,,", "households must be a whole number from 0 to"),
    ("371721121227,2018,1,1,1,9999999999999,,", "up to 1,000,000,000,000"),
    ("371721121227,2018,1,1,1,1,nan,nan", "lat and lon must be decimal numbers"),
    ("371721121227,2018,1,1,1,1,1e999,1", "lat and lon must be decimal numbers"),
    ("371721121227\x00,2018,1,1,1,1,,", "control characters"),
    ("371721121227,2018,1,1,1,1,,,\x00extra", "control characters"),
]


@pytest.mark.parametrize("row, reason", HOSTILE)
def test_hostile_figures_are_row_errors_with_line_numbers_never_crashes(village, row, reason):
    # given a file whose third line is hostile
    found = problems(HEADER + GOOD.replace("2018", "2017") + row + "\n")
    # then that line is named with the reason, and nothing is stored
    assert any(p.startswith("line 3: ") and reason in p for p in found), found
    assert not ImportBatch.objects.exists() and not VillageStat.objects.exists()


def test_an_unreadable_csv_line_is_a_row_error(village):
    huge = '"' + "x" * 200_000 + '"'
    found = problems(HEADER + GOOD + f"371721121206,2018,1,1,1,{huge},,\n")
    assert any(p.startswith("line 3: ") and "not valid CSV" in p for p in found), found


def test_a_source_name_with_a_nul_is_refused_and_changes_nothing(village):
    with pytest.raises(Invalid) as info:
        import_statistics(text=HEADER + GOOD, source="county\x00", file_name="f.csv")
    assert "source" in info.value.fields and not ImportBatch.objects.exists()
    with pytest.raises(NotFound):
        remove_import(source="county\x00", year=2018)


def test_the_operator_page_shows_hostile_rows_as_messages_not_a_500(village, operator):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(operator)
    upload = SimpleUploadedFile(
        "f.csv", (HEADER + "371721121227,2018," + "9" * 5000 + ",1,1,1,,\n").encode()
    )
    page = client.post(
        "/observatory/operator/import/", {"file": upload, "source": "x"}, follow=True
    )
    assert page.status_code == 200 and "line 2: online_shops" in page.content.decode()
    assert (
        client.post("/observatory/operator/remove/", {"source": "x", "year": "²"}).status_code
        == 302
    )
    # a NUL never reaches the view: the site's refusal middleware answers 422 naming the field
    assert client.post("/observatory/operator/remove/", {"source": "x\x00"}).status_code == 422
    assert client.get("/observatory/?year=²").status_code == 200
    with pytest.raises(NotFound):
        selectors.village_designations(2018, area="37\x00")
    assert not ImportBatch.objects.exists()
