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

bench: $(STAMP)
	$(BIN)/python bench/run.py

lock: $(UV)
	$(UV) lock

clean:
	rm -rf $(VENV) .prefect curated/* curated/.refresh.lock reports/*
