# The documented commands: `make run` and `make test` (both create .venv from requirements.txt).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test test-fast lint bench demo clean

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

## Start the app (imports a registry file found in data/, else uses the database, else the demo)
run: $(STAMP)
	$(PY) -m exonerations prepare
	$(PY) -m streamlit run serve.py --server.port $(PORT)

## Run the whole test suite (browser tests skip with a message where Chromium is missing)
test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 --dist loadfile

## Everything but the browser tests
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser"

lint: $(STAMP)
	$(PY) -m ruff check .

## Print the benchmark table (import time, reruns, browser timings, memory)
bench: $(STAMP)
	$(PY) bench/run.py

demo: $(STAMP)
	$(PY) -m exonerations demo

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
