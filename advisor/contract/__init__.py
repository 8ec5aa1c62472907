"""The response contract (DESIGN.md) as marshmallow schemas over the typed results.

The API, the CLI and storage serialize results through these schemas (`dump_*`), and read
stored ones back (`load_*`), so the OpenAPI document, the bytes sent and the rows kept are one
description.
"""
