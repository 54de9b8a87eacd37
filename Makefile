# The two commands of the README: `make run` (the dashboard) and `make test` (everything CI runs).
# Both create .venv from requirements.txt on first use and build the sample database when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# test processes: auto = one per core (pytest-xdist); 0 runs the suite in this process
WORKERS ?= auto

.PHONY: run test lint format sample bench screenshots clean

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

# --dist loadfile keeps each file's tests in one worker, so module fixtures (a dashboard server) start once;
# the slowest tests and the seconds per file print at the end
test: $(VENV)/.installed lint
	$(PY) -m pytest tests -n $(WORKERS) --dist loadfile --durations=15

sample: $(VENV)/.installed
	$(PY) -m etl.sample
	$(PY) -m etl build

bench: $(VENV)/.installed data/rolgov.duckdb
	$(PY) scripts/bench_load.py
	$(PY) scripts/bench_pages.py
	$(PY) scripts/bench_report.py

screenshots: $(VENV)/.installed data/rolgov.duckdb
	$(PY) scripts/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) data/rolgov.duckdb* data/*.lock artifacts
