"""The import pages on a 390 px phone in both languages, and the job page's progress updating
in place while the worker runs the import."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from villagemarket.imports import services
from villagemarket.imports.models import ImportJob
from villagemarket.testing import make_product
from villagemarket.testing.browser import launch_chromium
from villagemarket.web.tests.test_browser_phone import PHONE, check_pages, session_of

from .helpers import csv_content, new_product_rows

LONG = "曹县丁楼村手工刺绣儿童演出服套装加厚款（含头饰、腰带、披风）适合六一节目表演"


def run_worker(job_id: int) -> None:
    try:
        services.run_import(job_id)
    finally:
        connection.close()


@pytest.fixture
def jobs(alice, shop_a):
    make_product(shop_a, title=LONG)
    done = services.start_import(
        alice, shop_a, filename=f"{LONG}.csv", content=csv_content(new_product_rows(title=LONG))
    )
    rows = new_product_rows(ref="b")
    rows[0]["price"] = "一百二十三块四毛五分" * 3
    rows[1]["category"] = "no-such-category-" + "x" * 60
    failed = services.start_import(alice, shop_a, filename="bad.csv", content=csv_content(rows))
    queued = ImportJob.objects.create(
        shop=shop_a,
        created_by=alice,
        filename="big.csv",
        file_format="csv",
        content=csv_content(new_product_rows(ref="c")),
        total_rows=2,
    )
    return {"done": done, "failed": failed, "queued": queued}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_import_pages_fit_a_phone(live_server, alice, shop_a, jobs, language):
    slug = shop_a.slug
    pages = {
        "seller-imports": f"/seller/imports/{slug}/",
        **{f"seller-import-{k}": f"/seller/imports/{slug}/jobs/{j.pk}/" for k, j in jobs.items()},
    }
    problems = check_pages(live_server, session_of(alice), pages, language)
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_job_page_follows_the_worker_in_place(live_server, alice, shop_a, jobs):
    from playwright.sync_api import sync_playwright

    job = jobs["queued"]
    session = session_of(alice)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport=PHONE)
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/seller/imports/{shop_a.slug}/jobs/{job.pk}/")
        assert page.locator("#import-progress").get_attribute("data-status") == "queued"
        page.evaluate("window.notReloaded = true")
        # when the worker runs the job (in a thread: Playwright's loop owns this one)
        worker = threading.Thread(target=run_worker, args=(job.pk,))
        worker.start()
        worker.join()
        # then the progress block is replaced in place (no reload) with the result
        page.wait_for_selector("#import-progress[data-status=done]", timeout=15_000)
        assert page.evaluate("window.notReloaded") is True
        assert page.locator("progress").get_attribute("value") == "100"
        browser.close()
