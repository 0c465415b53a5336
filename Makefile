# Tessera's two commands: `make run` (set up everything and serve) and `make test` (checks and tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
export DJANGO_SETTINGS_MODULE ?= tessera.config.settings.local

.PHONY: run setup install test lint typecheck pytest test-browser browser-deps demo clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py load_demo_school

run: setup
	@echo "Serving Tessera on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(BIN)/uvicorn tessera.config.asgi:application --app-dir src --host $(HOST) --port $(PORT) --workers $(WORKERS)

demo: install
	$(BIN)/python manage.py load_demo_school

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n auto -m "not browser"

test: lint typecheck pytest

browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

test-browser: install browser-deps
	$(BIN)/pytest -m browser -p no:randomly

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
