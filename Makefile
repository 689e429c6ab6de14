# The two commands: `make demo` (set up and serve with demo data on SQLite) and `make test`.
.PHONY: demo test lint setup regions
demo:
	./scripts/demo.sh
test:
	./scripts/test.sh
lint:
	./scripts/bootstrap.sh && .venv/bin/ruff check villagemarket bench && .venv/bin/ruff format --check villagemarket bench
setup:
	./scripts/bootstrap.sh
