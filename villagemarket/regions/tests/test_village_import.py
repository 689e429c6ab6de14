"""Operators' village CSV: every bad row reported, all or nothing, re-import updates."""

import io

import pytest
from django.core.management import CommandError, call_command

from villagemarket.regions.models import Region
from villagemarket.regions.services import import_villages

HEADER = "code,name,township_code,households,is_rural,lat,lon\n"


def csv_file(body: str, *, bom: bool = False) -> io.BytesIO:
    return io.BytesIO((("\ufeff" if bom else "") + HEADER + body).encode("utf-8"))


def snapshot():
    return list(Region.objects.order_by("code").values())


def test_new_and_existing_villages_are_imported(loaded):
    result = import_villages(
        csv_file(
            "371721121227,丁楼村民委员会,371721121,370,true,34.63,115.66\n"
            "371721121999,新建村民委员会,371721121,,是,,\n"
        )
    )

    assert (result.ok, result.created, result.updated) == (True, 1, 1)
    dinglou = Region.objects.get(code="371721121227")
    assert (dinglou.households, dinglou.latitude, dinglou.longitude) == (370, 34.63, 115.66)
    new = Region.objects.get(code="371721121999")
    assert (new.short_name, new.level, new.parent_id, new.is_rural) == (
        "新建村",
        5,
        "371721121",
        True,
    )
    assert new.county_code == "371721" and new.imported_at is not None


def test_reimporting_updates_the_same_villages(loaded):
    import_villages(csv_file("371721121999,新建村民委员会,371721121,10,yes,,\n"))

    result = import_villages(csv_file("371721121999,新建村民委员会,371721121,12,no,34.1,115.2\n"))

    assert (result.created, result.updated) == (0, 1)
    village = Region.objects.get(code="371721121999")
    assert (village.households, village.is_rural, village.latitude) == (12, False, 34.1)


def test_blank_cells_keep_what_is_known(loaded):
    import_villages(csv_file("371721121227,丁楼村民委员会,371721121,370,,34.6,115.6\n"))
    import_villages(csv_file("371721121227,丁楼村民委员会,371721121,,,,\n"))

    dinglou = Region.objects.get(code="371721121227")
    assert (dinglou.households, dinglou.is_rural, dinglou.latitude) == (370, True, 34.6)


def test_utf8_with_bom_is_accepted(loaded):
    assert import_villages(csv_file("371721121227,丁楼村民委员会,371721121,1,1,,\n", bom=True)).ok


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("37172112122,丁楼,371721121,1,true,,", "code", "12 digits"),
        ("37172112122x,丁楼,371721121,1,true,,", "code", "12 digits"),
        ("371721122227,丁楼,371721121,1,true,,", "code", "start with the township code"),
        ("371721999227,丁楼,371721999,1,true,,", "township_code", "does not exist"),
        ("371721121227, ,371721121,1,true,,", "name", "blank"),
        ("371721121227,丁楼,371721121,-3,true,,", "households", "whole number"),
        ("371721121227,丁楼,371721121,2.5,true,,", "households", "whole number"),
        ("371721121227,丁楼,371721121,1,maybe,,", "is_rural", "true/false"),
        ("371721121227,丁楼,371721121,1,true,34.6,", "lat", "both"),
        ("371721121227,丁楼,371721121,1,true,95,115", "lat", "between"),
        ("371721121227,丁楼,371721121,1,true,34,200", "lon", "between"),
        ("371721121227,丁楼,371721121,1,true,north,115", "lat", "number"),
    ],
)
def test_each_bad_row_reason_is_reported_and_nothing_is_imported(loaded, row, field, reason):
    before = snapshot()

    result = import_villages(
        csv_file("371721121998,好村民委员会,371721121,5,true,,\n" + row + "\n")
    )

    assert not result.ok
    assert [(e.row, e.field) for e in result.errors] == [(3, field)]
    assert reason in result.errors[0].reason
    assert snapshot() == before


def test_a_township_code_that_is_not_a_township_is_refused(loaded):
    # 9 digits that name an existing region of another level cannot exist, so plant one
    Region.objects.filter(code="371721121").update(level=3)
    result = import_villages(csv_file("371721121998,好村民委员会,371721121,5,true,,\n"))
    assert "not a township" in result.errors[0].reason


