# Two commands set everything up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SHARED_DATA ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 8000
export GUICHET_TERRITORY_DATA ?= $(abspath $(SHARED_DATA))

.PHONY: install run serve migrate seed test lint typecheck layers check-migrations check-deploy pytest clean \
	bench-install bench-small bench-national bench-robustness bench-notifications

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py import_territory --source "$(GUICHET_TERRITORY_DATA)"
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
	@bash scripts/run-dev.sh $(HOST) $(PORT)

test: install
	@bash scripts/ensure-chromium.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy guichet config
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  $(PY) manage.py check --deploy --fail-level WARNING --settings=config.settings.prod
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

clean:
	rm -rf var/guichet.sqlite3* var/media var/mail var/sms var/static

# Benchmarks (bench/, docs/performance.md): PostgreSQL on 127.0.0.1:5432 (trust auth), databases guichet_bench_*.
$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test,bench]"
	@touch $@

bench-install: $(VENV)/.bench-installed

bench-small: bench-install
	$(PY) -m bench.run --scale small

# Builds the national dataset once (minutes, ~20 GB), then reuses it: `make bench-national BENCH_ARGS=` to rebuild.
BENCH_ARGS ?= --reuse
bench-national: bench-install
	$(PY) -m bench.run --scale national $(BENCH_ARGS)

BENCH_ROBUSTNESS ?= same_slot idempotent_submission kill_workers postgres_restart api_fuzz
bench-robustness: bench-install
	@for script in $(BENCH_ROBUSTNESS); do $(PY) -m bench.robustness.$$script || exit 1; done

bench-notifications: bench-install
	$(PY) -m bench.notifications
