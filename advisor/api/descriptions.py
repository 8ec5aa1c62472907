"""Words for the OpenAPI document: the API's description, the request fields' meaning, examples.

The request schemas live in advisor/schemas.py and carry only rules; what each field means
for a planner is written here and added to the document, and a test fails when a field of
those schemas has no words.
"""

from __future__ import annotations

from typing import Any

API_DESCRIPTION = """\
Which Exchange high-availability architecture to buy for a budget, what it costs line by line,
and which single points of failure remain.

`POST /api/v1/recommendations` weighs every architecture for a request and returns the best
designs; `POST /api/v1/analyses` prices and fails one concrete design without optimising.
The reference endpoints list the architectures and the price books (each price with its basis).

Every error is an RFC 9457 `application/problem+json` document with `type`, `title`, `status`,
`detail`, `instance` and `request_id`; invalid input adds `errors`, keyed by field path
(`budget.amount`, `goals.0.services.1`, `(body)` for the body as a whole). Bodies must be
`application/json` objects no larger than the configured limit (1 MiB by default), in UTF-8
(a leading byte-order mark is ignored; other encodings are a 400); a string holding a lone
UTF-16 surrogate (`"\\ud800"`) is invalid input naming its field. Whole numbers may be written
with a zero fraction (`1105.0`). Requests that solve share a bounded number of solver slots
(a 503 `problem-busy` with Retry-After beyond them), and each client a rate limit (429 with
Retry-After). An operation that takes no body (re-price, delete) refuses one that is not JSON
(415), and a method a path does not serve is a 405 with `Allow`.

Accounts: a service run with `ADVISOR_AUTH=tokens` asks every operation but `/healthz`,
`/readyz`, this document, the docs page and the share links for `Authorization: Bearer TOKEN`
(a 401 problem with `WWW-Authenticate` otherwise); the token is what `advisor users add NAME`
printed. Each account sees, changes, re-prices, exports and deletes only the scenarios it
saved (another's is a 404, as if it did not exist) and lists only its own; a scenario's
`share_url` opens it read-only to anyone holding the link. `POST /api/v1/scenarios` honours
an `Idempotency-Key` header, so a retried save answers the first one's scenario.
"""

_EDITION_ANY = "or `any` to let the advisor choose"

