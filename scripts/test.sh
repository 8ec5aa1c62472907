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
# In CI the browser tests must run, not skip.
if [ "${CI:-}" = true ]; then export ADVISOR_REQUIRE_BROWSER=1; fi
exec .venv/bin/python -m pytest "$@"
