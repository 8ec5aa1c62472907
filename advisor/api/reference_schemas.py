"""Response schemas of the reference and health endpoints: catalogs, architectures, liveness, readiness."""

from __future__ import annotations

from marshmallow import fields, validate

from advisor import architectures
from advisor.contract.responses import (
    CatalogSummarySchema,
    ConcreteDesignSchema,
    Result,
    SinglePointOfFailureSchema,
    SolverSummarySchema,
    choice,
    doc,
    money,
)
from advisor.domain import EXCHANGE_EDITIONS, FAILURE_KINDS, SERVICES, WINDOWS_EDITIONS

Schema = Result  # every schema here dumps typed values (advisor.reference) through the compiled path
ARCHITECTURES = architectures.NAMES


class CatalogEntrySchema(CatalogSummarySchema):
    title = fields.String(required=True, **doc("What the price book is."))
    default = fields.Boolean(
        required=True, **doc("Whether requests that name no catalog are priced from it.")
    )


class CatalogListSchema(Schema):
    catalogs = fields.List(
        fields.Nested(CatalogEntrySchema), required=True, **doc("Every price book, by id.")
    )


class _PricedSchema(Schema):
    sku = fields.String(required=True, **doc("Stock-keeping unit, as bills of materials name it."))
    description = fields.String(required=True, **doc("What it is."))
    category = fields.String(required=True, **doc("hardware, licence or appliance."))
    price = money("Upfront price of one unit.", required=True, attribute="price_cents")
    annual = money(
        "Annual support or Software Assurance of one unit.", required=True, attribute="annual_cents"
    )
    basis = fields.String(required=True, **doc("Where the price comes from, or `assumption: ...`."))


class ServerPriceSchema(_PricedSchema):
    sockets = fields.Integer(required=True, **doc("Processor sockets."))
    cores = fields.Integer(required=True, **doc("Processor cores in all."))
    specint_rate_per_core = fields.Float(
        required=True, **doc("SPECint_rate2006 result per core: what CPU sizing converts to megacycles.")
    )
    memory_gb = fields.Integer(required=True, **doc("Memory, GB."))
    disk_bays = fields.Integer(required=True, **doc("Bays for database and log disks."))
    mailbox_server = fields.Boolean(
        required=True,
        **doc("Whether it may run Exchange; false: bought for a witness or domain controller only."),
    )


class DiskPriceSchema(_PricedSchema):
    size_gb = fields.Integer(required=True, **doc("Capacity, GB."))
    random_iops = fields.Integer(required=True, **doc("Random IOPS one disk sustains."))


class WindowsPriceSchema(_PricedSchema):
    version = fields.String(required=True, **doc("Windows Server version."))
    edition = choice(WINDOWS_EDITIONS, "Windows Server edition.", required=True)


class ExchangePriceSchema(_PricedSchema):
    version = fields.String(required=True, **doc("Exchange version."))
    edition = choice(EXCHANGE_EDITIONS, "Exchange edition.", required=True)


class LoadBalancerPriceSchema(_PricedSchema):
    kind = fields.String(required=True, **doc("virtual or hardware."))
    ha_pair = fields.Boolean(required=True, **doc("Whether two units can form an active/standby pair."))


class PricesSchema(Schema):
    servers = fields.List(fields.Nested(ServerPriceSchema), required=True)
    disks = fields.List(
        fields.Nested(DiskPriceSchema),
        required=True,
        **doc("Disks for the mailbox servers' databases and logs."),
    )
    windows = fields.List(fields.Nested(WindowsPriceSchema), required=True)
    exchange_servers = fields.List(fields.Nested(ExchangePriceSchema), required=True)
    exchange_cals = fields.List(fields.Nested(ExchangePriceSchema), required=True)
    load_balancers = fields.List(fields.Nested(LoadBalancerPriceSchema), required=True)


class RateSchema(Schema):
    rate = fields.Float(required=True, **doc("Share of the price charged each year."))
    basis = fields.String(required=True, **doc("Where the rate comes from."))


class RoleSchema(Schema):
    hardware_sku = fields.String(required=True, **doc("Server SKU bought for the role."))
    windows_edition = fields.String(required=True, **doc("Windows edition bought for the role."))
    basis = fields.String(required=True, **doc("Why."))


class EditionsFactSchema(Schema):
    rule = fields.String(required=True, **doc("The rule id the fact comes from."))
    editions = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        **doc("Version -> editions."),
    )


class ExchangeFactSchema(Schema):
    editions = fields.List(fields.String(), required=True)
    windows_rule = fields.String(required=True)
    windows_versions = fields.List(fields.String(), required=True, **doc("Windows versions it runs on."))
    mounted_databases_rule = fields.String(required=True)
    mounted_databases = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        **doc("Edition -> databases per server."),
    )


