# Two entry points for a fresh machine: `make run` and `make test`.
# Both create (or reuse) .venv and install what the project needs from its own files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test test-fast screenshots bench venv dev chromium clean

# Stamp files: reinstall only when a requirements file changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

venv: $(VENV)/.runtime-installed
dev: $(VENV)/.dev-installed

# Browser tests drive Debian's chromium; never a downloaded browser build.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian chromium for the browser tests (about 30 s)..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null || \
	  { echo "Could not install chromium with apt."; [ -z "$$CI" ] || exit 1; }; \
	fi

run: venv
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

test: dev chromium
	$(BIN)/python -m pytest

# Unit and AppTest only, no browser: the quick loop while editing.
test-fast: dev
	$(BIN)/python -m pytest -m "not e2e"

screenshots: dev chromium
	$(BIN)/python scripts/screenshots.py

bench: dev
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
