"""The WSGI application factory: create_app(test_config=None) builds the service from its settings."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from advisor.accounts import Accounts
from advisor.api import register
from advisor.api.admission import init_admission
from advisor.api.limits import init_limits
from advisor.api.settings import from_environment
from advisor.catalog.registry import CatalogRegistry
from advisor.scenarios import Scenarios
from advisor.service import Advisor
from advisor.storage import default_instance_path, default_url, open_store
from advisor.web import init_app as init_web


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """A configured app: defaults, then ADVISOR_* environment variables, then `test_config`.

    The catalogs load here, so a broken ADVISOR_CATALOG stops the service at start rather
    than on the first request.
    """
    app = Flask("advisor", static_folder=None, instance_path=str(default_instance_path()))
    app.config.update(from_environment())
    if test_config is not None:
        app.config.update(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    catalogs = CatalogRegistry(own=app.config["ADVISOR_CATALOG"] or "")
    app.extensions["advisor"] = Advisor(
        catalogs, solver=app.config["ADVISOR_SOLVER"], time_limit=float(app.config["ADVISOR_TIME_LIMIT"])
    )
    # Saved scenarios: the database is opened and migrated now, so a corrupt or unreachable
    # one stops the service at start with a clear message instead of failing a request later.
    url = app.config["ADVISOR_DATABASE_URL"] or default_url(app.instance_path)
    store = open_store(url)
    app.extensions["scenarios"] = Scenarios(app.extensions["advisor"], store)
    app.extensions["accounts"] = Accounts(store.accounts)
    register(app)
    init_web(app)
    init_admission(app)
    init_limits(app)
    proxies = int(app.config["ADVISOR_TRUSTED_PROXIES"])
    if proxies:  # the client's address, scheme and host as the proxies in front saw them
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    return app
