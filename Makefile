# The two commands for a fresh machine: `make demo` and `make test`. See README.md.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install demo test browser bench bench-tools clean

# Everything installs from the package registry with exact pins (constraints.txt).
# torch comes first and exactly 2.13.0: the CPU build on this machine's disk.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/samestory demo

# Debian chromium drives the web UI tests (Playwright with executable_path); installed when run as root.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -q && apt-get install -y -q chromium) >/dev/null; \
	  else echo "chromium is not installed and this is not root: browser tests will be skipped"; fi; \
	fi

test: install browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

# wrk drives the web benchmark (a Python client would eat the CPU the server is measured on)
bench-tools:
	@if ! command -v wrk >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then (apt-get update -q && apt-get install -y -q wrk) >/dev/null; fi

bench: install bench-tools
	@for b in bench/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done
	@echo "results: bench/RESULTS.md"

clean:
	rm -rf samestory-demo .pytest_cache build *.egg-info
