# The two commands: `make demo` (set up and serve with demo data on SQLite) and `make test`.
.PHONY: demo test lint setup regions messages
demo:  # make demo PORT=8080 HOST=0.0.0.0 to choose where it listens
	./scripts/demo.sh $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))
test:
	./scripts/test.sh
lint:
	./scripts/bootstrap.sh && .venv/bin/ruff check villagemarket bench && .venv/bin/ruff format --check villagemarket bench
setup:
	./scripts/bootstrap.sh
messages:  # refresh the zh-Hans catalogue, merge pending-*.po, compile; lists what is left to translate
	./scripts/messages.sh