REQUEST_FIELDS: dict[str, dict[str, str]] = {
    "Request": {
        "budget": "What the planner may spend; required.",
        "horizon_years": "Years the total cost covers (support and Software Assurance each year). Default 3.",
        "exchange": "The Exchange version (2010, 2013, 2016, 2019 or SE) and edition. Default 2010, "
        "any edition.",
        "windows": "The Windows Server version and edition. Default any edition on 2008R2 for Exchange 2010, "
        "2012R2 for 2013, 2016 for 2016 and 2025 for 2019 and SE.",
        "mailboxes": "Mailboxes to carry. Default 300.",
        "databases": "Mailbox databases; the mailboxes are spread evenly over them. Default 4.",
        "mailbox_profile": "The users' mail profile: messages sent and received a day and mailbox size. "
        "Default 100 messages a day, 2 GB.",
        "database_copies": "Copies of each database, 2 to 4 and at most one per DAG member. Default 2.",
        "storage": "`raid` (RAID 10 for the databases) or `jbod` (one disk a copy; needs 3 or more "
        "copies). Default raid.",
        "environment": "What the organisation already has.",
        "goals": "Redundancy goals: which failure each service must survive; required (may be empty).",
        "objective": "`min_cost` (cheapest design meeting the required goals) or `max_goals` (most "
        "preferred-goal weight, then cheapest). Default min_cost.",
        "alternatives": "How many designs to return at most, each of a different architecture. Default 3.",
        "catalog": "The price book to use, by id (GET /api/v1/catalogs). Default `default`.",
        "project": "Optional free text that quotes and exports print.",
    },
    "Analysis": {
        "architecture": "The architecture of the design; required.",
        "design": "The design's fields as a recommendation gives them; any left out take the "
        "architecture's smallest valid value.",
        "goals": "Goals to report as met or missed. Default none.",
        "budget": "Optional: when given, the cost says whether it fits.",
        "horizon_years": "Years the total cost covers. Default 3.",
        "exchange": "The Exchange version (2010, 2013, 2016, 2019 or SE) and edition. Default 2010, "
        "any edition.",
        "windows": "The Windows Server version and edition. Default any edition on 2008R2 for Exchange 2010, "
        "2012R2 for 2013, 2016 for 2016 and 2025 for 2019 and SE.",
        "mailboxes": "Mailboxes to carry. Default 300.",
        "databases": "Mailbox databases; the mailboxes are spread evenly over them. Default 4.",
        "mailbox_profile": "The users' mail profile: messages sent and received a day and mailbox size. "
        "Default 100 messages a day, 2 GB.",
        "database_copies": "Copies of each database, 2 to 4 and at most one per DAG member. Default 2.",
        "storage": "`raid` (RAID 10 for the databases) or `jbod` (one disk a copy; needs 3 or more "
        "copies). Default raid.",
        "copy_layout": "Optional: which server holds which copy of each database at which activation "
        "preference, as a recommendation's `copy_layout` gives it; by default the best layout for "
        "the design's servers.",
        "environment": "What the organisation already has.",
        "catalog": "The price book to use, by id. Default `default`.",
        "project": "Optional free text that quotes and exports print.",
    },
    "Budget": {
        "amount": "The money available, in the catalog's currency; required.",
        "currency": "ISO 4217 code; must be the catalog's currency. Default USD.",
        "applies_to": "`upfront` (purchase price only) or `total` (upfront plus horizon_years of annual "
        "costs). Default upfront.",
    },
    "Exchange": {
        "version": "Exchange Server version: 2010, 2013, 2016, 2019 or SE (Subscription Edition). "
        "Default 2010.",
        "edition": f"`standard` or `enterprise`, {_EDITION_ANY}. Default any.",
    },
    "Windows": {
        "version": "Windows Server version: 2008, 2008R2, 2012, 2012R2, 2016, 2019, 2022 or 2025. "
        "Default the newest the Exchange version runs on (2008R2 for 2010, 2012R2 for 2013). It must be "
        "one the Exchange version runs on (the catalog's facts, GET /api/v1/catalogs/{id}): 2010 on "
        "2008, 2008R2, 2012, 2012R2; 2013 on 2008R2, 2012, 2012R2; 2016 on 2012, 2012R2, 2016; 2019 on "
        "2019, 2022, 2025; SE on 2019, 2022, 2025. Any other pair is a 422 problem naming "
        "`exchange.version` and `windows.version`, each with the versions that fit. A version out of "
        "support may still be asked for; each design's `lifecycle` and first note then say so.",
        "edition": f"`standard`, `enterprise` or `datacenter`, {_EDITION_ANY}. Default any.",
    },
    "Environment": {
        "domain_controllers": "Domain controllers / global catalogs already running. Default 2.",
        "witness_host": "`existing` (a server to host the DAG witness exists) or `buy`. Default existing.",
        "sites": "Datacenter sites; only 1 is modelled. Default 1.",
        "cals_owned": "Exchange Standard CALs already owned, not bought again. Default 0.",
        "hypervisor_hosts": "Hypervisor hosts that can run virtual load-balancer appliances; the two "
        "units of a virtual pair need two of them. Default 2.",
    },
    "MailboxProfile": {
        "messages_per_day": "Messages each user sends and receives a day, 50 to 500. Default 100.",
        "mailbox_size_gb": "The mailbox quota each user fills, in GB. Default 2.",
    },
    "GivenDatabase": {
        "database": "The database's name, `db-1` to `db-N` (N = `databases`).",
        "copies": "Its copies, one per server, each with its activation preference.",
        "mailboxes": "Optional, as an answer gives it: must be what the even spread puts in the database.",
        "size_gb": "Optional, as an answer gives it; ignored (the size follows from the mailboxes "
        "and the profile).",
    },
    "GivenCopy": {
        "server": "The server holding the copy, `ex-1` to `ex-N` (N = the design's Exchange servers).",
        "preference": "Activation preference: 1 is active in normal operation; after a failure the "
        "surviving copy of lowest number becomes active.",
    },
    "Goal": {
        "failure": "The failure to survive (database, server, load_balancer, witness, ...).",
        "services": "The client services that must not have an outage when it happens.",
        "priority": "`required` (a design that misses it is not offered) or `preferred`. Default required.",
        "weight": "How much a preferred goal counts. Default 1.",
    },
    "Project": {
        "name": "Project name, at most 200 characters.",
        "customer": "Customer, at most 200 characters.",
        "prepared_by": "Who prepared the quote, at most 200 characters.",
    },
    "Design": {
        "exchange_servers": "Exchange servers holding mailboxes (1 for single_server; 2 to 16 DAG members).",
        "dedicated_cas_servers": "Dedicated Client Access servers (2 or more, dedicated_cas_wnlb only).",
        "dag": "Whether the servers form a DAG; fixed by the architecture.",
        "cas_array": "Whether clients use a CAS array; fixed by the architecture.",
        "load_balancers": "Load-balancer units; fixed by the architecture (0, 1 or 2).",
        "witness": "`existing`, `buy`, `cas_server` (Windows NLB designs) or `none`.",
        "windows_edition": "Windows edition of the Exchange servers.",
        "exchange_edition": "Exchange edition of the Exchange servers.",
        "server_model": "Hardware SKU of the Exchange servers (see the catalog).",
        "database_copies": "Copies of each database, at most one per server.",
        "domain_controllers_added": "Domain controllers to buy.",
        "load_balancer_model": "Load-balancer SKU (architectures with a load balancer only).",
        "cas_server_model": "Hardware SKU of the dedicated Client Access servers.",
        "cas_windows_edition": "Windows edition of the dedicated Client Access servers.",
        "cas_exchange_edition": "Exchange edition of the dedicated Client Access servers.",
    },
}

