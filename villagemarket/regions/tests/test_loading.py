"""Loading the division tree from package-format CSVs: counts, flags, idempotence, options."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from villagemarket.regions.models import Region
from villagemarket.regions.services import load_demo_regions, load_regions
from villagemarket.regions.sources import SourceError


def counts_per_level():
    return {lvl: Region.objects.filter(level=lvl).count() for lvl in range(1, 6)}


def test_default_load_has_levels_one_to_four_and_no_villages(db, package_dir):
    result = load_regions(package_dir)

    assert result.counts == {1: 4, 2: 4, 3: 6, 4: 10}
    assert counts_per_level() == {1: 4, 2: 4, 3: 6, 4: 10, 5: 0}


def test_villages_load_with_short_names_flags_and_parents(loaded):
    dinglou = Region.objects.get(code="371721121227")
    assert dinglou.short_name == "丁楼村"
    assert dinglou.is_rural is True
    assert dinglou.parent_id == "371721121"
    assert dinglou.county_code == "371721"
    assert dinglou.name_pinyin == "dingloucun"
    community = Region.objects.get(code="371721121001")
    assert (community.short_name, community.is_rural) == ("大集社区", False)
    assert Region.objects.get(code="419001001002").is_rural is False  # 西留村居民委员会
    assert counts_per_level()[5] == 15


def test_township_kinds_are_derived(loaded):
    kinds = dict(Region.objects.filter(level=4).values_list("code", "township_kind"))
    assert kinds["371721001"] == "subdistrict"
    assert kinds["371721121"] == "town"
    assert kinds["371721205"] == "township"
    assert kinds["371721450"] == "other"
    assert kinds["371721130"] == "town"


def test_statistics_only_units_and_their_descendants_are_flagged(loaded):
    flagged = set(Region.objects.filter(is_statistical=True).values_list("code", flat=True))
    assert flagged == {"371771", "371771001", "371771001001"}


def test_quirks_of_the_data_municipalities_and_direct_county_level_cities(loaded):
    beijing_districts = Region.objects.get(code="1101")
    assert (beijing_districts.name, beijing_districts.short_name) == ("市辖区", "北京市辖区")
    jiyuan = Region.objects.get(code="419001")
    assert jiyuan.parent.short_name == "河南省直辖县级单位"
    # Dongguan has no counties: NBS gives it a county-level copy of itself (441900).
    assert Region.objects.get(code="441900003").parent.parent_id == "4419"


def test_loading_twice_keeps_the_same_rows(loaded, package_dir):
    before = list(Region.objects.order_by("code").values())

    again = load_regions(package_dir, levels=(1, 2, 3, 4, 5))

    assert again.counts == loaded.counts
    assert list(Region.objects.order_by("code").values()) == before


def test_a_changed_name_updates_but_operator_data_survives_a_reload(loaded, package_dir, tmp_path):
    # given an operator's households, coordinates, feature flag and rural class
    Region.objects.filter(code="371721121227").update(
        households=370, latitude=34.6, longitude=115.6, is_featured=True
    )
    Region.objects.filter(code="371721121300").update(
        is_rural=False, imported_at="2026-01-01T00:00Z"
    )
    # and a new edition of the data that renames 丁楼
    source = tmp_path / "edition2"
    shutil.copytree(package_dir, source)
    villages = source / "villages.csv"
    villages.write_text(villages.read_text().replace("丁楼村民委员会", "丁楼新村民委员会"))

    # when the package is loaded again
    load_regions(source, levels=(1, 2, 3, 4, 5))

    # then the name follows the data and the operator's facts are kept
    dinglou = Region.objects.get(code="371721121227")
    assert dinglou.short_name == "丁楼新村"
    assert (dinglou.households, dinglou.latitude, dinglou.longitude) == (370, 34.6, 115.6)
    assert dinglou.is_featured is True
    assert Region.objects.get(code="371721121300").is_rural is False


def test_provinces_option_limits_every_level(db, package_dir):
    load_regions(package_dir, levels=(1, 2, 3, 4, 5), provinces=["37"])

    assert set(Region.objects.values_list("province_code", flat=True)) == {"37"}
    assert Region.objects.filter(level=5).count() == 12


def test_village_counties_adds_only_those_villages(db, package_dir):
    load_regions(package_dir, village_counties=["371771"])

    assert counts_per_level() == {1: 4, 2: 4, 3: 6, 4: 10, 5: 1}


def test_villages_without_their_townships_are_refused_and_nothing_changes(db, package_dir):
    with pytest.raises(SourceError, match="not loaded"):
        load_regions(package_dir, levels=(5,))
    assert Region.objects.count() == 0


def test_a_missing_source_file_is_named(db, tmp_path, package_dir):
    shutil.copy(package_dir / "provinces.csv", tmp_path / "provinces.csv")
    with pytest.raises(SourceError, match="cities.csv"):
        load_regions(tmp_path)


def test_a_malformed_row_is_refused_and_nothing_changes(db, tmp_path, package_dir):
    shutil.copytree(package_dir, tmp_path / "bad")
    (tmp_path / "bad" / "areas.csv").write_text(
        'code,name,cityCode,provinceCode\n37172,"曹",3717,37\n'
    )
    with pytest.raises(SourceError, match="6-digit"):
        load_regions(tmp_path / "bad")
    assert Region.objects.count() == 0


def test_demo_regions_are_levels_one_to_four_plus_the_demo_counties_villages(db, package_dir):
    result = load_demo_regions(["371721"], progress=False, source=package_dir)

    assert result.counts[5] == 11
    assert counts_per_level()[4] == 10
    load_demo_regions(["371721"], progress=False, source=package_dir)
    assert counts_per_level()[5] == 11


def test_command_reads_a_source_folder(db, package_dir, capsys):
    call_command("load_regions", "--source", str(package_dir), "--villages", "--no-progress")

    assert counts_per_level() == {1: 4, 2: 4, 3: 6, 4: 10, 5: 15}
    assert "15 villages" in capsys.readouterr().out


def test_command_village_counties_and_provinces(db, package_dir):
    call_command(
        "load_regions",
        "--source",
        str(package_dir),
        "--provinces",
        "37,44",
        "--village-counties",
        "371721,441900",
        "--no-progress",
    )
    assert counts_per_level() == {1: 2, 2: 2, 3: 4, 4: 8, 5: 12}


@pytest.mark.parametrize(
    "args",
    [
        ["--levels", "9"],
        ["--provinces", "3"],
        ["--village-counties", "37172x"],
        ["--source", "/nope"],
    ],
)
def test_command_refuses_bad_options_clearly(db, package_dir, args):
    if "--source" not in args:
        args = [*args, "--source", str(package_dir)]
    with pytest.raises(CommandError):
        call_command("load_regions", *args, "--no-progress")
    assert Region.objects.count() == 0