def test_all_bad_rows_are_reported_at_once_with_duplicates(loaded):
    before = snapshot()
    result = import_villages(
        csv_file(
            "371721121998,好村民委员会,371721121,5,true,,\n"
            "bad,,371721121,x,y,,\n"
            "371721121998,重复村民委员会,371721121,5,true,,\n"
        )
    )

    reported = {(e.row, e.field) for e in result.errors}
    assert {(3, "code"), (3, "name"), (3, "households"), (3, "is_rural"), (4, "code")} <= reported
    assert any("duplicates row 2" in e.reason for e in result.errors)
    assert snapshot() == before


@pytest.mark.parametrize(
    "content",
    [
        b"code,name\n371721121227,x\n",
        b"",
        "371721121227,丁楼".encode("gbk"),
        (HEADER + "371721121227,丁楼村民委员会,371721121,1,1,,,extra\n").encode(),
        HEADER.encode(),
    ],
)
def test_a_bad_file_is_refused_whole(loaded, content):
    before = snapshot()
    result = import_villages(io.BytesIO(content))
    assert not result.ok and result.errors[0].reason
    assert snapshot() == before


def test_command_prints_errors_and_fails(loaded, tmp_path, capsys):
    path = tmp_path / "villages.csv"
    path.write_text(HEADER + "371721121227,,371721121,1,true,,\n", encoding="utf-8")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_villages", str(path))
    assert "row 2, name" in capsys.readouterr().err


def test_command_exit_status_is_1_on_errors(loaded, tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text(HEADER + "x,,,,,,\n", encoding="utf-8")
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_villages", str(path)]).execute()
    assert exit_info.value.code == 1


def test_command_imports_a_good_file(loaded, tmp_path, capsys):
    path = tmp_path / "villages.csv"
    path.write_text(HEADER + "371721121227,丁楼村民委员会,371721121,370,true,,\n", encoding="utf-8")

    call_command("import_villages", str(path))

    assert "0 created, 1 updated" in capsys.readouterr().out
    assert Region.objects.get(code="371721121227").households == 370


# --- hostile files: every odd value is a row error, never a crash ----------------------------


GOOD = "371721121227,丁楼村民委员会,371721121,370,true,34.63,115.66"


def row_with(**cells) -> str:
    values = dict(zip(HEADER.strip().split(","), GOOD.split(","), strict=True))
    values.update(cells)
    return ",".join(values.values()) + "\n"


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"households": "٣٧٠"}, "households"),  # Arabic-Indic digits
        ({"households": "３７０"}, "households"),  # full-width digits
        ({"households": "²"}, "households"),  # a superscript isdigit() accepts, int() does not
        ({"households": "9" * 5000}, "households"),  # int() refuses past 4,300 digits
        ({"households": "2147483648"}, "households"),  # past the database column
        ({"households": "100001"}, "households"),  # an absurd count
        ({"households": "1_000"}, "households"),
        ({"code": "３７１７２１１２１２２７"}, "code"),
        ({"code": "3" * 5000}, "code"),
        ({"township_code": "３７１７２１１２１"}, "township_code"),
        ({"lat": "３４.６"}, "lat"),
        ({"lat": "1" * 5000}, "lat"),
        ({"lat": "nan"}, "lat"),
        ({"lat": "1e1"}, "lat"),
        ({"name": "丁楼\x00村"}, "name"),
        ({"households": "37\x000"}, "households"),
        ({"name": "\u200b\u3000\u2800"}, "name"),  # only invisible characters
    ],
)
def test_odd_values_are_row_errors_and_import_nothing(loaded, cells, field):
    before = snapshot()

    result = import_villages(csv_file(row_with(**cells)))

    assert not result.ok
    assert (result.errors[0].row, result.errors[0].field) == (2, field)
    assert snapshot() == before


def test_a_cell_past_the_csv_field_limit_is_a_file_error(loaded):
    result = import_villages(csv_file(row_with(name="村" * 200_000)))
    assert not result.ok and result.errors[0].field == "file"


def test_a_file_of_garbage_stops_after_max_errors(loaded):
    from villagemarket.regions.village_csv import MAX_ERRORS

    result = import_villages(csv_file("x,y,z,,,,\n" * 50_000))

    assert len(result.errors) <= MAX_ERRORS + 3
    assert result.errors[-1].field == "file"
