# The documented commands: `make run` and `make test` (both create .venv if needed).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
# `make run`, `make serve` and the Dockerfile start the app the same way (deploy/start.sh: production
# switches); the development loop (file watcher) stays the default of a plain `streamlit run app.py`.
# ADDRESS, SERVE_ADDRESS and PORT come from the environment.
ADDRESS ?= 127.0.0.1
PORT ?= 8501
N ?= 2

.PHONY: run serve serve-cluster test test-fast lint format bench demo clean

$(RUNTIME): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@# axe-core (the accessibility checker the browser tests inject), from npm, beside the venv
	@command -v npm >/dev/null 2>&1 && npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4.14.1 \
		|| echo "npm is missing: the accessibility tests will skip (CI fails them)"
	@touch $@

## Start the app: imports a registry file found in data/, else uses the database, else builds the demo
run: $(RUNTIME)
	PYTHON=$(PY) ADDRESS=$(ADDRESS) PORT=$(PORT) sh deploy/start.sh

## The app for production on every interface: the same start, ADDRESS and PORT from the environment
serve: $(RUNTIME)
	PYTHON=$(PY) ADDRESS=$(or $(SERVE_ADDRESS),0.0.0.0) PORT=$(PORT) sh deploy/start.sh

## N app processes behind nginx on $(ADDRESS):$(PORT), sticky sessions, one database (deploy/cluster.py)
serve-cluster: $(RUNTIME)
	$(PY) -m exonerations prepare
	$(PY) deploy/cluster.py --servers $(N) --address $(ADDRESS) --port $(PORT)

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
