"""The apps depend on each other in one direction (docs/map.md): a lower app never imports a
higher one, by an import statement or by a string naming its model ("orders.ShopOrder",
apps.get_model("orders", ...)) or module ("villagemarket.orders.services").

Application code only: tests, migrations and the test helpers package may reach across.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # villagemarket/

# Layer of each app, bottom first. Apps on one layer may use each other (none does today).
LAYERS = [
    ["core"],
    ["regions", "accounts", "moderation"],
    ["shops"],
    ["catalog", "ledger"],
    ["shipping", "cart", "payments", "imports", "promotions"],
    ["orders"],
    ["observatory", "finance", "reviews", "messaging", "logistics", "tracking"],
    ["search", "notifications", "antifraud", "insights"],
    ["web"],
    [
        "api",
        "config",
        "cli",
        "worker",
    ],  # worker: the task runner, finds tasks through the app registry
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
# Never imported by application code at all.
TEST_ONLY = {"testing"}

# Dependencies that point the wrong way. Empty: a lower app that needs a higher one offers a hook.
KNOWN_UPWARD: set[tuple[str, str]] = set()  # must stay empty: use a hook or call down

MODEL_REF = re.compile(r"^(?P<app>[a-z_]+)\.[A-Z]\w*$")
MODULE_REF = re.compile(r"^villagemarket\.(?P<app>[a-z_]+)(\.|$)")


def app_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def application_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1 and parts[0] != "cli.py":
            continue  # villagemarket/__init__.py
        if {"tests", "migrations"} & set(parts) or parts[0] in TEST_ONLY:
            continue
        yield path


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    base = package[: len(package) - node.level]
    return ".".join(base + ([node.module] if node.module else []))


def referenced_apps(path: Path):
    """(app, how) for every other app this module names, by import or by string."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(path, node)
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        for name in names:
            match = MODULE_REF.match(name)
            if match:
                yield match["app"], f"line {node.lineno}: import {name}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for pattern in (MODEL_REF, MODULE_REF):
                match = pattern.match(node.value)
                if match and match["app"] in RANK | dict.fromkeys(TEST_ONLY):
                    yield match["app"], f"line {node.lineno}: {node.value!r}"
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value.split(".")[0], f"line {node.lineno}: get_model"


def upward_references():
    found = []
    for path in application_modules():
        app = app_of(path)
        assert app in RANK, f"{app} (in {path}) has no layer: add it to LAYERS and docs/map.md"
        for other, how in referenced_apps(path):
            if other in TEST_ONLY or (other in RANK and RANK[other] > RANK[app]):
                found.append((app, other, f"{path.relative_to(PACKAGE)} {how}"))
    return found


def test_no_app_imports_a_higher_one():
    wrong = [
        f"{app} -> {other}: {where}"
        for app, other, where in upward_references()
        if (app, other) not in KNOWN_UPWARD
    ]
    assert not wrong, "a lower app names a higher one:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from villagemarket.orders.models import ShopOrder", "orders"),
        ("import villagemarket.web.views", "web"),
        ("from ..search import selectors", "search"),
        ("x = models.ForeignKey('orders.ShopOrder', on_delete=None)", "orders"),
        ("apps.get_model('observatory', 'ShopDailySales')", "observatory"),
        ("import_module('villagemarket.web.context')", "web"),
    ],
)
def test_the_check_sees_imports_relative_imports_and_string_references(
    tmp_path, source, expected, monkeypatch
):
    # given a module in core that names a higher app
    module = PACKAGE / "core" / "_layer_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    # then the check reports it
    assert expected in {app for app, _how in referenced_apps(module)}
