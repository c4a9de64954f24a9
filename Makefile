# One command for each habit. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Local overrides (not committed); see .env.example.
-include .env
export

.PHONY: run test test-browser install migrate lint format check messages messages-check bench bench-load \
	bench-load-national bench-load-outage topology backup-drill ci clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Development server with the demo data; DEBUG is on unless .env or the shell says otherwise.
# Beside it, the local OpenID Connect provider for SITHS-style sign-in (demo/oidc_provider.py) on OIDC_PORT,
# stopped with the server; skipped when the port is taken or .env configures a real provider.
OIDC_PORT ?= 8001
OIDC_LOCAL = http://$(HOST):$(OIDC_PORT)
run: export DEBUG ?= 1
run: migrate
	$(BIN)/python manage.py seed_demo
	@if [ -n "$$OIDC_RP_CLIENT_ID" ]; then \
	  echo "SITHS sign-in through the provider configured in the environment."; \
	  exec $(BIN)/python manage.py runserver $(HOST):$(PORT); \
	elif $(BIN)/python -c "import socket, sys; sys.exit(socket.socket().connect_ex(('$(HOST)', $(OIDC_PORT))) == 0)"; then \
	  echo "Local OpenID Connect provider for SITHS-style sign-in: $(OIDC_LOCAL)"; \
	  $(BIN)/python -m demo.oidc_provider --host $(HOST) --port $(OIDC_PORT) & provider=$$!; \
	  trap 'kill $$provider 2>/dev/null' EXIT INT TERM; \
	  OIDC_OP_ISSUER=$(OIDC_LOCAL) OIDC_OP_AUTHORIZATION_ENDPOINT=$(OIDC_LOCAL)/oauth2/authorize \
	  OIDC_OP_TOKEN_ENDPOINT=$(OIDC_LOCAL)/oauth2/token OIDC_OP_USER_ENDPOINT=$(OIDC_LOCAL)/userinfo \
	  OIDC_OP_JWKS_ENDPOINT=$(OIDC_LOCAL)/jwks OIDC_OP_LOGOUT_ENDPOINT=$(OIDC_LOCAL)/oauth2/end_session \
	  OIDC_RP_CLIENT_ID=sot-demo OIDC_RP_CLIENT_SECRET=sot-demo-secret \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT); \
	else \
	  echo "Port $(OIDC_PORT) is taken: no local SITHS provider; the demo accounts work as before."; \
	  exec $(BIN)/python manage.py runserver $(HOST):$(PORT); \
	fi

# The whole suite except the browser tests, which need Debian's Chromium (see test-browser).
test: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# Browser tests: Playwright drives /usr/bin/chromium (apt-get install chromium); no browser download.
test-browser: install
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Migrations in step with the models, and the deployment checklist with production-like settings.
check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-only-$$(date +%s)-key-that-is-long-enough-for-the-deploy-check-0123456789 \
	  ALLOWED_HOSTS=sot.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# Regenerate the translation catalogues after changing user-facing text (needs gettext).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l sv -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

