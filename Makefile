# The two set-up commands of the README: `make demo` and `make test`. Each creates the virtual
# environment and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
DEMO_DIR ?= demo-output

.PHONY: demo test lint bench bench-quick serve clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "sdmonitor needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Front-end packages from the npm registry (package-lock.json): axe-core for the dashboard's browser tests.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

## make demo: fictional municipality -> warehouse -> first summary (demo-output/sdm.duckdb)
demo: $(STAMP)
	$(BIN)/sdm --db $(DEMO_DIR)/sdm.duckdb demo

## make test: format, lint, type checks, the import contracts and the whole test suite, on every core up to 8
## (pytest-xdist; a test process may hold 1.5 GB, and the web tests run on one worker, so more gain little;
## `make test TEST_WORKERS=0` runs it in one process)
TEST_WORKERS ?= auto
test: lint $(NODE_STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 8

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

## make serve: the dashboard on the demo warehouse (needs SDM_SECRET_KEY and a user: docs/dashboard.md)
serve: $(STAMP)
	$(BIN)/sdm --db $(DEMO_DIR)/sdm.duckdb serve

## make bench: the benchmarks of benchmarks/ (minutes; writes benchmarks/results/)
bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache node_modules
