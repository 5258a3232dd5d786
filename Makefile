# mzkg: `make demo` runs the main job, `make test` the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint bench scale clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "mzkg needs Python >= 3.11 (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@echo "== mzkg stats"; $(BIN)/mzkg stats | head -n 12
	@echo; echo "== mzkg query kuasheng-services"; $(BIN)/mzkg query kuasheng-services
	@echo; echo "== mzkg query network-tiers"; $(BIN)/mzkg query network-tiers
	@echo; echo "== mzkg query coverage-targets"; $(BIN)/mzkg query coverage-targets
	@echo; echo "== mzkg describe 双百工程 (Simplified input)"; $(BIN)/mzkg describe 双百工程 | head -n 16
	@echo; echo "== mzkg coverage"; $(BIN)/mzkg coverage

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

lint: $(STAMP)
	$(BIN)/python -m pip install -q ruff
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) dist build .pytest_cache
