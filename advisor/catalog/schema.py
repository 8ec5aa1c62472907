"""Marshmallow schemas for the catalog's TOML files: one schema per file, unknown keys refused."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from advisor.domain import EXCHANGE_EDITIONS, EXCHANGE_VERSIONS, WINDOWS_EDITIONS, WINDOWS_VERSIONS
from advisor.fields import StrictBoolean, StrictInteger, StrictNumber


def _money() -> StrictNumber:
    return StrictNumber(required=True, validate=validate.Range(min=0, max=10_000_000))


def _text() -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=500))


def _sku() -> fields.String:
    return fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"))


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PricedSchema(_Strict):
    sku = _sku()
    description = _text()
    price = _money()
    annual = StrictNumber(validate=validate.Range(min=0, max=10_000_000))
    basis = _text()


class ServerSchema(PricedSchema):
    sockets = StrictInteger(required=True, validate=validate.Range(min=1, max=8))
    cores = StrictInteger(required=True, validate=validate.Range(min=1, max=512))
    specint_rate_per_core = StrictNumber(required=True, validate=validate.Range(min=1, max=1000))
    specint_basis = _text()
    memory_gb = StrictInteger(required=True, validate=validate.Range(min=1, max=65536))
    disk_bays = StrictInteger(required=True, validate=validate.Range(min=0, max=256))
    mailbox_server = StrictBoolean(required=True)
    exchange_versions = fields.List(
        fields.String(validate=validate.OneOf(EXCHANGE_VERSIONS)),
        required=True,
        validate=validate.Length(min=1),
    )


class DiskSchema(PricedSchema):
    exchange_versions = fields.List(
        fields.String(validate=validate.OneOf(EXCHANGE_VERSIONS)),
        load_default=lambda: list(EXCHANGE_VERSIONS),
        validate=validate.Length(min=1),
    )
    size_gb = StrictInteger(required=True, validate=validate.Range(min=1, max=1_000_000))
    random_iops = StrictInteger(required=True, validate=validate.Range(min=1, max=10_000_000))
    iops_basis = _text()


class WindowsLicenceSchema(PricedSchema):
    version = fields.String(required=True, validate=validate.OneOf(WINDOWS_VERSIONS))
    edition = fields.String(required=True, validate=validate.OneOf(WINDOWS_EDITIONS))
    # What one licence covers: a server, two processors, or a pack of cores (2016 and later).
    per = fields.String(
        load_default="server", validate=validate.OneOf(["server", "processor", "two_processors", "core_pack"])
    )
    pack_cores = StrictInteger(load_default=2, validate=validate.Range(min=1, max=64))
    min_cores_per_processor = StrictInteger(load_default=8, validate=validate.Range(min=0, max=512))
    min_cores_per_server = StrictInteger(load_default=16, validate=validate.Range(min=0, max=512))


class ExchangeLicenceSchema(PricedSchema):
    version = fields.String(required=True, validate=validate.OneOf(EXCHANGE_VERSIONS))
    edition = fields.String(required=True, validate=validate.OneOf(EXCHANGE_EDITIONS))


class LoadBalancerSchema(PricedSchema):
    kind = fields.String(required=True, validate=validate.OneOf(["hardware", "virtual"]))
    ha_pair = StrictBoolean(required=True)


class CatalogHeaderSchema(_Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]{0,63}$"))
    version = _text()
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    as_of = fields.Date(required=True)
    title = _text()


class HardwareSchema(_Strict):
    server = fields.List(fields.Nested(ServerSchema), required=True)
    disk = fields.List(fields.Nested(DiskSchema), required=True, validate=validate.Length(min=1))


def _share(**extra: object) -> StrictNumber:
    return StrictNumber(required=True, validate=validate.Range(min=0, max=10), **extra)  # type: ignore[arg-type]


def _positive() -> StrictNumber:
    return StrictNumber(required=True, validate=validate.Range(min=0, max=1_000_000))


class SizingRulesSchema(_Strict):
    megacycles_per_specint = _positive()
    megacycles_per_specint_basis = _text()
    active_megacycles_per_message = _positive()
    active_megacycles_basis = _text()
    passive_share = _share()
    passive_share_basis = _text()
    client_access_share = _share()
    client_access_share_basis = _text()
    transport_share = _share()
    transport_share_basis = _text()
    cpu_ceiling = StrictNumber(required=True, validate=validate.Range(min=0.01, max=1))
    cpu_ceiling_basis = _text()
    cache_mb_per_message = _positive()
    cache_basis = _text()
    passive_cache_share = _share()
    memory_base_gb = _positive()
    memory_minimum_gb = _positive()
    cache_share_of_memory = StrictNumber(required=True, validate=validate.Range(min=0.01, max=1))
    memory_basis = _text()
    client_access_memory_gb_per_core = _positive()
    client_access_memory_basis = _text()
    iops_per_message = _positive()
    iops_per_message_single_copy = _positive()
    iops_basis = _text()
    passive_iops_share = _share()
    passive_iops_basis = _text()
    iops_headroom = _share()
    iops_headroom_basis = _text()
    database_overhead = _share()
    database_overhead_basis = _text()
    content_index = _share()
    content_index_basis = _text()
    log_mb_per_message = _positive()
    log_days = StrictInteger(required=True, validate=validate.Range(min=0, max=365))
    log_basis = _text()
    provisioning = StrictNumber(required=True, validate=validate.Range(min=1, max=10))
    provisioning_basis = _text()
    max_database_gb = _positive()
    max_database_gb_with_copies = _positive()
    max_database_basis = _text()
    max_cores = StrictInteger(required=True, validate=validate.Range(min=1, max=4096))
    max_memory_gb = StrictInteger(required=True, validate=validate.Range(min=1, max=65536))
    ceiling_basis = _text()


class StorageRulesSchema(_Strict):
    usable_share = StrictNumber(required=True, validate=validate.Range(min=0.01, max=1))
    write_penalty = StrictNumber(required=True, validate=validate.Range(min=1, max=10))
    spare_disks = StrictInteger(required=True, validate=validate.Range(min=0, max=16))
    even_disks = StrictBoolean(required=True)
    copies_per_disk = StrictInteger(load_default=0, validate=validate.Range(min=0, max=64))
    active_copies_per_disk = StrictInteger(load_default=0, validate=validate.Range(min=0, max=64))
    basis = _text()


class StorageIoSchema(_Strict):
    read_share = StrictNumber(required=True, validate=validate.Range(min=0, max=1))
    read_share_basis = _text()


class StorageSchema(_Strict):
    raid = fields.Nested(StorageRulesSchema, required=True)
    jbod = fields.Nested(StorageRulesSchema, required=True)
    io = fields.Nested(StorageIoSchema, required=True)


class SizingSchema(_Strict):
    exchange = fields.Dict(
        keys=fields.String(validate=validate.OneOf(EXCHANGE_VERSIONS)),
        values=fields.Nested(SizingRulesSchema),
        required=True,
    )
    storage = fields.Nested(StorageSchema, required=True)


class LicencesSchema(_Strict):
    windows = fields.List(fields.Nested(WindowsLicenceSchema), required=True)
    exchange_server = fields.List(fields.Nested(ExchangeLicenceSchema), required=True)
    exchange_cal = fields.List(fields.Nested(ExchangeLicenceSchema), required=True)


class LoadBalancersSchema(_Strict):
    load_balancer = fields.List(fields.Nested(LoadBalancerSchema), required=True)


class RateSchema(_Strict):
    rate = StrictNumber(required=True, validate=validate.Range(min=0, max=1))
    basis = _text()


class SupportSchema(_Strict):
    software_assurance = fields.Nested(RateSchema, required=True)
    hardware_support = fields.Nested(RateSchema, required=True)
    appliance_support = fields.Nested(RateSchema, required=True)


class RoleSpecSchema(_Strict):
    hardware_sku = _sku()
    windows_edition = fields.String(required=True, validate=validate.OneOf(WINDOWS_EDITIONS))
    basis = _text()


class RolesSchema(_Strict):
    witness_host = fields.Nested(RoleSpecSchema, required=True)
    domain_controller = fields.Nested(RoleSpecSchema, required=True)


class RuleSchema(_Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$"))
    statement = _text()
    source = _text()


class RulesSchema(_Strict):
    rule = fields.List(fields.Nested(RuleSchema), required=True)


_edition_lists = fields.Dict(
    keys=fields.String(validate=validate.OneOf(WINDOWS_VERSIONS)),
    values=fields.List(fields.String(validate=validate.OneOf(WINDOWS_EDITIONS))),
    required=True,
)


class EditionFactSchema(_Strict):
    rule = fields.String(required=True)
    editions = _edition_lists


class MountedDatabasesSchema(_Strict):
    standard = StrictInteger(required=True, validate=validate.Range(min=1, max=1000))
    enterprise = StrictInteger(required=True, validate=validate.Range(min=1, max=1000))


class ExchangeFactSchema(_Strict):
    editions = fields.List(fields.String(validate=validate.OneOf(EXCHANGE_EDITIONS)), required=True)
    windows_rule = fields.String(required=True)
    windows_versions = fields.List(fields.String(validate=validate.OneOf(WINDOWS_VERSIONS)), required=True)
    windows_minimum_update = fields.Dict(
        keys=fields.String(validate=validate.OneOf(WINDOWS_VERSIONS)),
        values=fields.String(validate=validate.Length(min=1, max=100)),
        load_default=dict,
    )
    subscription = StrictBoolean(load_default=False)
    mounted_databases_rule = fields.String(required=True)
    mounted_databases = fields.Nested(MountedDatabasesSchema, required=True)


class DagFactSchema(_Strict):
    rule = fields.String(required=True)
    max_members = StrictInteger(required=True, validate=validate.Range(min=2, max=64))
    max_copies_per_database = StrictInteger(required=True, validate=validate.Range(min=1))


class DesignPolicySchema(_Strict):
    max_dedicated_cas_servers = StrictInteger(required=True, validate=validate.Range(min=2, max=16))
    max_dedicated_cas_servers_basis = _text()
    max_added_domain_controllers = StrictInteger(required=True, validate=validate.Range(min=0, max=4))
    max_added_domain_controllers_basis = _text()


class FactsSchema(_Strict):
    windows_editions = fields.Nested(EditionFactSchema, required=True)
    windows_clustering = fields.Nested(EditionFactSchema, required=True)
    exchange = fields.Dict(
        keys=fields.String(validate=validate.OneOf(EXCHANGE_VERSIONS)),
        values=fields.Nested(ExchangeFactSchema),
        required=True,
    )
    dag = fields.Nested(DagFactSchema, required=True)
    design_policy = fields.Nested(DesignPolicySchema, required=True)


class LifecycleEntrySchema(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(["exchange", "windows"]))
    version = fields.String(required=True, validate=validate.Length(min=1, max=10))
    product = _text()
    end_of_support = fields.Date(load_default=None)
    policy = fields.String(required=True, validate=validate.OneOf(["fixed", "modern"]))
    basis = _text()


class LifecycleSchema(_Strict):
    product = fields.List(fields.Nested(LifecycleEntrySchema), required=True)


class CauseSchema(_Strict):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            [
                "server",
                "client_access_service",
                "witness",
                "domain_controller",
                "load_balancer",
                "hypervisor_host",
                "database",
            ]
        ),
    )
    name = _text()
    failures_per_year = StrictNumber(required=True, validate=validate.Range(min=0, max=1000))
    repair_hours = StrictNumber(required=True, validate=validate.Range(min=0, max=10_000))
    appliance = fields.String(load_default=None, validate=validate.OneOf(["hardware", "virtual"]))
    storage = fields.String(load_default=None, validate=validate.OneOf(["raid", "jbod"]))
    hosts = fields.String(load_default=None, validate=validate.OneOf(["one", "several"]))
    basis = _text()


class WorkaroundSchema(_Strict):
    rules = fields.List(fields.String(), required=True)
    hours = StrictNumber(required=True, validate=validate.Range(min=0, max=10_000))
    basis = _text()


class MaintenanceSchema(_Strict):
    windows_per_year = StrictNumber(required=True, validate=validate.Range(min=0, max=365))
    hours = StrictNumber(required=True, validate=validate.Range(min=0, max=1000))
    basis = _text()


class AvailabilitySchema(_Strict):
    cause = fields.List(fields.Nested(CauseSchema), required=True, validate=validate.Length(min=1))
    interruption = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    workaround = fields.Nested(WorkaroundSchema, required=True)
    maintenance = fields.Nested(MaintenanceSchema, required=True)

    @validates_schema
    def _seconds(self, data: dict[str, object], **kwargs: object) -> None:
        for rule, value in data.get("interruption", {}).items():  # type: ignore[attr-defined]
            if rule == "basis":
                if not isinstance(value, str) or not value:
                    raise ValidationError("must say where the figures come from", "interruption.basis")
            elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 86_400:
                raise ValidationError("must be seconds from 0 to 86,400", f"interruption.{rule}")
        if "default" not in data.get("interruption", {}) or "basis" not in data.get("interruption", {}):  # type: ignore[operator]
            raise ValidationError("needs a `default` and a `basis`", "interruption")


FILES: dict[str, type[Schema]] = {
    "catalog.toml": CatalogHeaderSchema,
    "rules.toml": RulesSchema,
    "facts.toml": FactsSchema,
    "hardware.toml": HardwareSchema,
    "licences.toml": LicencesSchema,
    "load_balancers.toml": LoadBalancersSchema,
    "support.toml": SupportSchema,
    "roles.toml": RolesSchema,
    "sizing.toml": SizingSchema,
    "lifecycle.toml": LifecycleSchema,
    "availability.toml": AvailabilitySchema,
}
