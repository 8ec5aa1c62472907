"""The Exchange HA design-cost advisor: recommend, price and failure-test Exchange HA designs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The WSGI application factory (Flask is imported only when an app is made)."""
    from advisor.app import create_app as factory

    return factory(test_config)
