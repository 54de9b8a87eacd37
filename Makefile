# The two commands of the README: `make run` (the dashboard) and `make test` (everything CI runs).
# Both create .venv from requirements.txt on first use and build the sample database when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# test processes (pytest-xdist): auto = one per core; 0 runs the suite in this process. Not more than the
# cores: the suite keeps them busy (its waits are conditions, not sleeps), and each extra process brings
# its own Chromium, dashboard server and collection. On 2 cores, 3 or 4 processes took more CPU and time.
WORKERS ?= auto

.PHONY: run test lint format sample sample-scope sample-province sample-country bench screenshots clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

data/rolgov.duckdb: $(VENV)/.installed metrics.yml data/regions.csv $(wildcard data/sample/*.csv data/sample/*.xlsx)
	$(PY) -m etl build

run: $(VENV)/.installed data/rolgov.duckdb
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# --dist loadfile keeps each file's tests in one worker, so module fixtures (a dashboard server) start once
# (tests/conftest.py hands out the browser files first); the slowest tests and the seconds per file print
# at the end
test: $(VENV)/.installed lint
	$(PY) -m pytest tests -n $(WORKERS) --dist loadfile --durations=15

sample: $(VENV)/.installed
	$(PY) -m etl.sample
	$(PY) -m etl build

# SAMPLE data (not official statistics) for any scope beside 安康市's: one batch per year, marked is_sample.
# `make sample-scope SCOPE=610700` adds 汉中市; YEARS=2020-2025 narrows the years; DB=... another database.
SCOPE ?= 610000
DB ?= data/rolgov.duckdb
sample-scope: $(VENV)/.installed
	$(PY) -m etl sample --scope $(SCOPE) --db $(DB) $(if $(YEARS),--years $(YEARS))

# 陕西省 (10 cities, 107 county-level units, 2016–2025) into data/rolgov.duckdb beside 安康市
sample-province: data/rolgov.duckdb
	$(PY) -m etl sample --scope 610000 --db data/rolgov.duckdb

# the whole country (2,846 county-level units, 2023–2025) into its own database: ROLGOV_DB=data/national.duckdb make run
sample-country: $(VENV)/.installed
	$(PY) -m etl build --db data/national.duckdb
	$(PY) -m etl sample --scope 000000 --db data/national.duckdb

bench: $(VENV)/.installed data/rolgov.duckdb
	$(PY) scripts/bench_load.py
	$(PY) scripts/bench_pages.py
	$(PY) scripts/bench_report.py

screenshots: $(VENV)/.installed data/rolgov.duckdb
	$(PY) scripts/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) data/rolgov.duckdb* data/national.duckdb* data/*.lock artifacts
