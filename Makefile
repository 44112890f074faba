# Each habit has a target. The README's two set-up commands are `make run` and `make test`.
.PHONY: run test lint format lock bench bench-pages

run:  ## set up, load the demo programme, serve on http://127.0.0.1:8000 with a Celery worker
	bin/run

test:  ## the whole suite on PostgreSQL and Redis, browser tests included (what CI runs)
	bin/test

lint:  ## ruff lint and format check only
	bin/setup-venv && .venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	bin/setup-venv && .venv/bin/ruff check --fix . && .venv/bin/ruff format .

bench:  ## key pages through gunicorn with wrk, 1x and 10x side by side (seed them first: see docs/benchmarks.md)
	bin/setup-venv && .venv/bin/python manage.py bench_http $(BENCH_ARGS)

bench-pages:  ## in-process page times and query counts, then sealing, on the configured database
	bin/setup-venv && .venv/bin/python manage.py bench_pages --requests 100 && .venv/bin/python -m trackii.sealing.bench \
	  && .venv/bin/python manage.py bench_seal

lock:  ## re-resolve dependencies from pyproject.toml and record the exact versions
	rm -rf .venv-lock && python3.13 -m venv .venv-lock && .venv-lock/bin/pip install --quiet '.[test]' \
	  && (echo '# Exact versions Trackii is tested with (pip freeze of .venv). Regenerate with `make lock`.'; \
	      .venv-lock/bin/pip freeze --exclude trackii) >requirements.lock && rm -rf .venv-lock
