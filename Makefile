# The two commands of the README:  `make serve`  and  `make test`.
# Everything installs into .venv; the browser comes from Debian (apt), the
# maths and diagram libraries from the npm registry into docs/assets/vendor/.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := docs/assets/vendor
KATEX_VERSION := 0.16.47
MERMAID_VERSION := 11.17.2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build test lint browser clean

install: $(VENV)/.installed $(VENDOR)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# KaTeX and Mermaid are served by the site itself: the site never calls a CDN.
$(VENDOR)/.installed: Makefile
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/katex $(VENDOR)/mermaid
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  npm pack --silent --pack-destination "$$tmp" katex@$(KATEX_VERSION) mermaid@$(MERMAID_VERSION) >/dev/null && \
	  tar -xzf "$$tmp"/katex-$(KATEX_VERSION).tgz -C "$$tmp" && \
	  cp "$$tmp"/package/dist/katex.min.js "$$tmp"/package/dist/katex.min.css $(VENDOR)/katex/ && \
	  cp "$$tmp"/package/dist/contrib/auto-render.min.js $(VENDOR)/katex/ && \
	  mkdir -p $(VENDOR)/katex/fonts && cp "$$tmp"/package/dist/fonts/*.woff2 $(VENDOR)/katex/fonts/ && \
	  rm -rf "$$tmp"/package && \
	  tar -xzf "$$tmp"/mermaid-$(MERMAID_VERSION).tgz -C "$$tmp" && \
	  cp "$$tmp"/package/dist/mermaid.min.js $(VENDOR)/mermaid/
	touch $@

serve: install
	$(BIN)/mkdocs serve

build: install
	$(BIN)/mkdocs build --strict

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Debian's Chromium drives the browser tests; never a browser download.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

test: install browser lint
	$(BIN)/python -m pytest

clean:
	rm -rf site .cache .pytest_cache .ruff_cache $(VENDOR)
