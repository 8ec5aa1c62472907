"""Price books and product facts.

`advisor.catalog.model` holds the loaded catalog's types (plain data, no framework); loading
and validating a folder is `advisor.catalog.loader`, and the price books a process uses by id
are `advisor.catalog.registry`. This package imports only the types, so the engine can use a
catalog without loading the validator.
"""

from advisor.catalog.model import Catalog, Item, LoadBalancerModel, Rule, ServerModel

__all__ = ["Catalog", "Item", "LoadBalancerModel", "Rule", "ServerModel"]
