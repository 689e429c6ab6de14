"""Security headers on every page, and templates that the Content-Security-Policy allows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from villagemarket.catalog.models import SKU
from villagemarket.testing import make_product

PACKAGE = Path(__file__).resolve().parents[2]

# What the policy (settings.SECURE_CSP) refuses in markup: inline handlers, style attributes,
# inline <script>/<style> without the nonce. A JSON data block (json_script) is not script.
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
UNNONCED_BLOCK = re.compile(r"<(script|style)(?![^>]*\b(src|nonce|type=\"application/json)\b)")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/signin/", "/cart/", "/observatory/"])
def test_pages_send_the_security_headers(url):
    response = Client().get(url)

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert re.search(r"script-src 'self'( 'nonce-[\w-]+')?;", csp)
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_an_inline_script_carries_the_nonce_of_its_own_response(shop_a):
    product = make_product(shop_a, options={"size": "S"})
    SKU.objects.create(product=product, options={"size": "M"}, price_minor=12900, stock=3)

    pages = [Client().get(f"/p/{product.pk}/") for _ in range(2)]

    nonces = []
    for page in pages:
        nonce = re.search(r"'nonce-([\w-]+)'", page["Content-Security-Policy"])[1]
        assert f'<script nonce="{nonce}">' in page.text
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def templates() -> list[Path]:
    return sorted(PACKAGE.glob("*/templates/**/*.html"))


def test_no_template_has_markup_the_content_security_policy_refuses():
    offenders = []
    for path in templates():
        text = COMMENT.sub("", path.read_text())
        for pattern in (INLINE_HANDLER, STYLE_ATTRIBUTE, UNNONCED_BLOCK):
            offenders += [
                f"{path.relative_to(PACKAGE)}: {m.group(0)[:60]}" for m in pattern.finditer(text)
            ]
    assert templates() and offenders == []
