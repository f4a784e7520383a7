# The two set-up commands: `make run` and `make test`. Both work on a fresh machine with Python >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# what the install builds: a change to the C scoring core rebuilds it
BUILT := pyproject.toml setup.py src/interlock/match/_native.c
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BUILT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BUILT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/interlock lists load --bundled
	$(BIN)/interlock serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto --dist worksteal

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

$(VENV)/.installed-bench: $(BUILT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $@ $(VENV)/.installed $(VENV)/.installed-dev

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/load_bundled.py
	$(BIN)/python benchmarks/history.py
	$(BIN)/python benchmarks/matching.py
	$(BIN)/python benchmarks/chem.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
