# Two commands do all the set-up on a fresh machine:
#   make run    - install into .venv and open the navigation panel on http://localhost:8050/
#   make test   - install into .venv (plus Debian's chromium and PostgreSQL when missing) and run every test
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

system:
	bash scripts/setup-system.sh

run: setup
	$(BIN)/clusterlevers serve --open

test: setup system
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	for f in bench/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