# Every user-facing string has a Swedish translation, and the committed .mo files are current.
messages-check: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l sv --ignore=.venv --ignore=staticfiles --no-obsolete >/dev/null
	@untranslated=$$(msgattrib --untranslated --no-obsolete locale/sv/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	fuzzy=$$(msgattrib --only-fuzzy --no-obsolete locale/sv/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	if [ "$$untranslated" != "0" ] || [ "$$fuzzy" != "0" ]; then \
	  echo "locale/sv: $$untranslated untranslated and $$fuzzy fuzzy messages (run 'make messages' and translate)"; \
	  msgattrib --untranslated --no-obsolete locale/sv/LC_MESSAGES/django.po | grep '^msgid' | head -20; exit 1; fi
	msgfmt --check -o var/sv-check.mo locale/sv/LC_MESSAGES/django.po
	cmp -s var/sv-check.mo locale/sv/LC_MESSAGES/django.mo || { echo "locale/sv/LC_MESSAGES/django.mo is stale: run 'make messages'"; exit 1; }

# Matching, report and group-plan benchmarks, each on a PostgreSQL database of its own (created if missing). See README.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sot_bench
BENCH_REPORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sot_bench_report
BENCH_PLAN_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sot_bench_plan
bench: install
	@createdb -h 127.0.0.1 -U postgres sot_bench 2>/dev/null || true
	@createdb -h 127.0.0.1 -U postgres sot_bench_report 2>/dev/null || true
	@createdb -h 127.0.0.1 -U postgres sot_bench_plan 2>/dev/null || true
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench_matching $(BENCH_ARGS)
	DEBUG=1 DATABASE_URL=$(BENCH_REPORT_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 DATABASE_URL=$(BENCH_REPORT_DATABASE_URL) $(BIN)/python manage.py bench_report $(BENCH_REPORT_ARGS)
	DEBUG=1 DATABASE_URL=$(BENCH_PLAN_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 DATABASE_URL=$(BENCH_PLAN_DATABASE_URL) $(BIN)/python manage.py bench_plan $(BENCH_PLAN_ARGS)

# Load benchmark on loopback: gunicorn (2 sync workers, production settings, PostgreSQL); the queue, a request
# page and the unit list against a bare view, 16 connections, then 50 users of mixed pages for 20 s.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sot_load
# The cache (reference data kept between requests) in Redis, as in production; a database number of its own.
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/12
LOAD_PORT ?= 8765
LOAD_ENV = DEBUG=0 SECRET_KEY=load-test-only-$$(date +%s)-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1 \
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(LOAD_REDIS_URL) SECURE_SSL_REDIRECT=0 MEDIA_ROOT=$(CURDIR)/var/load-media \
	LOCAL_LOGIN=all
bench-load: install
	@# A new database each run: the same data (a full first queue page) and an access log that starts empty;
	@# its Redis database emptied too, so that nothing kept from another run's data is found.
	redis-cli -u $(LOAD_REDIS_URL) flushdb >/dev/null
	dropdb -h 127.0.0.1 -U postgres --if-exists $(notdir $(LOAD_DATABASE_URL))
	createdb -h 127.0.0.1 -U postgres $(notdir $(LOAD_DATABASE_URL))
	DEBUG=1 DATABASE_URL=$(LOAD_DATABASE_URL) MEDIA_ROOT=$(CURDIR)/var/load-media $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 DATABASE_URL=$(LOAD_DATABASE_URL) MEDIA_ROOT=$(CURDIR)/var/load-media $(BIN)/python manage.py seed_demo \
	  --referrals 300
	@# LOAD_NATIONAL=1 (or make bench-load-national): the matching benchmark's national data on top of the demo's.
	if [ -n "$(LOAD_NATIONAL)" ]; then DEBUG=1 DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python manage.py \
	  bench_matching --seed-only; fi
	$(LOAD_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@mkdir -p var
	$(LOAD_ENV) BENCH_BARE_VIEW=1 $(BIN)/gunicorn sot.wsgi --bind 127.0.0.1:$(LOAD_PORT) --workers 2 \
	  --log-level warning --pid var/load.pid --daemon
	sleep 1
	$(BIN)/python scripts/load_test.py --base http://127.0.0.1:$(LOAD_PORT) --seconds 15 --mixed-seconds 20 \
	  $(LOAD_ARGS); status=$$?; kill $$(cat var/load.pid); exit $$status

# The same pages with the country's data: 6,000 more units with 26 weeks of offers and 500,000 more requests
# in 21 regions (`bench_matching --seed-only`), beside the demo's.
bench-load-national: LOAD_NATIONAL = 1
bench-load-national: bench-load

# Redis stopped for 20 s in the middle of the load: 5xx per phase, and every e-mail of that minute delivered
# afterwards. A redis-server of its own on a free port (never the shared one) and a database sot_load_outage.
bench-load-outage: install
	$(BIN)/python scripts/load_outage.py $(OUTAGE_ARGS)

# The Procfile's production topology on loopback: 2 web processes, 2 workers, 1 beat, on a database of its
# own (sot_topology, dropped afterwards) and Redis database 13. See README "Several processes".
topology: install
	$(BIN)/python scripts/topology_check.py

# Backup and restore drill: pg_dump of a seeded database, restored into a new one, checked and served.
backup-drill: install
	$(BIN)/python scripts/backup_drill.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var .pytest_cache .ruff_cache
