# The documented commands: `make run` and `make test` (both create .venv if needed).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
# Production switches for `make run`; the development loop (file watcher) stays the default of a plain
# `streamlit run app.py`.
ADDRESS ?= 127.0.0.1
PORT ?= 8501
SERVE_FLAGS := --server.headless true --server.fileWatcherType none --server.runOnSave false \
	--browser.gatherUsageStats false --server.address $(ADDRESS) --server.port $(PORT)

.PHONY: run test test-fast lint format bench demo clean

$(RUNTIME): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

## Start the app: imports a registry file found in data/, else uses the database, else builds the demo
run: $(RUNTIME)
	$(PY) -m exonerations prepare
	$(PY) -m streamlit run app.py $(SERVE_FLAGS)

## The whole suite: lint, format check, every test (browser tests skip with a message without Chromium)
test: $(DEV) lint
	$(PY) -m pytest -n 2 --dist loadfile

## Everything but the browser and slow tests
test-fast: $(DEV)
	$(PY) -m pytest -n 2 --dist loadfile -m "not browser and not slow"

lint: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(DEV)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## Print the performance table (and write docs/performance.md)
bench: $(DEV)
	$(PY) -m bench

demo: $(RUNTIME)
	$(PY) -m exonerations demo

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
