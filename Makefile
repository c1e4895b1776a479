# Everything a fresh machine with only Python needs: `make demo`, `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BENCH ?= ../shared/bench

.PHONY: install demo test plain-install lint typecheck pytest golden bench-quality format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,all]'
	touch $@

install: $(VENV)/.installed

# Serve the bundled newspaper (fixtures/site) on loopback, crawl it, write out/articles.jsonl.
demo: install
	$(PY) -m scraper.localsite.demo --site fixtures/site --output out/articles.jsonl

test: lint typecheck pytest

# The wheel, a clean install without extras and each extra alone (.ci/plain-install; CI runs it).
plain-install:
	$(PYTHON) .ci/plain-install

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(PY) -m pytest -q -n auto --dist loadfile

# Re-record fixtures/golden/*.json from the current extractor; review `git diff fixtures/golden`.
golden: install
	$(PY) -m tests.golden

# Extraction quality and cost on the four shared gold sets and their tune/check halves, beside
# plain trafilatura from the same run; fails when a figure falls below its floor.
bench-quality: install
	$(PY) benchmarks/quality.py $(BENCH)/scrapinghub-dev $(BENCH)/news-dev $(BENCH)/trafilatura-dev $(BENCH)/wcxb-dev --repeat 3 --gate benchmarks/quality-floor.json

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache *.egg-info