class DagFactSchema(Schema):
    rule = fields.String(required=True)
    max_members = fields.Integer(required=True)
    max_copies_per_database = fields.Integer(required=True)


class PolicyValueSchema(Schema):
    value = fields.Integer(required=True)
    basis = fields.String(required=True)


class SizingFactSchema(Schema):
    figures = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        required=True,
        **doc("Every sizing figure of the version by name (sizing.toml)."),
    )
    sources = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        **doc("Where the figures come from, or `assumption: ...` / `unconfirmed: ...`."),
    )


class StorageFactSchema(Schema):
    usable_share = fields.Float(required=True, **doc("Share of the data disks' space that holds data."))
    write_penalty = fields.Float(required=True, **doc("Disk writes one database write costs."))
    spare_disks = fields.Integer(required=True, **doc("Hot spares each server keeps."))
    basis = fields.String(required=True, **doc("The source."))


class FactsSchema(Schema):
    windows_editions = fields.Nested(EditionsFactSchema, required=True)
    windows_clustering = fields.Nested(EditionsFactSchema, required=True)
    exchange = fields.Dict(keys=fields.String(), values=fields.Nested(ExchangeFactSchema), required=True)
    dag = fields.Nested(DagFactSchema, required=True)
    design_policy = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(PolicyValueSchema),
        required=True,
        **doc("Choices the advisor makes for every design (assumptions, not rules)."),
    )
    sizing = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(SizingFactSchema),
        required=True,
        **doc("How a server is sized, by Exchange version: the figures and their sources."),
    )
    storage = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(StorageFactSchema),
        required=True,
        **doc("How disks become space and IOPS: `raid` (RAID 10) and `jbod`."),
    )


class RuleSchema(Schema):
    id = fields.String(required=True, **doc("Rule id, as explanations cite it."))
    statement = fields.String(required=True, allow_none=True, **doc("What the rule says."))
    source = fields.String(required=True, allow_none=True, **doc("Where it comes from."))


class CatalogDetailSchema(CatalogEntrySchema):
    prices = fields.Nested(PricesSchema, required=True, **doc("Every priced item with its basis."))
    annual_rates = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(RateSchema),
        required=True,
        **doc("Yearly rates applied to a price when an item gives no annual figure."),
    )
    roles = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(RoleSchema),
        required=True,
        **doc("What supporting roles buy."),
    )
    facts = fields.Nested(FactsSchema, required=True, **doc("Product facts the optimizer obeys."))
    rules = fields.List(
        fields.Nested(RuleSchema), required=True, **doc("Every product rule with its source.")
    )


class FailureServicesSchema(Schema):
    failure = choice(FAILURE_KINDS, "A failure kind.", required=True)
    services = fields.List(fields.String(validate=validate.OneOf(SERVICES)), required=True)


class ArchitectureSchema(Schema):
    name = choice(ARCHITECTURES, "The contract name requests and responses use.", required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    rules = fields.List(fields.Nested(RuleSchema), required=True, **doc("The rules that apply to it."))
    available = fields.Boolean(required=True, **doc("False when the default catalog's rules rule it out."))
    reasons = fields.List(fields.String(), required=True, **doc("Why it is not available, if it is not."))
    smallest_design = fields.Nested(
        ConcreteDesignSchema, required=True, allow_none=True, **doc("The design the profile is of.")
    )
    removes = fields.List(
        fields.Nested(FailureServicesSchema),
        required=True,
        **doc("Outages the baseline (one server, named in `baseline`) has that this architecture does not."),
    )
    leaves = fields.List(
        fields.Nested(FailureServicesSchema), required=True, **doc("Failure kinds that still give an outage.")
    )
    single_points_of_failure = fields.List(
        fields.Nested(SinglePointOfFailureSchema),
        required=True,
        **doc("The components whose failure alone gives an outage, with the sentence for a proposal."),
    )


class ArchitectureListSchema(Schema):
    catalog = fields.Nested(
        CatalogSummarySchema, required=True, **doc("The catalog the rules and designs are from.")
    )
    baseline = choice(ARCHITECTURES, "The architecture `removes` compares with.", required=True)
    assumptions = fields.String(required=True, **doc("What the smallest designs are sized for."))
    architectures = fields.List(fields.Nested(ArchitectureSchema), required=True)


class HealthSchema(Schema):
    status = fields.String(
        required=True, validate=validate.OneOf(["ok"]), **doc("ok while the process serves.")
    )


class ReadySchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ready"]), **doc("ready: a solve worked."))
    catalogs = fields.List(fields.String(), required=True, **doc("The catalog ids loaded."))
    solver = fields.Nested(SolverSummarySchema, required=True, **doc("The readiness solve."))
    check_ms = fields.Float(required=True, **doc("How long the readiness check took, milliseconds."))
