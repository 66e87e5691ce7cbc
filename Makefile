# Patron: `make run` serves, `make test` tests. Needs only Python 3.11 and make.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench bench-forgot clean install

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--constraint requirements.lock --editable '.[dev]'
	touch $(STAMP)

## Serve every dialect on http://127.0.0.1:8000 (embedded PostgreSQL unless PATRON_DATABASE_URL).
run: $(STAMP)
	$(BIN)/patron serve

## The whole test suite (embedded PostgreSQL unless PATRON_TEST_DATABASE_URL).
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check patron tests bench
	$(BIN)/ruff format --check patron tests bench
	$(BIN)/mypy

## Throughput of the Glue read and the Medusa admin read and lists, each against a bare
## Starlette + asyncpg baseline (BENCH_ONLY=glue|medusa|aimeos runs one).
bench: $(STAMP)
	$(BIN)/python -m bench.run

## Forgotten-password answer time, known against unknown address (no user enumeration).
bench-forgot: $(STAMP)
	$(BIN)/python -m bench.forgot_password

clean:
	rm -rf $(VENV) var
