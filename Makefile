# Two commands on a fresh machine:  make app   and   make test
# Everything else is a step they call. `make help` lists the targets.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8866
HOST   ?= 127.0.0.1
# Kernels kept warm for the self-benchmark app: make app SESSION_POOL=25 for a learning-network session
SESSION_POOL ?= 2
BIN     = $(VENV)/bin
SUDO    = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help app test install install-test system-deps node-deps lint unit integration e2e notebooks bench bench-hub clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: install it, or run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-app

install: $(VENV)/.installed-app ## Create .venv and install the toolkit and the apps

install-test: $(VENV)/.installed-test ## Create .venv and install the toolkit with test tools

app: install ## Set up, then serve the apps with Voila at http://localhost:8866/ (PORT=...)
	@# the kernel pools as a config file (a dict on the command line is deprecated in traitlets 5)
	@mkdir -p $(VENV)/voila-pools
	@printf '{"VoilaKernelManager": {"kernel_pools_config": {"default": {"pool_size": 2}, "self_benchmark.ipynb": {"pool_size": %d}}}}\n' $(SESSION_POOL) > $(VENV)/voila-pools/voila.json
	@# our own notebooks are trusted, so Voila does not warn about each one it serves
	@$(BIN)/jupyter trust notebooks/*.ipynb >/dev/null
	@echo "Serving the apps at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	JUPYTER_CONFIG_PATH=$(CURDIR)/$(VENV)/voila-pools JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/python -m toolkit.serving notebooks/ --port=$(PORT) --Voila.ip=$(HOST) --no-browser --VoilaKernelManager.fill_delay=60

system-deps: ## Install the Debian packages the tests need (Chromium, PostgreSQL, poppler-utils, npm)
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then echo "system packages: present"; \
	elif command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	else echo "The tests need these Debian packages:$$missing. Run: sudo apt-get install$$missing"; exit 1; fi

tests/e2e/node_modules/axe-core/axe.min.js: tests/e2e/package.json
	@command -v npm >/dev/null || { echo "The accessibility audit needs npm: run 'sudo apt-get install npm'"; exit 1; }
	cd tests/e2e && npm install --no-audit --no-fund --silent

node-deps: tests/e2e/node_modules/axe-core/axe.min.js ## Install axe-core (npm) for the accessibility audit

lint: install-test ## ruff and mypy (settings in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: install-test ## Unit and property tests
	$(BIN)/pytest tests/unit

integration: install-test system-deps ## Store concurrency tests (SQLite and a PostgreSQL server they start)
	$(BIN)/pytest tests/integration

e2e: install-test system-deps node-deps ## Browser tests against the real Voila server
	$(BIN)/pytest tests/e2e

notebooks: install-test ## Run every notebook with nbval (the apps and the analyst example)
	TOOLKIT_DATA_HOME=$$(mktemp -d) TOOLKIT_RENDER_IN_PROCESS=1 $(BIN)/pytest --nbval-lax -p no:cacheprovider notebooks/ analysis/

test: install-test system-deps node-deps ## Set up, then run ruff, mypy, unit, property, wheel, browser and notebook tests
	$(BIN)/ruff check .
	$(BIN)/mypy
	@# two runs: the browser tests' Playwright keeps an event loop running in the process,
	@# which the asyncio tests of the server (tests/unit/test_kernel_pool.py, ...) cannot share
	$(BIN)/pytest tests/unit tests/packaging tests/integration
	$(BIN)/pytest tests/e2e
	TOOLKIT_DATA_HOME=$$(mktemp -d) TOOLKIT_RENDER_IN_PROCESS=1 $(BIN)/pytest --nbval-lax -p no:cacheprovider notebooks/ analysis/

bench: install-test system-deps ## Run the benchmark scripts and print their figures
	@# the JupyterHub route has its own target (bench-hub): it needs the proxy from npm
	@for script in $(filter-out benchmarks/hub_users.py,$(wildcard benchmarks/*.py)); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

benchmarks/hub/node_modules/.bin/configurable-http-proxy: benchmarks/hub/package.json
	@command -v npm >/dev/null || { echo "The JupyterHub benchmark needs npm: run 'sudo apt-get install npm'"; exit 1; }
	cd benchmarks/hub && npm install --no-audit --no-fund --silent

bench-hub: install-test system-deps benchmarks/hub/node_modules/.bin/configurable-http-proxy ## The JupyterHub route: 10 commissioners sign in and share (USERS=10)
	$(BIN)/pip install --quiet -e '.[test,hub]'
	$(BIN)/python benchmarks/hub_users.py --users $(or $(USERS),10)

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
