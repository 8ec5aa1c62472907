"""Saved scenarios on the web: save a result, its shareable page, edit, delete, re-price, list, compare."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass, replace
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from advisor.contract.responses import dump_recommendations
from advisor.domain import MAX_COMPARED, SavedScenario, money_to_cents
from advisor.web.present import money
from tests.web.conftest import CSRF_FIELD, build_app, result_url

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def token_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def result_page(client: FlaskClient, **changes: str) -> tuple[str, str]:
    """A result's URL and its page, as a person reaches it by submitting the form."""
    url = result_url(client, **changes)
    response = client.get(url)
    assert response.status_code == 200
    return url, response.get_data(as_text=True)


def save_page(client: FlaskClient, **changes: str) -> tuple[str, str]:
    """The Save page a result links to: its request token and the page."""
    url, page = result_page(client, **changes)
    link = re.search(r'href="(/scenarios/new\?r=[^"]+)"', page)
    assert link, "the result page has no Save link"
    response = client.get(link.group(1))
    assert response.status_code == 200
    return url.split("r=", 1)[1], response.get_data(as_text=True)


def save(client: FlaskClient, name: str, notes: str = "", **changes: str) -> Any:
    """Press Save on a result page, then Save with a name and notes; the answer to the post."""
    token, page = save_page(client, **changes)
    data = {"csrf_token": token_of(page), "r": token, "name": name, "notes": notes}
    return client.post("/scenarios", data=data)


def saved_id(client: FlaskClient, name: str, notes: str = "", **changes: str) -> str:
    response = save(client, name, notes, **changes)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    location: str = response.headers["Location"]
    assert re.fullmatch(r"/scenarios/[A-Za-z0-9_-]{22}", location)
    return location.rsplit("/", 1)[1]


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Stored:
    """A saved scenario as the API shows it: its result in the contract's JSON."""

    saved: SavedScenario

    def __getattr__(self, name: str) -> Any:
        return getattr(self.saved, name)

    @property
    def response(self) -> dict[str, Any]:
        return dump_recommendations(self.saved.result)


def stored(app: Flask, scenario_id: str) -> Stored:
    return Stored(app.extensions["scenarios"].get(scenario_id))


def test_the_result_page_links_to_a_save_form_with_a_csrf_token_and_the_request(client: FlaskClient) -> None:
    _, result = result_page(client, **{"project.name": "Mail HA refresh"})
    assert "csrf_token" not in result, "the result page stays the same on every reload: no token in it"
    token, page = save_page(client, **{"project.name": "Mail HA refresh"})
    assert 'action="/scenarios"' in page and 'method="post"' in page
    assert f'name="r" value="{token}"' in page
    assert token_of(page)
    assert 'name="name" maxlength="200" value="Mail HA refresh"' in page
    assert client.get(f"/scenarios/new?r={token}").headers["Cache-Control"] == "no-store"
    assert client.get("/scenarios/new?r=garbage").status_code == 400


def test_saving_redirects_to_a_shareable_page_that_shows_the_stored_result(
    app: Flask, client: FlaskClient
) -> None:
    name = unique("Budget 30k")
    scenario_id = saved_id(client, name, "First draft for the customer.")
    saved = stored(app, scenario_id)
    stranger = app.test_client()
    response = stranger.get(f"/scenarios/{scenario_id}")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    best = saved.response["recommendations"][0]
    assert name in text and "First draft for the customer." in text
    assert best["title"] in text
    assert money(money_to_cents(best["cost"]["total"]), "USD") in text
    catalog = saved.response["catalog"]
    assert f"catalog {catalog['id']} version {catalog['version']}, as of {catalog['as_of']}" in text
    assert saved.created_at.strftime("%Y-%m-%d") in text
    assert "Re-price with today's catalog" in text
    assert "Single points of failure" in text and "Bill of materials" in text


