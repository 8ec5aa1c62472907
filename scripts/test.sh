#!/usr/bin/env bash
# Install the project with its test tools into .venv and run the whole test suite.
# Arguments are passed to pytest (e.g. `bash scripts/test.sh tests/unit -x`).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
# The browser tests drive Debian's Chromium (no browser download); install it where we can.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# In CI the browser, PostgreSQL and Redis tests must run, not skip; start PostgreSQL and Redis
# if they are down.
if [ "${CI:-}" = true ]; then
  export ADVISOR_REQUIRE_BROWSER=1 ADVISOR_REQUIRE_POSTGRES=1 ADVISOR_REQUIRE_REDIS=1
  if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no || true
  fi
fi
# The whole run (no arguments, and always in CI) first holds the code to its linters: ruff,
# mypy --strict and the layer contracts of DESIGN.md (import-linter, in pyproject.toml).
if [ $# -eq 0 ] || [ "${CI:-}" = true ]; then
  .venv/bin/ruff check advisor tests benchmarks scripts
  .venv/bin/ruff format --check advisor tests benchmarks scripts
  .venv/bin/mypy
  .venv/bin/lint-imports
fi
exec .venv/bin/python -m pytest "$@"
