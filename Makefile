# Tynchtyk. `make demo` chats with the bot in this terminal; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: demo test run migrate check-content bench clean

# The virtual environment alone, from the pinned dependencies; rebuilt only when they change.
.venv: $(VENV)/.runtime
$(VENV)/.runtime: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(PIP) -e '.[dev]'
	touch $@

demo: $(VENV)/.runtime
	$(BIN)/python -m bot demo

run: $(VENV)/.runtime
	$(BIN)/python -m bot run

migrate: $(VENV)/.runtime
	$(BIN)/python -m bot migrate

check-content: $(VENV)/.runtime
	$(BIN)/python -m bot check-content

# On SQLite; then again on PostgreSQL when TEST_POSTGRES_URL names a server (.ci/run starts one).
test: $(VENV)/.dev
	$(BIN)/python -m bot check-content
	$(BIN)/python -m pytest -n 2 -q
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		echo "The same tests on PostgreSQL:"; \
		TEST_DATABASE=postgresql $(BIN)/python -m pytest -n 2 -q; \
	else \
		echo "PostgreSQL run skipped: TEST_POSTGRES_URL is not set (postgresql+asyncpg://user:password@host/db)."; \
	fi

bench: $(VENV)/.dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
