# Set-up and entry points. `make run` serves the app, `make test` runs every test;
# both create the virtual environment and install the pinned dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test browser clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/python app.py $(ARGS)

# Headless Chromium (browser tests, map images, PDF handouts), its driver, and poppler to check
# PDFs (Debian packages).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v pdftotext >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null; }

test: $(VENV)/.installed browser
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts
