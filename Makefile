# Two commands: `make run` serves the platform, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The server and its settings (scripts/serve, chosen by measurement in docs/benchmarks.md):
# empty means scripts/serve's default, derived from the core count when the server starts.
# SERVER=sync|gthread|granian, WORKERS=processes, THREADS=threads per worker, ACCESS_LOG=-|'',
# BACKLOG=connections held (granian: open connections served at once)
SERVER ?=
WORKERS ?=
THREADS ?=
BACKLOG ?=
ACCESS_LOG ?= -
export FLASK_APP := wsgi

PO_FILES := $(wildcard quizapp/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: install run test lint audit load bench translations extract-messages clean

install: $(VENV)/.installed $(MO_FILES)

# Reinstall only when the declared dependencies change.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

translations: $(MO_FILES)

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o quizapp/translations/messages.pot --no-location --sort-output quizapp
	$(BIN)/pybabel update -i quizapp/translations/messages.pot -d quizapp/translations --no-fuzzy-matching

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask bank load
	@echo "Serving on http://$(HOST):$(PORT)"
	HOST='$(HOST)' PORT='$(PORT)' SERVER='$(SERVER)' WORKERS='$(WORKERS)' THREADS='$(THREADS)' \
		BACKLOG='$(BACKLOG)' ACCESS_LOG='$(ACCESS_LOG)' scripts/serve

test: install
	@scripts/ensure-chromium
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check quizapp tests || true

# Static security checks of our code, then known vulnerabilities of the installed packages
# (pip-audit needs PyPI's JSON API or OSV; it says so when it cannot reach them).
audit: install
	$(BIN)/bandit -q -r quizapp
	$(BIN)/pip-audit --skip-editable --progress-spinner off

# Load test on loopback: LOAD_USERS cadres start the same quiz, one worker is killed mid-run,
# then every acknowledged answer is checked against the database (SQLite, then PostgreSQL);
# a third run restarts a Redis and a PostgreSQL of its own mid-run.
LOAD_USERS ?= 200
LOAD_SECONDS ?= 60
load: install
	$(BIN)/python scripts/load/run.py --db sqlite --users $(LOAD_USERS) --run-time $(LOAD_SECONDS)
	$(BIN)/python scripts/load/run.py --db postgresql --users $(LOAD_USERS) --run-time $(LOAD_SECONDS)
	$(BIN)/python scripts/load/run.py --restart-dependencies --users $(LOAD_USERS) --run-time $(LOAD_SECONDS)

# Throughput with wrk (installed by scripts/ensure-wrk when missing) against the fixed ceiling
# (bare Flask under gunicorn -w <cores>, sync) in one run, then the synchronized start (locust);
# BENCH_SERVERS=all also compares the server models; BENCH_SCALE=1 adds the 50k/500k/5M curve
# (builds the PostgreSQL databases on first use, which takes about 15 minutes).
BENCH_ARGS ?=
BENCH_SERVERS ?= default
bench: install
	@scripts/ensure-wrk
	$(BIN)/python scripts/bench/run.py --servers '$(BENCH_SERVERS)' $(BENCH_ARGS) \
		$(if $(BENCH_SCALE),--scale,)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
