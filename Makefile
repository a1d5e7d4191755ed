# The two commands a newcomer needs: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; `make test PYTEST_WORKERS=0` runs them in one.
PYTEST_WORKERS ?= auto

.PHONY: run demo test lint bench bench-scheduler bench-portfolio bench-api clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-runtime

# The API and the scheduler on the local SQLite file, in the foreground: Ctrl-C stops them.
# The first start fills in the demo; every start prints the URL and a fresh demo token.
run: $(VENV)/.installed-runtime
	$(BIN)/isms-flow serve --seed-demo

# The one-shot demo: walk a new demo project to certified, printing every step.
demo: $(VENV)/.installed-runtime
	$(BIN)/isms-flow demo

# On SQLite always; on PostgreSQL too when ISMS_FLOW_TEST_POSTGRES_URL names a server (the
# summary says which). worksteal: an idle worker takes tests queued for a busy one.
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check isms_flow tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/portfolio.py
	$(BIN)/python bench/api.py

bench-scheduler: $(VENV)/.installed-runtime
	$(BIN)/python bench/scheduler.py

bench-portfolio: $(VENV)/.installed-runtime
	$(BIN)/python bench/portfolio.py

# Over HTTP against `isms-flow serve`; the HTTP client (httpx) is a dev dependency.
bench-api: $(VENV)/.installed-dev
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) .isms-flow .mypy_cache .ruff_cache .pytest_cache .hypothesis
