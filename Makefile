# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint typecheck unit unit-search bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/alembic upgrade head
	$(BIN)/archive ingest seeds/
	$(BIN)/archive serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy app

unit: install-dev
	$(BIN)/pytest

test: lint typecheck unit

# Every search test again with the postgres search engine, which needs the PostgreSQL
# server ARCHIVE_TEST_DATABASE_URL names; the tests of Whoosh's own workings are left out.
SEARCH_TESTS := tests/search tests/web tests/ingest tests/test_search_backend.py tests/test_cli_stats.py
unit-search: install-dev
	ARCHIVE_TEST_SEARCH_BACKEND=postgres $(BIN)/pytest -m "not whoosh" $(SEARCH_TESTS)

# bench.run writes the report last, so its first line can say how long all of it took.
bench: install-dev
	export BENCH_STARTED=$$(date +%s) && $(BIN)/python -m bench.ingest_ab && \
		$(BIN)/python -m bench.suggest && $(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) data test-artifacts .pytest_cache .mypy_cache .ruff_cache
