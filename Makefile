# Two commands set everything up on a fresh machine: `make demo` and `make test`.
# The interpreter for .venv: Debian's own python3.11 where it is installed with its venv
# module, since Debian builds it with profile-guided and link-time optimisation, and
# it rendered a certificate 13-22 % faster than a plain source build of 3.11 (pyenv's
# default) on the same machine; otherwise whatever python3 is first on the PATH.
# `make PYTHON=...` chooses another; .venv is made again when the interpreter changes.
SYSTEM_PYTHON := $(firstword $(foreach p,/usr/bin/python3.11 /usr/bin/python3,$(shell \
  $(p) -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $(p))))
PYTHON ?= $(or $(SYSTEM_PYTHON),python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install system-deps lint serve clean lock

# HarfBuzz's subsetter makes WeasyPrint ~10x faster at embedding fonts; install it
# when we are root on Debian, otherwise carry on (WeasyPrint falls back to fontTools).
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 \
	   && ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  (apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 \
	   || (apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1)) \
	   || echo "note: could not install libharfbuzz-subset0; PDFs render slower"; \
	fi

# The interpreter .venv was made with (none without a .venv) and the one wanted: when
# they differ the stamp is out of date, and .venv is made again from scratch.
VENV_PYTHON := $(shell $(BIN)/python -c 'import os, sys; print(os.path.realpath(sys._base_executable))' 2>/dev/null)
WANT_PYTHON := $(shell $(PYTHON) -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null)
ifneq ($(VENV_PYTHON),$(WANT_PYTHON))
.PHONY: $(STAMP)
endif

# Dependencies come from requirements.lock, every file checked against its hash, so an
# install is the one that was tested; then the project itself, without dependencies.
$(STAMP): pyproject.toml requirements.lock
	$(if $(VENV_PYTHON),$(if $(filter-out $(WANT_PYTHON),$(VENV_PYTHON)),rm -rf $(VENV)))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: system-deps $(STAMP)

demo: install
	SAMVERKA_DATA_DIR=$(DATA_DIR) $(BIN)/samverka db upgrade
	SAMVERKA_DATA_DIR=$(DATA_DIR) $(BIN)/samverka seed
	SAMVERKA_DATA_DIR=$(DATA_DIR) SAMVERKA_BASE_URL="$${SAMVERKA_BASE_URL:-http://$(HOST):$(PORT)}" \
	  $(BIN)/samverka serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests seeds benchmarks
	$(BIN)/ruff format --check src tests seeds benchmarks
	$(BIN)/mypy src

# Remake requirements.lock after changing pyproject.toml's dependencies (needs uv: pip install uv).
# CONSTRAINTS=file (a `pip freeze` of the environment the tests passed in) keeps those versions.
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple --no-header \
	  $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache
