"""accounts, regions and shops never import an app above them (they offer hooks instead)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
# What each may import from the project besides itself (docs/map.md's layer order).
ALLOWED = {
    "regions": {"core"},
    "accounts": {"core"},
    "shops": {"core", "regions", "accounts"},
}


def project_imports(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "villagemarket" and len(parts) > 1:
                apps.add(parts[1])
    return apps


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_lower_layers(app):
    offenders = {}
    for path in (PACKAGE / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        # api/auth.py moves to accounts/auth.py (platform); until then api.py files import it.
        upward = project_imports(path) - ALLOWED[app] - {app, "api"}
        if upward:
            offenders[str(path.relative_to(PACKAGE))] = sorted(upward)
    assert offenders == {}
