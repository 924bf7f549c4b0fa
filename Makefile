# Two commands a newcomer needs: `make run` and `make test`. Both work with only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
# Inside an active virtual environment, install there; otherwise make one in .venv.
ifdef VIRTUAL_ENV
BIN := $(VIRTUAL_ENV)/bin
else
BIN := $(VENV)/bin
endif
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test coverage-report install install-dev openapi lint bench clean stack stack-stop

run: install
	$(BIN)/claimtrack db upgrade
	$(BIN)/claimtrack demo load --if-empty --admin-key
	$(BIN)/claimtrack serve --host $(HOST) --port $(PORT)

# The production-shaped stack without Docker: nginx on 127.0.0.1:8080 -> gunicorn on 8101 and 8102
# -> PostgreSQL (DATABASE_URL, default the local cluster's database claimtrack). deploy/stack.sh.
stack: install
	STACK_BIN=$(abspath $(BIN)) deploy/stack.sh start

stack-stop:
	STACK_BIN=$(abspath $(BIN)) deploy/stack.sh stop

# COVERAGE=name runs the suite under coverage, its data in .coverage.name (.ci/run combines
# the SQLite and PostgreSQL runs' and reports them).
test: install-dev
ifdef COVERAGE
	COVERAGE_FILE=.coverage.$(COVERAGE) $(BIN)/python -m coverage run -m pytest $(PYTEST_ARGS)
else
	$(BIN)/python -m pytest $(PYTEST_ARGS)
endif

# The SQLite and PostgreSQL runs' coverage together (make test COVERAGE=sqlite, =postgresql).
coverage-report:
	$(BIN)/python -m coverage combine .coverage.sqlite .coverage.postgresql
	$(BIN)/python -m coverage report

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[postgres,server]"

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[postgres,server,dev]"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

openapi: install
	$(BIN)/claimtrack openapi write --format=yaml openapi.yaml

lint: install-dev
	$(BIN)/ruff check service migrations tests
	$(BIN)/ruff format --check service migrations tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache

# Benchmarks (bench/README.md): make bench SIZE=100000 DB=postgresql|sqlite. Generates the data
# unless the database already holds SIZE claims at the newest schema, then measures.
SIZE ?= 1000000
DB ?= postgresql
BENCH_ARGS ?=
ifeq ($(DB),sqlite)
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/bench/results/sqlite-$(SIZE).sqlite3
else
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/claimtrack_bench
endif

bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BIN)/python -m bench.generate --if-needed --size $(SIZE) --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.run --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)
