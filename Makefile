# The two commands of README: `make demo` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: setup system demo test lint check serve
setup: system $(VENV)/.installed xingyao/static/vendor/.installed

system:
	@bash scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

xingyao/static/vendor/.installed: package.json package-lock.json
	bash scripts/assets.sh

demo: setup
	@mkdir -p var
	XINGYAO_DEBUG=1 $(BIN)/xingyao migrate --noinput -v0
	XINGYAO_DEBUG=1 $(BIN)/xingyao demo
	@echo "演示站点：http://$(HOST)/"
	@# The background-job worker beside the server; the trap stops it when the server stops (Ctrl-C or exit).
	XINGYAO_DEBUG=1 $(BIN)/xingyao db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	XINGYAO_DEBUG=1 $(BIN)/xingyao runserver --noreload $(HOST)

test: setup
	$(BIN)/pytest -n auto  # pytest-xdist: one worker per core; each worker gets its own test database

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy xingyao
	$(BIN)/lint-imports
	$(BIN)/xingyao makemigrations --check --dry-run -v0
