"""Run the service: gunicorn in production, the Flask development server only when asked (`dev=True`)."""

from __future__ import annotations

import gc
import ipaddress
import logging
import logging.config
import sys
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger

from advisor.api.settings import InvalidSetting, from_environment
from advisor.catalog.errors import InvalidCatalog
from advisor.domain import StorageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# One JSON object per request on stdout (`advisor.access`; gunicorn's access log is off); everything
# else (gunicorn's own messages, unexpected errors) on stderr with a timestamp.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "bare": {"format": "%(message)s"},
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "access": {"class": "logging.StreamHandler", "formatter": "bare", "stream": "ext://sys.stdout"},
        "errors": {"class": "logging.StreamHandler", "formatter": "generic", "stream": "ext://sys.stderr"},
    },
    "root": {"level": "WARNING", "handlers": ["errors"]},
    "loggers": {
        "advisor.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "advisor.api": {"handlers": ["errors"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["errors"], "level": "INFO", "propagate": False},
    },
}


# Threads per worker beyond the solver slots and their line: for /healthz, reads, pages and
# clients still sending their request (each holds a thread for at most ADVISOR_READ_TIMEOUT).
SPARE_THREADS = 16


# The workers' collector thresholds. A worker's engine caches (see EngineCache) grow with the
# requests it answers, and with the defaults (700, 10, 10) a full collection scanned them every
# few requests: about 3 ms of a never-seen request's CPU. Young collections stay at Python's
# default size: each scans what the requests in flight allocated, a fraction of a millisecond,
# where one of 20,000 objects paused every thread of the worker for 10 to 60 ms, and over 1,000
# never-seen requests the collector took about twice the time in all (about 230 against 110 ms,
# measured in process). The middle generation is scanned after about a million allocations, as
# before (every 1,400 young collections), and a full collection after 100 of those; memory is
# freed by reference counting as before, and only garbage in reference cycles waits longer for a
# collection.
GC_THRESHOLDS = (700, 1_400, 100)


class AdvisorLogger(GunicornLogger):  # type: ignore[misc]
    """gunicorn's logger without gunicorn's access log. The advisor writes its own, one JSON
    object per request (`advisor.access`, from `advisor.api.middleware`); gunicorn's is switched
    on by any logging configuration, and built each request's atoms and log record for a logger
    that has no handler."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        return None


def gunicorn_options(
    host: str, port: int, workers: int, time_limit: float, solves: int = 1, queue: int = 8
) -> dict[str, Any]:
    """gunicorn settings for the advisor: the advisor's threaded worker (advisor.api.worker) with
    a thread for each solver slot, each place in their line and SPARE_THREADS more, so that a
    full line and slow clients leave threads for /healthz; a worker timeout (the heartbeat of
    its main thread) well past the requests' time limit."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "advisor.api.worker.AdvisorWorker",
        "threads": solves + queue + SPARE_THREADS,
        "timeout": int(30 + 20 * time_limit),
        "graceful_timeout": 30,
        "preload_app": True,  # build the app (catalogs) once, before forking; a bad catalog stops here
        "max_requests": 20_000,  # recycle now and then (the failure simulator caches analyses) but rarely:
        "max_requests_jitter": 2_000,  # a fresh worker answers its first requests cold
        "accesslog": None,
        "logger_class": "advisor.server.AdvisorLogger",
        "errorlog": "-",
        "loglevel": "info",
        "logconfig_dict": LOGGING,
        "proc_name": "advisor",
        # gunicorn would believe X-Forwarded-Proto from 127.0.0.1 by default: only the app's
        # ProxyFix, set by ADVISOR_TRUSTED_PROXIES, may turn a request into HTTPS.
        "forwarded_allow_ips": "",
    }


class AdvisorServer(BaseApplication):  # type: ignore[misc]
    """gunicorn serving an app that is already built."""

    def __init__(self, app: Flask, options: dict[str, Any]):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def is_loopback(host: str) -> bool:
    """Whether binding `host` serves only this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def refusal(host: str, auth: str | None) -> str | None:
    """Why the service must not start on `host` with ADVISOR_AUTH `auth` (None: not set)."""
    if auth is not None or is_loopback(host):
        return None
    return (
        f"{host} is not a loopback address, and without accounts anyone who reaches the port could read, "
        "change and delete every saved scenario: set ADVISOR_AUTH=tokens (and add accounts with "
        "`advisor users add NAME`), or ADVISOR_AUTH=off to serve without accounts on purpose"
    )


def serve(host: str, port: int, workers: int, dev: bool) -> int:
    """Serve `advisor.create_app()` until stopped; the exit status for `advisor serve`."""
    from advisor.app import create_app

    try:
        refused = refusal(host, from_environment()["ADVISOR_AUTH"])
        if refused:
            print(f"advisor: serve: {refused}", file=sys.stderr)
            return EXIT_USAGE
        app = create_app()
    except (InvalidSetting, InvalidCatalog, StorageError) as err:
        problems = getattr(err, "problems", None)
        for line in [str(p) for p in problems] if problems else [str(err)]:
            print(f"advisor: serve: {line}", file=sys.stderr)
        return EXIT_USAGE
    if workers < 1 or not 0 < port < 65536:
        print("advisor: serve: --workers must be at least 1 and --port between 1 and 65535", file=sys.stderr)
        return EXIT_USAGE
    if dev:
        logging.config.dictConfig(LOGGING)
        print("advisor: serve: Flask development server; use it for development only", file=sys.stderr)
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
        return EXIT_OK
    options = gunicorn_options(
        host,
        port,
        workers,
        float(app.config["ADVISOR_TIME_LIMIT"]),
        int(app.config["ADVISOR_SOLVES_PER_WORKER"]),
        int(app.config["ADVISOR_SOLVE_QUEUE"]),
    )
    # The app is built before the fork (preload): its caches are filled once here (the solver's
    # module is imported, the architectures' failure profiles simulate every architecture, and
    # the structures most requests weigh are simulated: under a second), then frozen so that the
    # workers' garbage collections neither scan them nor write to their pages, which stay shared.
    app.extensions["advisor"].warm([], shapes=True)
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        AdvisorServer(app, options).run()
    except SystemExit as stop:  # gunicorn's arbiter exits through sys.exit
        return stop.code if isinstance(stop.code, int) else EXIT_FAILED
    return EXIT_OK
