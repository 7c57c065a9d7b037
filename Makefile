# Everything a fresh machine needs: `make run` for the app, `make test` for the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# Local only by default. To serve other machines, put a reverse proxy with authentication in
# front and bind to its address (docs/app.md): never expose the app itself to a network.
ADDRESS ?= 127.0.0.1

.PHONY: install install-test install-lint run test lint fuzz bench devset devset-others screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Idempotent: reinstalls only when pyproject.toml changed.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/.installed-lint: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e ".[lint]"
	touch $@

install-lint: $(VENV)/.installed-lint

run: install
	$(BIN)/streamlit run streamlit_app.py --server.headless true --server.port $(PORT) \
		--server.address $(ADDRESS) --browser.gatherUsageStats false

test: install-test
	$(BIN)/python -m pytest

# The policy lives in pyproject.toml ([tool.ruff], [tool.mypy]); .pre-commit-config.yaml runs the same.
lint: install-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fuzz: install-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m "not browser" tests/plan/test_properties.py tests/test_fuzz.py

# The planner on monographs written by others (../shared/devset, beside the checkout); its last line is the figure.
DEVSET ?= ../shared/devset
devset: install
	@test -f $(DEVSET)/check.py || { echo "devset: $(DEVSET)/check.py not found (set DEVSET=path)"; exit 2; }
	$(BIN)/python $(DEVSET)/check.py --planner $(BIN)/planner --holdout $(DEVSET)

# The same grader on tests/data/others_monographs: ten monographs written outside the reader's
# development, from public prescribing information (a check, not a training set; its README.md).
OTHERS ?= tests/data/others_monographs
devset-others: install
	@test -f $(DEVSET)/check.py || { echo "devset-others: $(DEVSET)/check.py not found (set DEVSET=path)"; exit 2; }
	$(BIN)/python $(DEVSET)/check.py --planner $(BIN)/planner --holdout $(OTHERS)

bench: install-test
	$(BIN)/python bench/run.py

# docs/screenshots/*.png: both views at 1280 px and 390x844, in Debian's chromium (no browser download)
screenshots: install-test
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
