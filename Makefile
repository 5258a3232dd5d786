# mzkg: `make demo` runs the main job, `make test` the whole test suite (installing what it needs first).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast install system lint docs-reference bench bench-draft bench-pages scale clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "mzkg needs Python >= 3.11 (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use (Virtuoso, Graphviz with a CJK font, Chromium and its driver); Java comes with
# the machine. Installed when run as root on Debian; otherwise the missing ones are named.
system:
	@sh scripts/system-packages.sh

demo: $(STAMP)
	@echo "== mzkg stats"; $(BIN)/mzkg stats | head -n 12
	@echo; echo "== mzkg query kuasheng-services"; $(BIN)/mzkg query kuasheng-services
	@echo; echo "== mzkg query network-tiers"; $(BIN)/mzkg query network-tiers
	@echo; echo "== mzkg query coverage-targets"; $(BIN)/mzkg query coverage-targets
	@echo; echo "== mzkg describe 双百工程 (Simplified input)"; $(BIN)/mzkg describe 双百工程 | head -n 16
	@echo; echo "== mzkg reports"; $(BIN)/mzkg reports
	@echo; echo "== mzkg coverage"; $(BIN)/mzkg coverage

# The whole suite, one pytest worker per core (pytest-xdist); the modules whose fixtures are costly (servers,
# drafts, exports) are marked xdist_group and run on one worker each. `make test-fast` leaves out the tests
# marked slow (servers, browsers, subprocesses, the wheel) for the edit loop.
PYTEST_WORKERS := -n auto --dist loadgroup

test: $(STAMP) system
	$(BIN)/python -m pytest $(PYTEST_WORKERS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) -m "not slow"

# The command reference (docs/reference.md) is written from the commands by cog: `make docs-reference` rewrites
# it, and lint fails when it is stale.
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cog --check -I scripts docs/reference.md

docs-reference: $(STAMP)
	$(BIN)/cog -r -I scripts docs/reference.md

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

bench-pages: $(STAMP)
	$(BIN)/python benchmarks/pages.py

bench-draft: $(STAMP)
	$(BIN)/python benchmarks/draft.py

scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
