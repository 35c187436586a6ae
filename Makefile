# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install system-deps lint serve clean

# HarfBuzz's subsetter makes WeasyPrint ~10x faster at embedding fonts; install it
# when we are root on Debian, otherwise carry on (WeasyPrint falls back to fontTools).
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 \
	   && ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  (apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 \
	   || (apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1)) \
	   || echo "note: could not install libharfbuzz-subset0; PDFs render slower"; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: system-deps $(STAMP)

demo: install
	SAMVERKA_DATA_DIR=$(DATA_DIR) $(BIN)/samverka db upgrade
	SAMVERKA_DATA_DIR=$(DATA_DIR) $(BIN)/samverka seed
	SAMVERKA_DATA_DIR=$(DATA_DIR) $(BIN)/samverka serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests seeds benchmarks
	$(BIN)/ruff format --check src tests seeds benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
