#!/usr/bin/env bash
# The whole test suite. SQLite by default; set DATABASE_URL=postgres://... for PostgreSQL.
# Browser tests need Debian's Chromium: installed here when we are root, otherwise they skip and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null \
    || echo "!!> could not install chromium; browser tests will be skipped" >&2
fi
echo "==> database: ${DATABASE_URL:-sqlite (default)}"
exec .venv/bin/pytest -q "$@"
