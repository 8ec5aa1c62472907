"""CSRF refusal, escaping of hostile text, security headers on pages, and the JSON API left as it was."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from advisor.web import codec
from advisor.web.security import HTML_POLICY
from tests.web.conftest import csrf_token, post_form, result_url, seed_form

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_post_without_the_csrf_token_is_refused_and_the_input_comes_back(client: FlaskClient) -> None:
    response = client.post("/", data=seed_form(**{"project.name": "Unsaved plan"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "security token was missing or had expired" in page
    assert 'name="project.name" value="Unsaved plan"' in page


def test_a_post_with_a_forged_csrf_token_is_refused(client: FlaskClient) -> None:
    csrf_token(client)
    response = client.post("/", data={**seed_form(), "csrf_token": "forged"})
    assert response.status_code == 400


def test_a_token_from_another_browser_session_is_refused(client: FlaskClient, app: object) -> None:
    token = csrf_token(client)
    stranger = client.application.test_client()
    assert stranger.post("/", data={**seed_form(), "csrf_token": token}).status_code == 400


def test_the_json_api_needs_no_csrf_token(client: FlaskClient) -> None:
    response = client.post("/api/v1/recommendations", json={"budget": {"amount": 30000}, "goals": []})
    assert response.status_code == 200


def test_an_xss_payload_in_the_project_name_comes_back_inert_in_the_page_and_the_svg(
    client: FlaskClient,
) -> None:
    url = result_url(client, **{"project.name": XSS, "project.customer": XSS})
    page = client.get(url).get_data(as_text=True)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "&lt;script&gt;" in svg and "<script" not in svg
    token = url.split("r=", 1)[1]
    download = client.get(f"/result/diagram-1.svg?r={token}").get_data(as_text=True)
    assert "<script" not in download and "&lt;script&gt;" in download


def test_an_xss_payload_in_a_rejected_form_comes_back_inert(client: FlaskClient) -> None:
    page = post_form(client, **{"project.name": XSS, "budget.amount": XSS}).get_data(as_text=True)
    assert "<script" not in page and "<img" not in page
    assert 'value="&lt;script&gt;' in page


def test_pages_carry_a_content_security_policy_with_no_inline_script_or_style(client: FlaskClient) -> None:
    for url in ("/", result_url(client), "/result?r=broken"):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert policy == HTML_POLICY
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        page = response.get_data(as_text=True)
        assert "<script" not in page
        assert not re.search(r"\sstyle=", page)


def test_the_form_page_is_not_cached(client: FlaskClient) -> None:
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_the_api_docs_page_gets_the_policy_and_still_links_only_its_own_stylesheet(
    client: FlaskClient,
) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == HTML_POLICY
    page = response.get_data(as_text=True)
    assert "<script" not in page and not re.search(r"\sstyle=", page)
    assert re.search(r'<link rel="stylesheet" href="/api/v1/static/docs.css">', page)


def test_the_json_api_problems_stay_problem_json(client: FlaskClient) -> None:
    response = client.post("/api/v1/recommendations", json={"budget": {"amount": -1}, "goals": []})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]["budget.amount"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in response.headers


def test_the_diagram_file_is_svg_with_its_own_strict_policy(client: FlaskClient) -> None:
    token = result_url(client).split("r=", 1)[1]
    response = client.get(f"/result/diagram-1.svg?r={token}")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert client.get(f"/result/diagram-9.svg?r={token}").status_code == 404


def test_the_result_url_carries_the_request_unsigned_and_decodes_to_it_exactly() -> None:
    request = {"budget": {"amount": 30000}, "goals": []}
    assert codec.decode(codec.encode(request)) == request
