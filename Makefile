# Cluster Match — the README names these targets.
#   make run    set up .venv, create var/matcher.db, load the demo programme once, serve the API
#   make test   set up .venv, run the whole test suite (SQLite, and PostgreSQL when reachable)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export MATCHER_EMBEDDING_THREADS ?= 1

# Use the local PostgreSQL server for the database suites when it answers and nothing else is set.
ifeq ($(origin MATCHER_TEST_POSTGRES_URL), undefined)
  ifeq ($(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo yes),yes)
    export MATCHER_TEST_POSTGRES_URL := postgresql://postgres@127.0.0.1:5432/test
  endif
endif

.PHONY: install run test lint typecheck bench demo clean

install: $(STAMP)

# torch first, from the CPU build on disk: a plain `pip install sentence-transformers` would pull a CUDA build.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,ann]'
	touch $(STAMP)

demo: install
	$(BIN)/matcher demo-data --if-empty

run: demo
	$(BIN)/matcher serve

# One test process per core, at most 4 (pytest-xdist); each gets its own PostgreSQL schema and temp dirs. TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -q -n $(TEST_WORKERS) --maxprocesses=4

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports --no-logo

typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/bench_encode.py
	$(BIN)/python benchmarks/bench_search.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_serving.py --challenges 200 --others 2 --duration 60 --baseline-duration 15
	$(BIN)/python benchmarks/bench_cold_start.py --repo . --clone $$(mktemp -d)/cold-start

# Debian's Chromium for the browser tests (tests/ui) and the screenshots; Playwright drives /usr/bin/chromium.
.PHONY: chromium screenshots
chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

screenshots: install chromium
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