RECOMMENDATION_EXAMPLE: dict[str, Any] = {
    "budget": {"amount": 30000, "currency": "USD", "applies_to": "upfront"},
    "horizon_years": 3,
    "exchange": {"version": "2010", "edition": "any"},
    "windows": {"version": "2008R2", "edition": "any"},
    "mailboxes": 300,
    "databases": 4,
    "environment": {"domain_controllers": 2, "witness_host": "existing", "sites": 1, "cals_owned": 300},
    "goals": [
        {"failure": "database", "services": ["outlook", "owa"], "priority": "required"},
        {"failure": "server", "services": ["outlook", "owa", "smtp_inbound"], "priority": "required"},
        {"failure": "load_balancer", "services": ["outlook"], "priority": "preferred", "weight": 5},
    ],
    "objective": "min_cost",
    "alternatives": 3,
    "catalog": "default",
    "project": {"name": "Mail HA refresh", "customer": "Contoso Ltd", "prepared_by": "A. Planner"},
}

ANALYSIS_EXAMPLE: dict[str, Any] = {
    "architecture": "dag_only",
    "exchange": {"version": "2010", "edition": "standard"},
    "windows": {"version": "2008R2", "edition": "enterprise"},
    "mailboxes": 300,
    "databases": 4,
    "environment": {"domain_controllers": 2, "witness_host": "existing", "sites": 1},
    "design": {
        "exchange_servers": 2,
        "dag": True,
        "cas_array": False,
        "load_balancers": 0,
        "witness": "existing",
        "windows_edition": "enterprise",
        "exchange_edition": "standard",
    },
    "goals": [
        {"failure": "database", "services": ["outlook"], "priority": "required"},
        {"failure": "server", "services": ["outlook", "owa"], "priority": "required"},
    ],
}

QUOTE_EXAMPLE: dict[str, Any] = {
    "request": RECOMMENDATION_EXAMPLE,
    "format": "xlsx",
    "picks": ["dag_cas_array_single_lb", "dag_cas_array_lb_pair"],
    "paper": "A4",
}

COMPARISON_EXAMPLE: dict[str, Any] = {
    "designs": [
        {"scenario": "Zx8qv3Tq0cS1yJ5b2uYw7A", "architecture": "dag_cas_array_single_lb"},
        {"scenario": "Q4m1c9Lr5Hs0Kp2Vd8Ne3g", "architecture": "dag_cas_array_lb_pair"},
    ],
    "format": "xlsx",
}
