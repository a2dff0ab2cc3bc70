# Thin wrappers around scripts/portal (see `scripts/portal help`).
PORTAL := scripts/portal

.PHONY: run test lint ci setup

run:
	$(PORTAL) run

test:
	$(PORTAL) test

lint:
	$(PORTAL) lint

setup:
	$(PORTAL) setup

ci:
	bash .ci/run
