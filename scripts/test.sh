#!/usr/bin/env bash
# The whole test suite. SQLite by default; set DATABASE_URL=postgres://... for PostgreSQL.
# Browser tests need Debian's Chromium, the translation check Debian's gettext (xgettext, msgfmt): installed here
# when we are root, otherwise those tests skip and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null \
    || echo "!!> could not install chromium; browser tests will be skipped" >&2
fi
if ! command -v xgettext >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing Debian's gettext for the translation check"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null \
    || echo "!!> could not install gettext; the translation check will be skipped" >&2
fi
echo "==> database: ${DATABASE_URL:-sqlite (default)}"
exec .venv/bin/pytest -q "$@"
