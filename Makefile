# Tessera's two commands: `make run` (set up everything and serve) and `make test` (checks and tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1

PYBKT_VENV ?= $(VENV)/pybkt

.PHONY: bench-answers bench-answers-workers bench-feed bench-tracing bench-simulate bench-recommend bench-grouping bench-mastery bench-pybkt messages run setup install test lint typecheck pytest test-postgres test-browser browser-deps ci demo clean

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
	$(BIN)/python manage.py fit_learner_model --missing-only

# The background worker (queued tasks, and due weekly digests every DIGEST_CHECK_SECONDS) runs beside
# uvicorn and is stopped with it. uvicorn never takes the client's address from X-Forwarded-For
# (--no-proxy-headers; its default trusts the header from 127.0.0.1): Django reads it from TRUSTED_PROXIES only.
run: setup
	@echo "Serving Tessera on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	@$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/uvicorn tessera.config.asgi:application --app-dir src --host $(HOST) --port $(PORT) --workers $(WORKERS) \
		--no-proxy-headers

# Refresh the Spanish catalogue from the sources, then compile it (needs GNU gettext; commit both files).
messages: install
	cd src/tessera && $(abspath $(BIN))/python ../../manage.py makemessages -l es --no-obsolete --ignore 'static/*'
	cd src/tessera && $(abspath $(BIN))/python ../../manage.py compilemessages -l es

demo: install
	$(BIN)/python manage.py load_demo_school

# makemigrations --check: a model change without its migration fails here, in CI's SQLite stage too.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n auto -m "not browser"

test: lint typecheck pytest

# The suite on a throw-away PostgreSQL database (POSTGRES_URL, default postgres@127.0.0.1:5432), dropped after.
test-postgres: install
	bash .ci/run postgres

# Debian's chromium for the browser tests, from apt (never `playwright install`: no browser downloads).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  echo "Installing Debian's chromium with apt-get"; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@/usr/bin/chromium --version 2>/dev/null | head -1

test-browser: install browser-deps
	$(BIN)/pytest -m browser -p no:randomly tests/browser

# Everything CI runs: make test, the suite on PostgreSQL, the browser tests.
ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Benchmarks print tables; they are measurements, not tests. The data lives in ../shared/data by default
# (TESSERA_KT_DATA overrides it).
bench-tracing: install
	$(BIN)/python benchmarks/tracing.py

bench-simulate: install
	$(BIN)/python benchmarks/simulate.py

# Answer submission under load: 50 demo learners for 60 s against SQLite and PostgreSQL, each with local and
# production settings; BENCH_ARGS passes options, e.g. BENCH_ARGS="--only sqlite --duration 20 --json".
bench-answers: install
	$(BIN)/python benchmarks/answer_load.py $(BENCH_ARGS)

# PostgreSQL + Redis, production settings: 1, 2 and 4 uvicorn workers, then 2 workers with one SIGKILLed
# mid-run (the client retries with the same client_id); BENCH_ARGS passes options, e.g. "--duration 30".
bench-answers-workers: install
	$(BIN)/python benchmarks/answer_load.py --scaling --kill-worker $(BENCH_ARGS)

# The live family feed: 1,000 open SSE streams, PostgreSQL, Redis, production settings, 2 uvicorn workers;
# events committed at a steady rate, every connection dropped and reopened halfway (BENCH_ARGS passes options).
bench-feed: install
	$(BIN)/python benchmarks/feed_load.py $(BENCH_ARGS)

bench-recommend: install
	$(BIN)/python benchmarks/recommend.py

# Flexible groups on simulated classes: true-mastery spread against random and alphabetical groups, learners
# moved per week by regrouping, time for one class; BENCH_ARGS passes options, e.g. BENCH_ARGS="--json".
bench-grouping: install
	$(BIN)/python benchmarks/grouping.py $(BENCH_ARGS)

# How the mastery figure people are shown moves with each answer, old (logistic) and new (MasteryTracker),
# on both datasets' test learners; BENCH_ARGS passes options, e.g. BENCH_ARGS="--max-learners 100 --json".
bench-mastery: install
	$(BIN)/python benchmarks/mastery_figure.py $(BENCH_ARGS)

# pyBKT 1.4.3 needs NumPy < 2: its own venv, used by bench-tracing for the pyBKT reference row when present.
bench-pybkt:
	$(PYTHON) -m venv $(PYBKT_VENV)
	$(PYBKT_VENV)/bin/pip install --quiet numpy==1.26.4 pandas==2.2.3 scikit-learn==1.5.2 pyBKT==1.4.3
