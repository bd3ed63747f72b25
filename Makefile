# Podium: `make run` sets up and starts the embedded site; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in e-mails and the newsletter archive point at the address this site is served on; set
# SITE_URL yourself when it is reached under another name (a proxy, a tunnel, https).
export SITE_URL ?= http://127.0.0.1:$(PORT)
export PODIUM_EMBEDDED ?= 1

.PHONY: run install test test-install check lint messages clean bench bench-search bench-assistant bench-bestof

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

## run: install, migrate, load the demo content, and serve on http://127.0.0.1:$(PORT)/
run: install
	$(BIN)/podium migrate --noinput -v0
	$(BIN)/podium collectstatic --noinput -v0
	$(BIN)/podium demo
	$(BIN)/podium serve --port $(PORT)

test-install: $(VENV)/.test-installed
	scripts/system-packages

## test: install the test tools and run the whole suite (browser tests included)
test: test-install
	$(BIN)/pytest -n 2 -p no:cacheprovider

## check: lint, format check, types
check: test-install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src bench

## messages: refresh the translation catalogues (Dutch) and compile them
messages: install
	cd src/podium && ../../$(BIN)/podium makemessages -l nl --no-obsolete --ignore 'static/vendor/*' && ../../$(BIN)/podium makemessages -d djangojs -l nl --no-obsolete --ignore 'static/vendor/*'
	cd src/podium && ../../$(BIN)/podium compilemessages -l nl

## bench-search: search latency over 100,000 generated articles on SQLite and PostgreSQL (throwaway BENCH_DATABASE_URL, default …/podium_bench_search; empty: SQLite only); results in bench/results/search.md
bench-search: install
	$(BIN)/python bench/search.py

## bench-assistant: the editor's assistant per submission over 100,000 generated articles (throwaway SQLite)
bench-assistant: install
	$(BIN)/python bench/assistant.py

## bench-bestof: time and peak memory to build a 25-article compilation (both PDFs and the EPUB)
bench-bestof: install
	$(BIN)/python bench/bestof.py

clean:
	rm -rf $(VENV) var/static test-artifacts

.PHONY: bench-newsletter
## bench-newsletter: one edition to 100,000 generated subscribers through a local SMTP sink, two workers, a kill (throwaway SQLite)
bench-newsletter: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/newsletter.py

.PHONY: bench-web
## bench-web: the production server (2 workers) against 100,000 seeded articles, driven by wrk, nginx in front (throwaway SQLite; BENCH_REDIS_URL= for the page cache in Redis)
bench-web: install
	scripts/bench-packages
	$(BIN)/python bench/web.py

.PHONY: bench-request-cpu
## bench-request-cpu: CPU per request inside Django (signed-in article, anonymous article, bare view) on a throwaway 3,000-article site, in seconds; results in bench/results/request-cpu.md
bench-request-cpu: install
	$(BIN)/python bench/request_cpu.py

.PHONY: bench-web-postgres
## bench-web-postgres: the same as production: throwaway PostgreSQL databases (BENCH_DATABASE_URL, default …/podium_bench_web_big and _small) and Redis (BENCH_REDIS_URL, default db 14); results in bench/results/web-postgres.md
bench-web-postgres: install
	scripts/bench-packages
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/podium_bench_web} \
	BENCH_REDIS_URL=$${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14} $(BIN)/python bench/web.py

.PHONY: bench-load
## bench-load: 200 readers + 20 writers for 60 s (locust) against `podium serve` on a throwaway PostgreSQL (DATABASE_URL, default …/podium_load) with the page cache in Redis (LOAD_REDIS_URL, default db 13): zero 5xx, zero lost writes
bench-load: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/load.py

.PHONY: screenshots
## screenshots: every public page, Activiteiten, the editor and the desk in Dutch and English at 375 and 1280 px into test-artifacts/screenshots/, with a contact sheet per language
screenshots: test-install
	PODIUM_SCREENSHOTS=1 $(BIN)/pytest -p no:cacheprovider -n 0 -q tests/browser/test_screenshots.py

.PHONY: test-cluster
## test-cluster: two web nodes, two workers, nginx, moto's S3 server, a throwaway PostgreSQL database (podium_cluster_*) and Redis (CLUSTER_REDIS_URL, default db 5) on this machine; seven checks through nginx, PASS/FAIL each
test-cluster: test-install
	$(BIN)/python tests/cluster/run_cluster.py

.PHONY: bench-images
## bench-images: every variant of a 12-megapixel photograph (AVIF/WebP/JPEG widths and crops): CPU seconds and peak memory; results in bench/results/images.md
bench-images: install
	$(BIN)/python bench/images.py
