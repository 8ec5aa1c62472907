"""The price books a process can use, by id: the shipped ones and a planner's own."""

from __future__ import annotations

import os
from pathlib import Path

from advisor.catalog.model import Catalog
from advisor.domain import UnknownCatalog

ENV_CATALOG = "ADVISOR_CATALOG"


def shipped_catalogs_dir() -> Path:
    """The repository's catalog/ folder: one sub-folder per shipped price book."""
    return Path(__file__).resolve().parent.parent.parent / "catalog"


class CatalogRegistry:
    """The price books a process can use, by id.

    The shipped catalogs are always there. A planner's own price book (`--catalog PATH` or
    the ADVISOR_CATALOG environment variable) is added under its own id and also answers
    to "default", so requests that name no catalog are priced from it.
    """

    def __init__(self, own: Path | str | None = None, shipped: Path | None = None):
        from advisor.catalog.loader import load_catalog  # the validator, only when loading

        self._catalogs: dict[str, Catalog] = {}
        shipped = shipped or shipped_catalogs_dir()
        if shipped.is_dir():
            for folder in sorted(p for p in shipped.iterdir() if (p / "catalog.toml").is_file()):
                catalog = load_catalog(folder)
                self._catalogs[catalog.id] = catalog
        own = own if own is not None else os.environ.get(ENV_CATALOG) or None
        self._default_id = "default"
        if own:
            catalog = load_catalog(Path(own))
            self._catalogs[catalog.id] = catalog
            self._default_id = catalog.id

    def get(self, catalog_id: str = "default") -> Catalog:
        key = self._default_id if catalog_id == "default" else catalog_id
        try:
            return self._catalogs[key]
        except KeyError:
            raise UnknownCatalog(catalog_id, self.ids()) from None

    def ids(self) -> list[str]:
        return sorted(self._catalogs)

    def all(self) -> list[Catalog]:
        return [self._catalogs[i] for i in self.ids()]
