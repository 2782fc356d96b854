# Two commands for a fresh machine: `make render` and `make test`.
# Each installs what is missing first (apt packages when root, a .venv) and is a no-op after.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
QUALITY ?= low
JOBS    ?=

.PHONY: render test lint format bench setup system

render: setup
	$(BIN)/relu-anim render --all --quality $(QUALITY) $(if $(JOBS),--jobs $(JOBS))

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/fit.py

setup: system $(STAMP)

system:
	@tools/bootstrap.sh system

$(STAMP): pyproject.toml
	@tools/bootstrap.sh venv
