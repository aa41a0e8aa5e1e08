# The README's two commands. `.ci/run` calls `make test` on a fresh virtual environment.
PYTHON ?= python3.11
VENV ?= .venv
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
BIN := $(VENV)/bin

.PHONY: demo test install install-test browser lint test-sqlite test-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

## Install, migrate a SQLite database (hub.db), load the demo data, print credentials, serve.
demo: install
	$(BIN)/hub db upgrade
	$(BIN)/hub demo
	$(BIN)/hub serve

## Debian's Chromium for the browser tests (Playwright drives it; its own download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install-test
	$(BIN)/ruff check hub tests bench migrations

test-sqlite: install-test browser lint
	$(BIN)/python -m pytest -q

test-postgres: install-test
	@$(BIN)/python -c "import socket,sys; s=socket.socket(); s.settimeout(3); s.connect(('127.0.0.1',5432))" 2>/dev/null || \
	  { echo "PostgreSQL is not reachable at 127.0.0.1:5432; start it with: pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start" >&2; exit 1; }
	HUB_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -q

## Install and run the whole suite on SQLite, then on PostgreSQL (a fresh database each run).
test: test-sqlite test-postgres
