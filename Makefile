# gradfacts: two commands do all set-up on a machine with only python3 and make.
#   make refresh   bootstrap .venv from uv.lock, then run the refresh flow on raw/
#   make test      bootstrap .venv (with dev extras), then run the test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
BIN := $(VENV)/bin
STAMP := $(VENV)/.synced

# Keep Prefect's state and every telemetry switch inside the project.
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 180
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: refresh test bench lock clean help

help:
	@echo "make refresh  - set up .venv from uv.lock and run 'gradfacts refresh' on raw/"
	@echo "make test     - set up .venv and run the tests (pytest)"
	@echo "make bench    - run the benchmarks in bench/ and write bench/RESULTS.md"
	@echo "make lock     - re-resolve uv.lock after editing pyproject.toml"
	@echo "make clean    - remove .venv, Prefect state, publications and reports"

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(STAMP): $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --extra dev --compile-bytecode --quiet
	@touch $(STAMP)

refresh: $(STAMP)
	$(BIN)/gradfacts refresh

test: $(STAMP)
	$(BIN)/python -m pytest -q

# make bench: the full issue-12 set (corpora of 100, 1,000 and 10,000 documents, 1 MB and 4 MB pages; ~30-60 min).
# Quick check: make bench BENCH_SIZES=100,1000 BENCH_PAGES=small BENCH_REPEAT=1
BENCH_SIZES ?= 100,1000,10000
BENCH_PAGES ?= full
BENCH_REPEAT ?= 3
bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES) --pages $(BENCH_PAGES) --repeat $(BENCH_REPEAT)

lock: $(UV)
	$(UV) lock

clean:
	rm -rf $(VENV) .prefect curated/* curated/.refresh.lock reports/*
