# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint pytest bench clean

demo: $(VENV)/.installed-app
	$(BIN)/csconsole demo

test: $(VENV)/.installed-dev
	bash scripts/ensure-system-packages
	$(MAKE) lint pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check csconsole tests bench
	$(BIN)/ruff format --check csconsole tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run_all.py

$(VENV)/bin/python:
	bash scripts/ensure-venv "$(PYTHON)" "$(VENV)"

$(VENV)/.installed-app: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@ $(VENV)/.installed-app

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
