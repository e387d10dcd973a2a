# Fagnett. `make run` sets up and serves the demo; `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Development settings for the local targets; production reads its own environment (docs/operations.md).
DEV := DEBUG=1
# Set to postgres://user:pass@host:port/db to run the suite on PostgreSQL as well as SQLite.
TEST_DATABASE_URL ?=

.PHONY: deps translations setup run test lint types pytest pytest-postgres bench messages clean

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(BIN)/.installed
	@$(DEV) $(BIN)/python manage.py compile_translations

deps: $(BIN)/.installed node_modules/.installed translations

setup: deps
	$(DEV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEV) $(BIN)/python manage.py load_demo

run: setup
	@echo "Fagnett: http://127.0.0.1:$(PORT)/"
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(BIN)/.installed
	$(DEV) $(BIN)/mypy src tests bench

# Two processes (pytest-xdist): the suite takes about half as long on the two-core reference machine.
pytest: deps
	$(BIN)/pytest -n 2

pytest-postgres: deps
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
		echo "Running the suite on PostgreSQL (TEST_DATABASE_URL)"; \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -n 2 -m "not browser" -p no:cacheprovider; \
	else \
		echo "PostgreSQL skipped: set TEST_DATABASE_URL=postgres://… to run the suite on PostgreSQL too."; \
	fi

test: lint types pytest pytest-postgres

bench: setup
	$(DEV) $(BIN)/python -m bench

# Extract strings (needs GNU gettext) into the catalogues; translate them, then `make translations`.
messages: $(BIN)/.installed
	cd src/fagnett && $(DEV) ../../$(BIN)/django-admin makemessages -l nb --no-location --no-obsolete \
		--settings=fagnett.settings --pythonpath=..

clean:
	rm -rf $(VENV) node_modules var
