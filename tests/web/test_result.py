"""Post/Redirect/Get: the result URL holds the request, reloads to the same page and can be shared."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from advisor.web import codec
from tests.web.conftest import build_app, post_form, result_url

SOLVE_TIME = re.compile(r"\d+ ms\)")


def page_of(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_valid_post_redirects_to_a_result_url_that_holds_the_request(client: FlaskClient) -> None:
    response = post_form(client, **{"budget.amount": "30,000", "project.name": "Mail HA refresh"})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/result?r=")
    request = codec.decode(location.split("r=", 1)[1])
    assert request["budget"]["amount"] == 30000
    assert request["project"]["name"] == "Mail HA refresh"
    assert {
        "failure": "server",
        "services": ["outlook", "owa", "smtp_inbound"],
        "priority": "required",
        "weight": 1.0,
    } in request["goals"]


def test_reloading_the_result_url_gives_the_same_page(client: FlaskClient, app: Flask) -> None:
    url = result_url(client)
    first = SOLVE_TIME.sub("", page_of(client, url))
    assert SOLVE_TIME.sub("", page_of(client, url)) == first
    elsewhere = build_app().test_client()  # another process, another secret key: still the same page
    assert SOLVE_TIME.sub("", page_of(elsewhere, url)) == first


def test_the_result_shows_the_recommended_design_first_with_its_costs(
    client: FlaskClient, advisor: Any
) -> None:
    html = page_of(client, result_url(client))
    request = codec.decode(result_url(client).split("r=", 1)[1])
    best = advisor.recommend(request)["recommendations"][0]
    verdict = text_of(html.split('class="verdict', 1)[1].split("</section>", 1)[0])
    assert best["title"] in verdict
    assert f"{best['cost']['upfront']:,.2f} USD" in verdict
    assert f"{best['cost']['total']:,.2f} USD" in verdict
    assert f"{best['cost']['budget_left']:,.2f} USD" in verdict
    assert html.index('class="verdict') < html.index('id="design-1"') < html.index('id="weighed"')


def test_each_card_highlights_its_single_points_of_failure_with_their_explanations(
    client: FlaskClient, advisor: Any
) -> None:
    url = result_url(client)
    html = page_of(client, url)
    response = advisor.recommend(codec.decode(url.split("r=", 1)[1]))
    for rec in response["recommendations"]:
        card = html.split(f'id="design-{rec["rank"]}"', 1)[1].split("</article>", 1)[0]
        for spof in rec["single_points_of_failure"]:
            assert spof["explanation"].replace("'", "&#39;") in card
            assert "Single point of failure" in card
        assert 'class="scenarios stack"' in card
        if rec["single_points_of_failure"]:
            assert "✗ Outage" in card
        assert card.count("<tr") >= 5
        for line in rec["bill_of_materials"]:
            assert line["sku"] in card


def test_the_scenario_grid_reads_without_colour(client: FlaskClient) -> None:
    html = page_of(client, result_url(client))
    grid = html.split('class="scenarios stack"', 1)[1].split("</table>", 1)[0]
    for word in ("Failover", "Outage", "Unaffected"):
        assert word in grid
    assert "⚠ SPOF" in grid


def test_every_architecture_weighed_is_in_the_table_with_its_status(client: FlaskClient) -> None:
    html = page_of(client, result_url(client))
    table = html.split('id="weighed"', 1)[1].split("</table>", 1)[0]
    for name in (
        "single_server",
        "dag_only",
        "dag_cas_array_dns",
        "dag_cas_array_single_lb",
        "dag_cas_array_lb_pair",
        "dedicated_cas_wnlb",
    ):
        assert f'<code class="sub">{name}</code>' in table
    assert "Misses a required goal" in table and "Recommended" in table


def test_the_result_names_the_catalog_it_was_priced_from(client: FlaskClient, registry: Any) -> None:
    html = page_of(client, result_url(client))
    catalog = registry.get("default")
    assert catalog.version in html and catalog.as_of in html


def test_the_minimum_budget_is_shown_when_nothing_fits(client: FlaskClient) -> None:
    html = text_of(page_of(client, result_url(client, **{"budget.amount": "1000"})))
    assert "No design meets the required goals within the budget" in html
    assert "Minimum budget" in html
    assert "more than the budget of 1,000.00 USD" in html


def test_the_result_links_to_every_export(client: FlaskClient) -> None:
    url = result_url(client)
    html = page_of(client, url)
    for fmt in ("pdf", "xlsx", "csv", "csv-summary", "json"):
        assert f"format={fmt}" in html


def test_an_export_link_downloads_the_comparison(client: FlaskClient) -> None:
    token = result_url(client).split("r=", 1)[1]
    response = client.get(f"/result/export?r={token}&format=csv-summary")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    pdf = client.get(f"/result/export?r={token}&format=pdf&picks=dag_cas_array_lb_pair&paper=Letter")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_an_unknown_export_format_is_a_page_that_names_the_field(client: FlaskClient) -> None:
    token = result_url(client).split("r=", 1)[1]
    response = client.get(f"/result/export?r={token}&format=docx")
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "format" in response.get_data(as_text=True)


def test_change_the_inputs_opens_the_form_filled_with_the_request(client: FlaskClient) -> None:
    url = result_url(client, **{"budget.amount": "41000", "project.name": "Second try"})
    html = page_of(client, url)
    change = re.search(r'href="(/\?r=[^"]+)">Change the inputs', html)
    assert change
    form = page_of(client, change.group(1).replace("&amp;", "&"))
    assert 'name="budget.amount" value="41000"' in form
    assert 'name="project.name" value="Second try"' in form


def lifecycle_block(page: str) -> str:
    found = re.search(r'<section class="lifecycle-warning".*?</section>', page, re.S)
    return text_of(found.group(0)) if found else ""


def test_a_result_on_products_out_of_support_warns_before_the_verdict(client: FlaskClient) -> None:
    page = page_of(client, result_url(client, **{"exchange.version": "2016", "windows.version": "2016"}))
    block = lifecycle_block(page)
    assert "Exchange Server 2016 left extended support on 2025-10-14" in block
    assert page.index('class="lifecycle-warning"') < page.index('class="verdict')
    seed = lifecycle_block(page_of(client, result_url(client)))
    assert "Exchange Server 2010 left extended support on 2020-10-13" in seed
    assert "Windows Server 2008 R2 left extended support on 2020-01-14" in seed


def test_a_result_on_se_and_windows_2025_has_no_lifecycle_warning(client: FlaskClient) -> None:
    page = page_of(client, result_url(client, **{"exchange.version": "SE", "windows.version": "2025"}))
    assert lifecycle_block(page) == "" and "Out of support" not in page
    assert "DAG behind a load-balancer pair" in page  # the version's own architectures are weighed
    assert "CAS array" not in text_of(page.split('id="weighed"', 1)[1])


def test_a_result_on_a_later_version_speaks_of_its_namespace_not_of_a_cas_array(client: FlaskClient) -> None:
    for exchange, windows in (("2013", "2012R2"), ("2019", "2022"), ("SE", "2025")):
        versions = {"exchange.version": exchange, "windows.version": windows}
        url = result_url(client, **versions, **{"budget.amount": "200000"})
        text = text_of(page_of(client, url))
        assert "RpcClientAccessServer" not in text and "CAS array" not in text, exchange
        assert "the client namespace" in text, exchange
        for rank in (1, 2, 3):
            svg = client.get(url.replace("/result?", f"/result/diagram-{rank}.svg?")).get_data(as_text=True)
            assert "RpcClientAccessServer" not in svg and "CAS array" not in svg, (exchange, rank)
            assert "Hub" not in svg, (exchange, rank)
