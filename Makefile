# Thin wrapper over tasks.py (which needs only Python 3.11+).
PYTHON ?= python3

.PHONY: demo test bench check
demo:
	$(PYTHON) tasks.py demo
test:
	$(PYTHON) tasks.py test
bench:
	$(PYTHON) tasks.py bench
check:
	$(PYTHON) tasks.py check
