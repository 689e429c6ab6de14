"""Screening speed: how long one screen costs with the default terms (no database: the terms
are compiled as each process does once per terms version). Prints calls/s and CPU ms per call.

    .venv/bin/python bench/moderation.py [--calls 2000]
"""

from __future__ import annotations

import argparse
import importlib
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
django.setup()

from villagemarket.moderation import rules  # noqa: E402

DEFAULTS = importlib.import_module("villagemarket.moderation.migrations.0002_default_terms")

TEXTS = {
    "title (10 chars)": "丁楼村儿童演出服 加厚",
    "description (~300 chars)": (
        "<p>丁楼村儿童演出服，小凤家自产自销，产地直发。纯棉面料，尺码齐全，七天无理由退换。</p>"
        "<p>Children's stage costume, made and shipped from Dinglou. Safe dyes, sizes 110-150.</p>"
    )
    * 2,
    "spam block (48 lines)": "\n".join(
        f"关键词{n} http://www.site{n}.com 关键词 site{n}.cn" for n in range(48)
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    started = time.process_time()
    terms = [
        (
            rules.TermSpec(i, text, is_regex, category, action),
            rules.compile_term(text, is_regex=is_regex),
        )
        for i, (text, is_regex, category, action) in enumerate(DEFAULTS.DEFAULT_TERMS)
    ]
    compile_ms = (time.process_time() - started) * 1000
    print(f"compile {len(terms)} default terms: {compile_ms:.1f} CPU ms (once per terms version)")
    limits = rules.SpamLimits()
    for name, text in TEXTS.items():
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.calls):
            held = rules.find_matches(text, terms, limits)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{name:26} {args.calls / wall:8.0f} screens/s  {cpu / args.calls * 1000:.3f} CPU ms"
            f"/screen  held={bool(held)}"
        )


if __name__ == "__main__":
    main()
