#!/usr/bin/env bash
# One command: create .venv, migrate, fetch the region data package, build the demo data, serve on :8000.
# Options go to `villagemarket demo` (see --help): ./scripts/demo.sh --port 8080 --host 0.0.0.0
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
exec .venv/bin/villagemarket demo "$@"
