"""The `villagemarket` command: demo, serve, worker, and every manage.py command.

villagemarket demo [--port 8000]     set up, load demo data and serve (SQLite by default)
villagemarket serve [--port 8000]    run under gunicorn (production uses this too)
villagemarket worker                 run background tasks and periodic sweeps
villagemarket <manage.py command>    e.g. migrate, load_regions, observatory, createsuperuser
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def serve(argv: list[str]) -> None:
    host, port = _option(argv, "--host", "127.0.0.1"), _option(argv, "--port", "8000")
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    args = [
        gunicorn,
        "villagemarket.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        "--access-logfile",
        "-",
        "--timeout",
        "60",
    ]
    os.execv(gunicorn, args)  # noqa: S606 - replace this process with gunicorn, args are ours


def setup_database(with_regions: bool = True) -> None:
    _manage("migrate", "--no-input", "-v", "0")
    _manage("createcachetable")
    _manage("collectstatic", "--no-input", "-v", "0")


def _option(argv: list[str], name: str, default: str) -> str:
    return argv[argv.index(name) + 1] if name in argv else default


def demo(argv: list[str]) -> None:
    host, port = _option(argv, "--host", "127.0.0.1"), _option(argv, "--port", "8000")
    # Links and payment notifications go to SITE_URL; the worker started below inherits it.
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    _django()
    setup_database()
    _manage("demo", f"--url=http://{host}:{port}/")
    # The demo needs its background worker too: sandbox payment notifications, the unpaid-order
    # timeout and auto-confirmation are tasks. Ctrl-C reaches both (same process group).
    subprocess.Popen([sys.executable, "-m", "villagemarket.cli", "worker"])  # noqa: S603
    print("Background worker started (villagemarket worker).")
    serve(argv)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command == "demo":
        demo(rest)
    elif command == "serve":
        serve(rest)
    elif command == "setup":
        _django()
        setup_database()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["villagemarket", *argv])


if __name__ == "__main__":
    main()
