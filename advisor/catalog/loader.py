"""Read a catalog folder, validate every file and the references between them, build a Catalog."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from advisor.catalog.errors import CatalogProblem, InvalidCatalog
from advisor.catalog.model import (
    AvailabilityFigures,
    Catalog,
    Cause,
    DesignPolicy,
    DiskModel,
    ExchangeFacts,
    Item,
    LicenceUnit,
    Lifecycle,
    LoadBalancerModel,
    Rate,
    RoleSpec,
    Rule,
    ServerModel,
    SizingRules,
    StorageRules,
    annual_from_rate,
)
from advisor.catalog.schema import FILES
from advisor.domain import MOST_DATABASE_COPIES, money_to_cents

# Which list in which file holds items, and which field names an item in a message.
_LISTS = {
    ("hardware.toml", "server"): "sku",
    ("hardware.toml", "disk"): "sku",
    ("licences.toml", "windows"): "sku",
    ("licences.toml", "exchange_server"): "sku",
    ("licences.toml", "exchange_cal"): "sku",
    ("load_balancers.toml", "load_balancer"): "sku",
    ("rules.toml", "rule"): "id",
    ("lifecycle.toml", "product"): "product",
}


def load_catalog(path: Path) -> Catalog:
    """Load and validate the catalog in folder `path`; raise InvalidCatalog listing every problem."""
    path = Path(path)
    problems: list[CatalogProblem] = []
    if not path.is_dir():
        raise InvalidCatalog(path, [CatalogProblem("", "", "", "is not a catalog folder")])
    data: dict[str, dict[str, Any]] = {}
    for name, schema in FILES.items():
        raw = _read_toml(path / name, problems)
        if raw is None:
            continue
        try:
            data[name] = schema().load(_dates_to_text(raw))
        except ValidationError as err:
            messages = err.normalized_messages()  # type: ignore[no-untyped-call]
            problems.extend(_flatten(name, raw, messages))
    if problems:
        raise InvalidCatalog(path, problems)
    catalog = _build(path, data)
    problems.extend(_cross_check(catalog, data))
    if problems:
        raise InvalidCatalog(path, problems)
    return catalog


MAX_FILE_BYTES = 1024 * 1024  # a price book's file is a few kilobytes


def _read_toml(file: Path, problems: list[CatalogProblem]) -> dict[str, Any] | None:
    try:
        text = _read_text(file)
        return tomllib.loads(text)
    except FileNotFoundError:
        problems.append(CatalogProblem(file.name, "", "", "file is missing"))
    except _NotText as err:
        problems.append(CatalogProblem(file.name, "", "", str(err)))
    except tomllib.TOMLDecodeError as err:
        problems.append(CatalogProblem(file.name, "", "", f"is not valid TOML: {err}"))
    except RecursionError:
        problems.append(CatalogProblem(file.name, "", "", "is not valid TOML: it nests too deeply"))
    except OSError as err:
        problems.append(CatalogProblem(file.name, "", "", f"cannot be read: {err.strerror}"))
    return None


class _NotText(ValueError):
    """A catalog file that is not a UTF-8 text file of a sensible size."""


def _read_text(file: Path) -> str:
    """The file's text, opened without blocking: a FIFO or a device (a link to /dev/zero) is
    refused before any read, so a broken catalog cannot hang the command or the service."""
    descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise _NotText("is not a regular file")
    with os.fdopen(descriptor, "rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise _NotText(f"is larger than {MAX_FILE_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _NotText(f"is not UTF-8 text: byte {err.start} cannot be read") from None


def _dates_to_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _flatten(file: str, raw: dict[str, Any], messages: Any) -> list[CatalogProblem]:
    found: list[CatalogProblem] = []

    def walk(node: Any, trail: list[str | int]) -> None:
        if isinstance(node, dict):
            for key, sub in node.items():
                walk(sub, [*trail, key])
            return
        texts = node if isinstance(node, list) else [node]
        item, field = _describe(file, raw, trail)
        for text in texts:
            found.append(CatalogProblem(file, item, field, str(text)))

    walk(messages, [])
    return found


def _describe(file: str, raw: dict[str, Any], trail: list[str | int]) -> tuple[str, str]:
    """Split an error path into the item it is about and the field within it."""
    if len(trail) >= 2 and (file, trail[0]) in _LISTS and isinstance(trail[1], int):
        key = _LISTS[(file, str(trail[0]))]
        index = trail[1]
        entries = raw.get(str(trail[0]), [])
        name = ""
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            name = str(entries[index].get(key, ""))
        label = f"{trail[0]}[{index}]" + (f" ({name})" if name else "")
        return label, ".".join(str(t) for t in trail[2:])
    return "", ".".join(str(t) for t in trail)


def _item(entry: dict[str, Any], category: str, rate: float) -> Item:
    price = money_to_cents(entry["price"])
    annual = money_to_cents(entry["annual"]) if "annual" in entry else annual_from_rate(price, rate)
    return Item(entry["sku"], entry["description"], price, annual, entry["basis"], category)


def _availability(raw: dict[str, Any]) -> AvailabilityFigures:
    interruption = {k: float(v) for k, v in raw["interruption"].items() if k != "basis"}
    return AvailabilityFigures(
        causes=tuple(
            Cause(
                c["kind"],
                c["name"],
                c["failures_per_year"],
                c["repair_hours"],
                c["basis"],
                c["appliance"],
                c["storage"],
                c["hosts"],
            )
            for c in raw["cause"]
        ),
        interruption_seconds=interruption,
        interruption_basis=raw["interruption"]["basis"],
        workaround_rules=frozenset(raw["workaround"]["rules"]),
        workaround_hours=raw["workaround"]["hours"],
        workaround_basis=raw["workaround"]["basis"],
        maintenance_windows=raw["maintenance"]["windows_per_year"],
        maintenance_hours=raw["maintenance"]["hours"],
        maintenance_basis=raw["maintenance"]["basis"],
    )


def _build(path: Path, data: dict[str, dict[str, Any]]) -> Catalog:
    head = data["catalog.toml"]
    support = data["support.toml"]
    rates = {name: Rate(value["rate"], value["basis"]) for name, value in support.items()}
    sa = rates["software_assurance"].rate
    hw = rates["hardware_support"].rate
    appliance = rates["appliance_support"].rate
    licences = data["licences.toml"]
    facts = data["facts.toml"]
    policy = facts["design_policy"]
    roles = data["roles.toml"]
    return Catalog(
        id=head["id"],
        version=head["version"],
        currency=head["currency"],
        as_of=head["as_of"].isoformat(),
        title=head["title"],
        path=path,
        rules={r["id"]: Rule(r["id"], r["statement"], r["source"]) for r in data["rules.toml"]["rule"]},
        servers={
            s["sku"]: ServerModel(
                _item(s, "hardware", hw),
                s["sockets"],
                s["cores"],
                s["specint_rate_per_core"],
                s["memory_gb"],
                s["disk_bays"],
                s["mailbox_server"],
                tuple(s["exchange_versions"]),
                s["specint_basis"],
            )
            for s in data["hardware.toml"]["server"]
        },
        disks={
            d["sku"]: DiskModel(
                _item(d, "hardware", hw),
                d["size_gb"],
                d["random_iops"],
                d["iops_basis"],
                tuple(d["exchange_versions"]),
            )
            for d in data["hardware.toml"]["disk"]
        },
        sizing={version: _sizing(rules) for version, rules in data["sizing.toml"]["exchange"].items()},
        storage={kind: StorageRules(**data["sizing.toml"]["storage"][kind]) for kind in ("raid", "jbod")},
        read_share=data["sizing.toml"]["storage"]["io"]["read_share"],
        read_share_basis=data["sizing.toml"]["storage"]["io"]["read_share_basis"],
        windows={(w["version"], w["edition"]): _item(w, "licence", sa) for w in licences["windows"]},
        exchange_servers={
            (x["version"], x["edition"]): _item(x, "licence", sa) for x in licences["exchange_server"]
        },
        exchange_cals={
            (x["version"], x["edition"]): _item(x, "licence", sa) for x in licences["exchange_cal"]
        },
        load_balancers={
            lb["sku"]: LoadBalancerModel(_item(lb, "appliance", appliance), lb["kind"], lb["ha_pair"])
            for lb in data["load_balancers.toml"]["load_balancer"]
        },
        rates=rates,
        witness_host=RoleSpec(**roles["witness_host"]),
        domain_controller=RoleSpec(**roles["domain_controller"]),
        windows_editions={k: tuple(v) for k, v in facts["windows_editions"]["editions"].items()},
        windows_editions_rule=facts["windows_editions"]["rule"],
        windows_clustering={k: tuple(v) for k, v in facts["windows_clustering"]["editions"].items()},
        windows_clustering_rule=facts["windows_clustering"]["rule"],
        exchange={
            version: ExchangeFacts(
                editions=tuple(x["editions"]),
                windows_rule=x["windows_rule"],
                windows_versions=tuple(x["windows_versions"]),
                mounted_databases_rule=x["mounted_databases_rule"],
                mounted_databases=dict(x["mounted_databases"]),
                windows_minimum_update=dict(x["windows_minimum_update"]),
                subscription=x["subscription"],
            )
            for version, x in facts["exchange"].items()
        },
        windows_units={
            (w["version"], w["edition"]): LicenceUnit(
                w["per"], w["pack_cores"], w["min_cores_per_processor"], w["min_cores_per_server"]
            )
            for w in licences["windows"]
        },
        availability=_availability(data["availability.toml"]),
        lifecycle={
            (p["kind"], p["version"]): Lifecycle(
                p["product"],
                p["end_of_support"].isoformat() if p["end_of_support"] else None,
                p["policy"],
                p["basis"],
            )
            for p in data["lifecycle.toml"]["product"]
        },
        dag_rule=facts["dag"]["rule"],
        dag_max_members=facts["dag"]["max_members"],
        dag_max_copies=facts["dag"]["max_copies_per_database"],
        policy=DesignPolicy(
            max_dedicated_cas_servers=policy["max_dedicated_cas_servers"],
            max_added_domain_controllers=policy["max_added_domain_controllers"],
            bases={k: v for k, v in policy.items() if k.endswith("_basis")},
        ),
    )


def _sizing(rules: dict[str, Any]) -> SizingRules:
    figures = {k: v for k, v in rules.items() if not k.endswith("_basis")}
    return SizingRules(**figures, bases={k: v for k, v in rules.items() if k.endswith("_basis")})


def _cross_check(catalog: Catalog, data: dict[str, dict[str, Any]]) -> list[CatalogProblem]:
    """References between files: rules cited, SKUs named, editions priced, SKUs unique."""
    problems: list[CatalogProblem] = []
    seen: dict[str, str] = {}
    for (file, key), _ in _LISTS.items():
        if key in ("rule", "product"):
            continue
        for index, entry in enumerate(data[file][key]):
            sku = entry["sku"]
            if sku in seen:
                problems.append(
                    CatalogProblem(file, f"{key}[{index}] ({sku})", "sku", f"repeats a SKU of {seen[sku]}")
                )
            seen[sku] = f"{file} {key}[{index}]"
    # The optimizer names its variables after SKUs with every other character read as "_".
    as_names: dict[str, str] = {}
    for sku in seen:
        name = re.sub(r"[^A-Za-z0-9_]", "_", sku)
        if name in as_names:
            problems.append(
                CatalogProblem(
                    seen[sku].split(" ")[0],
                    sku,
                    "sku",
                    f"reads the same as {as_names[name]!r} in a model (- . _)",
                )
            )
        as_names[name] = sku
    cited = {
        ("facts.toml", "windows_editions", "rule"): catalog.windows_editions_rule,
        ("facts.toml", "windows_clustering", "rule"): catalog.windows_clustering_rule,
        ("facts.toml", "dag", "rule"): catalog.dag_rule,
    }
    for version, facts in catalog.exchange.items():
        cited[("facts.toml", f"exchange.{version}", "windows_rule")] = facts.windows_rule
        cited[("facts.toml", f"exchange.{version}", "mounted_databases_rule")] = facts.mounted_databases_rule
    for (file, item, field_name), rule in cited.items():
        if rule not in catalog.rules:
            problems.append(CatalogProblem(file, item, field_name, f"cites unknown rule {rule!r}"))
    for role in ("witness_host", "domain_controller"):
        spec: RoleSpec = getattr(catalog, role)
        if spec.hardware_sku not in catalog.servers:
            problems.append(
                CatalogProblem(
                    "roles.toml", role, "hardware_sku", f"unknown server SKU {spec.hardware_sku!r}"
                )
            )
        supported = sorted({v for facts in catalog.exchange.values() for v in facts.windows_versions})
        for version in supported:
            if (version, spec.windows_edition) not in catalog.windows:
                problems.append(
                    CatalogProblem(
                        "roles.toml",
                        role,
                        "windows_edition",
                        f"Windows Server {version} {spec.windows_edition} has no price (licences.toml)",
                    )
                )
    for version, facts in catalog.exchange.items():
        if version not in catalog.sizing:
            problems.append(
                CatalogProblem(
                    "sizing.toml", f"exchange.{version}", "", f"no sizing rules for Exchange {version}"
                )
            )
        elif not catalog.mailbox_server_models(version):
            problems.append(
                CatalogProblem(
                    "hardware.toml",
                    "",
                    "server",
                    f"no mailbox server model is offered for Exchange {version} within its hardware ceilings",
                )
            )
        for edition in facts.editions:
            if (version, edition) not in catalog.exchange_servers:
                problems.append(
                    CatalogProblem(
                        "licences.toml", "exchange_server", "", f"no price for Exchange {version} {edition}"
                    )
                )
        if (version, "standard") not in catalog.exchange_cals:
            problems.append(
                CatalogProblem("licences.toml", "exchange_cal", "", f"no Standard CAL for Exchange {version}")
            )
    for version, x in catalog.exchange.items():
        if ("exchange", version) not in catalog.lifecycle:
            problems.append(
                CatalogProblem("lifecycle.toml", "", "product", f"no support dates for Exchange {version}")
            )
        for windows in x.windows_versions:
            if ("windows", windows) not in catalog.lifecycle:
                problems.append(
                    CatalogProblem(
                        "lifecycle.toml", "", "product", f"no support dates for Windows Server {windows}"
                    )
                )
    for (kind, version), entry in catalog.lifecycle.items():
        if entry.policy == "fixed" and entry.end_of_support is None:
            problems.append(
                CatalogProblem(
                    "lifecycle.toml", f"{kind} {version}", "end_of_support", "a fixed policy needs a date"
                )
            )
    if catalog.dag_max_copies < MOST_DATABASE_COPIES:
        problems.append(
            CatalogProblem(
                "facts.toml",
                "dag",
                "max_copies_per_database",
                f"is {catalog.dag_max_copies}, but a request may ask for up to {MOST_DATABASE_COPIES} "
                "copies of each database",
            )
        )
    for (version, edition), _item in catalog.windows.items():
        if edition not in catalog.windows_editions.get(version, ()):
            problems.append(
                CatalogProblem(
                    "licences.toml",
                    f"windows ({version} {edition})",
                    "edition",
                    f"Windows Server {version} has no {edition} edition (facts.toml windows_editions)",
                )
            )
    return problems