def test_the_scenario_page_shows_the_stored_result_without_running_the_solver(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario_id = saved_id(client, unique("Stored"))
    advisor = app.extensions["advisor"]

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a stored result must not be recomputed")

    monkeypatch.setattr(advisor, "recommend", refuse)
    assert client.get(f"/scenarios/{scenario_id}").status_code == 200
    assert client.get(f"/scenarios/{scenario_id}/diagram-1.svg").status_code == 200
    assert client.get(f"/scenarios/{scenario_id}/export?format=csv").status_code == 200


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "Give the scenario a name."), ("x" * 201, "Keep the name to 200 characters")],
)
def test_a_bad_name_re_shows_the_form_with_the_message_beside_the_field_and_the_input_kept(
    client: FlaskClient, name: str, message: str
) -> None:
    response = save(client, name, "notes kept")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="save-name-error"' in page and message in page
    assert 'aria-invalid="true"' in page
    assert ">notes kept</textarea>" in page
    assert f'value="{name}"' in page


def test_an_unknown_scenario_is_a_friendly_404_page(client: FlaskClient) -> None:
    for path in ("/scenarios/AAAAAAAAAAAAAAAAAAAAAA", "/scenarios/nope", "/scenarios/nope/export"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.mimetype == "text/html"
        assert "No such saved scenario" in response.get_data(as_text=True)


def test_a_post_without_a_csrf_token_is_refused_and_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    url, _ = result_page(client)
    name = unique("Forged")
    response = app.test_client().post("/scenarios", data={"r": url.split("r=", 1)[1], "name": name})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert app.extensions["scenarios"].list(name=name).total == 0


def test_edits_deletes_and_re_prices_without_a_csrf_token_are_refused(
    app: Flask, client: FlaskClient
) -> None:
    scenario_id = saved_id(client, unique("Guarded"))
    stranger = app.test_client()
    for path in ("", "/delete", "/reprice"):
        assert stranger.post(f"/scenarios/{scenario_id}{path}", data={"name": "x"}).status_code == 400
    assert stored(app, scenario_id).name.startswith("Guarded")


def test_markup_in_the_name_and_notes_is_shown_as_text(client: FlaskClient) -> None:
    scenario_id = saved_id(client, XSS, XSS)
    for path in (f"/scenarios/{scenario_id}", "/scenarios", f"/scenarios/{scenario_id}/delete"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_renaming_and_changing_the_notes_keeps_the_stored_result(app: Flask, client: FlaskClient) -> None:
    scenario_id = saved_id(client, unique("Before"))
    before = stored(app, scenario_id)
    page = client.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    data = {"csrf_token": token_of(page), "name": "After", "notes": "New notes"}
    response = client.post(f"/scenarios/{scenario_id}", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/scenarios/{scenario_id}"
    after = stored(app, scenario_id)
    assert (after.name, after.notes) == ("After", "New notes")
    assert after.response == before.response
    assert "Saved the new name and notes." in client.get(f"/scenarios/{scenario_id}").get_data(as_text=True)

    refused = client.post(f"/scenarios/{scenario_id}", data={**data, "name": ""})
    assert refused.status_code == 422
    assert 'id="edit-name-error"' in refused.get_data(as_text=True)
    assert stored(app, scenario_id).name == "After"


def test_deleting_asks_first_then_removes_the_scenario(app: Flask, client: FlaskClient) -> None:
    scenario_id = saved_id(client, unique("Doomed"))
    confirm = client.get(f"/scenarios/{scenario_id}/delete")
    assert confirm.status_code == 200
    assert "Delete the scenario" in confirm.get_data(as_text=True)
    assert client.get(f"/scenarios/{scenario_id}").status_code == 200
    response = client.post(
        f"/scenarios/{scenario_id}/delete", data={"csrf_token": token_of(confirm.get_data(as_text=True))}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/scenarios"
    assert "Deleted the saved scenario" in client.get("/scenarios").get_data(as_text=True)
    assert client.get(f"/scenarios/{scenario_id}").status_code == 404


def priced_from_an_older_catalog(app: Flask, scenario_id: str) -> str:
    """A copy of a saved scenario as if priced from an earlier version of the price book."""
    saved = app.extensions["scenarios"].get(scenario_id)
    older = replace(saved.result, catalog=replace(saved.result.catalog, version="2025.1.0"))
    copy: SavedScenario = app.extensions["scenarios"].store.add(
        saved.name, saved.notes, dict(saved.request), older
    )
    return copy.id


def test_re_pricing_makes_a_new_scenario_whose_page_shows_the_differences(
    app: Flask, client: FlaskClient
) -> None:
    scenario_id = priced_from_an_older_catalog(app, saved_id(client, unique("Old prices")))
    page = client.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    response = client.post(f"/scenarios/{scenario_id}/reprice", data={"csrf_token": token_of(page)})
    assert response.status_code == 303
    fresh_id = response.headers["Location"].rsplit("/", 1)[1]
    assert fresh_id != scenario_id
    assert stored(app, fresh_id).repriced_from == scenario_id
    text = text_of(client.get(f"/scenarios/{fresh_id}").get_data(as_text=True))
    assert "What re-pricing changed" in text
    assert "Catalog before" in text and "Catalog now" in text
    assert "Total before" in text and "Design changes" in text
    assert "Re-priced against the current catalog" in text


def test_re_pricing_against_an_unchanged_catalog_saves_nothing_and_says_nothing_changed(
    app: Flask, client: FlaskClient
) -> None:
    name = unique("Same prices")
    scenario_id = saved_id(client, name)
    page = client.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    before = app.extensions["scenarios"].list(limit=100, name=name).total
    response = client.post(f"/scenarios/{scenario_id}/reprice", data={"csrf_token": token_of(page)})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/scenarios/{scenario_id}"
    assert app.extensions["scenarios"].list(limit=100, name=name).total == before == 1
    text = text_of(client.get(f"/scenarios/{scenario_id}").get_data(as_text=True))
    assert "Nothing changed" in text and "nothing new was saved" in text
    assert "What re-pricing changed" not in text


def test_the_list_is_newest_first_filtered_by_name_and_offers_designs_to_compare(client: FlaskClient) -> None:
    tag = uuid.uuid4().hex[:8]
    first = saved_id(client, f"List {tag} one")
    second = saved_id(client, f"List {tag} two", **{"budget.amount": "40000"})
    page = client.get(f"/scenarios?name={tag}").get_data(as_text=True)
    assert page.index(f"/scenarios/{second}") < page.index(f"/scenarios/{first}")
    assert "2 scenarios" in text_of(page)
    assert f'name="d" value="{first}:' in page and f'name="d" value="{second}:' in page
    assert 'action="/scenarios/compare"' in page
    assert "No saved scenario has a name containing" in client.get("/scenarios?name=zz-none-zz").get_data(
        as_text=True
    )


def test_the_list_pages_through_the_scenarios(client: FlaskClient) -> None:
    tag = uuid.uuid4().hex[:8]
    for n in range(21):
        saved_id(client, f"Paged {tag} {n}")
    page = client.get(f"/scenarios?name={tag}").get_data(as_text=True)
    assert "1–20 of 21" in text_of(page) and 'rel="next"' in page
    older = client.get(f"/scenarios?name={tag}&offset=20").get_data(as_text=True)
    assert f"Paged {tag} 0" in older and 'rel="prev"' in older


def test_with_listing_off_the_list_says_so_but_links_still_work() -> None:
    app = build_app(ADVISOR_SCENARIO_LISTING=False)
    client = app.test_client()
    scenario_id = saved_id(client, unique("Unlisted"))
    response = client.get("/scenarios")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "not listed on this deployment" in page and "Unlisted" not in page
    assert client.get(f"/scenarios/{scenario_id}").status_code == 200
    assert (
        'href="/scenarios"'
        not in client.get(f"/scenarios/{scenario_id}").get_data(as_text=True).split("</nav>", 1)[1]
    )


def test_compare_shows_designs_of_two_scenarios_side_by_side_with_export_links(
    app: Flask, client: FlaskClient
) -> None:
    a = saved_id(client, unique("Cheap"))
    b = saved_id(client, unique("Roomy"), **{"budget.amount": "40000"})
    arch_a = stored(app, a).response["recommendations"][0]["architecture"]
    arch_b = stored(app, b).response["recommendations"][1]["architecture"]
    query = f"d={a}:{arch_a}&d={b}:{arch_b}"
    response = client.get(f"/scenarios/compare?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    for scenario_id, arch in ((a, arch_a), (b, arch_b)):
        assert f"/scenarios/{scenario_id}" in page and arch in text
    for row in ("Upfront", "Total", "Goals missed", "Single points of failure", "Catalog"):
        assert row in text
    for fmt in ("xlsx", "pdf", "csv", "csv-summary", "json"):
        assert f"format={fmt}" in page

    download = client.get(f"/scenarios/compare/export?{query}&format=xlsx")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.data[:2] == b"PK"
    workbook = openpyxl.load_workbook(io.BytesIO(download.data))
    assert workbook.sheetnames
    for fmt in ("pdf", "csv", "csv-summary", "json"):
        assert client.get(f"/scenarios/compare/export?{query}&format={fmt}").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "",
        "d={a}:{arch}",
        "d={a}:{arch}&d={a}:{arch}",
        "d={a}:{arch}&d={a}:not_an_architecture",
        "d={a}:{arch}&d=AAAAAAAAAAAAAAAAAAAAAA:{arch}",
        "d={a}:{arch}&d=no-colon",
    ],
)
def test_compare_with_fewer_than_two_designs_or_a_bad_pick_is_a_friendly_400_page(
    app: Flask, client: FlaskClient, query: str
) -> None:
    a = saved_id(client, unique("Pick"))
    arch = stored(app, a).response["recommendations"][0]["architecture"]
    for path in ("/scenarios/compare", "/scenarios/compare/export"):
        response = client.get(f"{path}?{query.format(a=a, arch=arch)}")
        assert response.status_code == 400
        assert response.mimetype == "text/html"
        assert "Those designs cannot be compared" in response.get_data(as_text=True)


def test_a_scenario_exports_its_stored_designs_in_every_format(app: Flask, client: FlaskClient) -> None:
    scenario_id = saved_id(client, unique("Exported"))
    for fmt in ("xlsx", "pdf", "csv", "csv-summary", "json"):
        response = client.get(f"/scenarios/{scenario_id}/export?format={fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["Content-Disposition"].startswith("attachment;")
    arch = stored(app, scenario_id).response["recommendations"][0]["architecture"]
    assert client.get(f"/scenarios/{scenario_id}/export?format=json&picks={arch}").status_code == 200
    refused = client.get(f"/scenarios/{scenario_id}/export?format=json&picks=not_recommended")
    assert refused.status_code == 400 and "That cannot be exported" in refused.get_data(as_text=True)


def test_compare_takes_as_many_designs_as_the_api_and_names_each_column(
    app: Flask, client: FlaskClient
) -> None:
    """One limit for the web and the API (MAX_COMPARED), and every column gets its option letter."""
    ids = [saved_id(client, unique(f"Plan {i}"), **{"budget.amount": "60000"}) for i in range(4)]
    picks = [
        f"d={scenario_id}:{r['architecture']}"
        for scenario_id in ids
        for r in stored(app, scenario_id).response["recommendations"]
    ][:MAX_COMPARED]
    assert len(picks) == MAX_COMPARED
    response = client.get("/scenarios/compare?" + "&".join(picks))
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert all(f"Option {chr(ord('A') + i)}" in text for i in range(MAX_COMPARED))
    too_many = client.get("/scenarios/compare?" + "&".join([*picks, picks[0]]))
    assert too_many.status_code == 400 and f"at most {MAX_COMPARED}" in text_of(
        too_many.get_data(as_text=True)
    )
