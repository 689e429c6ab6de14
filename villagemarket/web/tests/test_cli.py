"""The `villagemarket` command: --help everywhere prints help and does nothing else; the demo
serves without DEBUG and prints its logins again once the site is up, with a quiet worker
unless --verbose; static files compressed with long cache lifetimes."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client

from villagemarket import cli


@pytest.fixture
def no_effects(monkeypatch):
    """Any attempt to touch the database, start a process or exec gunicorn fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError(f"--help did something: {args!r}")

    monkeypatch.setattr(cli, "setup_database", forbidden)
    monkeypatch.setattr(cli, "_manage", forbidden)
    monkeypatch.setattr(cli, "_django", forbidden)
    monkeypatch.setattr(cli.subprocess, "Popen", forbidden)
    monkeypatch.setattr(cli.os, "execv", forbidden)


def test_villagemarket_help_lists_the_commands(no_effects, capsys):
    cli.main(["--help"])

    out = capsys.readouterr().out
    for command in ("demo", "serve", "setup", "worker"):
        assert f"villagemarket {command}" in out


@pytest.mark.parametrize("command", ["demo", "serve", "setup"])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_subcommand_help_prints_help_and_does_nothing_else(no_effects, capsys, command, flag):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, flag])

    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: villagemarket {command}" in out
    if command != "setup":
        assert "--port" in out


def test_demo_help_says_how_to_choose_the_port(no_effects, capsys):
    with pytest.raises(SystemExit):
        cli.main(["demo", "--help"])

    assert "--port PORT" in capsys.readouterr().out


@pytest.mark.django_db
def test_worker_help_prints_help_and_runs_no_task(capsys, monkeypatch):
    monkeypatch.setattr(
        "villagemarket.worker.management.commands.worker.enqueue_periodic",
        lambda: pytest.fail("the worker ran"),
    )
    with pytest.raises(SystemExit) as exit_:
        cli.main(["worker", "--help"])

    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--once" in out and "--verbosity" in out


def test_a_bad_port_is_a_clear_error_not_a_crash(no_effects, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["demo", "--port", "eighty"])

    assert exit_.value.code == 2
    assert "--port: invalid int value" in capsys.readouterr().err


def test_demo_serves_without_debug_and_prints_the_logins_when_up(monkeypatch, capsys):
    # given a demo whose set-up steps and child processes are stand-ins
    started: list[list[str]] = []

    class FakeProcess:
        def __init__(self, args, *a, **kw):
            started.append(list(args))

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

        def terminate(self):
            pass

    for name in ("_django", "setup_database"):
        monkeypatch.setattr(cli, name, lambda *a, **k: None)
    monkeypatch.setattr(cli, "_manage", lambda *a: started.append(["manage", *a]))
    monkeypatch.setattr(cli.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(cli, "_wait_until_serving", lambda *a, **k: True)
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("SITE_URL", raising=False)

    # when the demo runs on another port
    cli.main(["demo", "--port", "8123", "--skip", "observatory"])

    # then DEBUG is off, the worker is quiet, gunicorn listens there and the logins come last
    assert os.environ["DEBUG"] == "0"
    assert ["manage", "demo", "--url=http://127.0.0.1:8123/", "--skip=observatory"] in started
    worker = next(args for args in started if "worker" in args)
    assert "-v" not in worker
    gunicorn = next(args for args in started if "villagemarket.config.wsgi:application" in args)
    assert "127.0.0.1:8123" in gunicorn and "--reload" not in gunicorn
    assert "--access-logfile" not in gunicorn
    out = capsys.readouterr().out.strip().splitlines()
    assert "buyer@demo.villagemarket" in "\n".join(out[-6:])
    assert "operator@demo.villagemarket" in "\n".join(out[-6:])
    os.environ.pop("DEBUG")
    os.environ.pop("SITE_URL", None)


@pytest.mark.django_db
def test_htmx_and_css_are_served_compressed_with_long_cache_lifetimes(settings, tmp_path):
    # given static files collected the way `villagemarket setup` does
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--no-input", "-v", "0")
    from django.contrib.staticfiles.storage import staticfiles_storage

    for name in ("django_htmx/htmx-2.min.js", "web/site.css"):
        url = staticfiles_storage.url(name)
        assert url != f"/static/{name}"  # hashed name

        # when a phone asks for it
        response = Client().get(url, headers={"accept-encoding": "gzip"})

        # then it comes gzipped and cacheable for a year or more
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        cache = response["Cache-Control"]
        assert "immutable" in cache
        assert int(cache.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
        response.close()


class _Running:
    def poll(self):
        return None


@pytest.mark.django_db(transaction=True)
def test_the_demo_waits_for_an_answer_before_printing_the_logins(live_server):
    from urllib.parse import urlsplit

    address = urlsplit(live_server.url)

    assert cli._wait_until_serving(address.hostname, address.port, _Running(), seconds=10)


def test_no_answer_means_no_logins_printed():
    import socket

    with socket.socket() as spare:  # a port nobody listens on
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]

    assert not cli._wait_until_serving("127.0.0.1", port, _Running(), seconds=1)
