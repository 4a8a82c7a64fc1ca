# civhub: `make run` serves the demo site on SQLite; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes (pytest-xdist); the suite's databases are per process.
JOBS ?= 2
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/civhub
# `make run` is a local, plain-HTTP server; production sets these for itself (docs/operations.md).
RUN_ENV := CIVHUB_HTTPS=0 DEBUG=0

.PHONY: run test venv dev lint check test-sqlite test-postgres bench messages clean

$(BIN)/civhub: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

venv: $(BIN)/civhub

$(VENV)/.dev: $(BIN)/civhub
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

dev: $(VENV)/.dev

run: venv
	$(RUN_ENV) $(BIN)/civhub migrate --noinput
	@# The demo's vectors are made here, before serving (CIVHUB_TASKS_IMMEDIATE: in this
	@# process, not the worker's), so that search is complete when the site answers.
	$(RUN_ENV) CIVHUB_TASKS_IMMEDIATE=1 $(BIN)/civhub demo --if-empty
	$(RUN_ENV) $(BIN)/civhub collectstatic --noinput --verbosity 0
	@echo "civhub is serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	@# The background worker (search vectors) runs beside the web server and stops with it.
	@# Two processes of four threads each on 2 cores: the load benchmark's best throughput for
	@# the least memory (docs/benchmarks.md, "Load").
	$(RUN_ENV) $(BIN)/civhub run_huey & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/gunicorn civhub.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile -

# Style, types and layers (README.md, "Contributing"). mypy reads its settings (the files it
# checks, the strictness of each module) from pyproject.toml; its cache is .mypy_cache/.
lint: dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	@# The layers between the apps (docs/layers.md); the contracts are in pyproject.toml.
	$(BIN)/lint-imports
	$(BIN)/mypy

check: dev
	$(BIN)/civhub check --fail-level WARNING
	$(BIN)/civhub makemigrations --check --dry-run

test-sqlite: dev
	$(BIN)/pytest -q -n $(JOBS)

test-postgres: dev
	@# Probe the server through its maintenance database: the tests create their own.
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', dbname='postgres', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -n $(JOBS); \
	elif [ "$(CIVHUB_REQUIRE_POSTGRES)" = "1" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL) and CIVHUB_REQUIRE_POSTGRES=1"; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL): PostgreSQL run skipped."; \
	fi

test: lint check test-sqlite test-postgres

# Search latency, memory and relevance (benchmarks/, results in docs/benchmarks.md): SQLite and
# PostgreSQL at 10,000 and 100,000 documents, in databases of its own under var/bench/ and
# civhub_bench_* on PG_TEST_URL's server. BENCH_SIZES=1000,10000 for a quick run.
bench: dev
	BENCH_PG_URL=$(dir $(PG_TEST_URL)) $(BIN)/python -m benchmarks

# Refresh the translation catalogues after changing interface strings (needs GNU gettext).
messages: dev
	cd src/civhub && ../../$(BIN)/civhub makemessages -l ru -l kk --no-obsolete --ignore "tests/*"
	cd src/civhub && ../../$(BIN)/civhub compilemessages

clean:
	rm -rf $(VENV) var/static
