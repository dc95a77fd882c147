"""Schemathesis against the API's OpenAPI schema: generated requests (valid and invalid) to every operation, as the
county administrator with a bearer token, never answer 5xx, and documented answers match their schema.

Each operation is one test with a few examples (`MAX_EXAMPLES`) and no deadline, so the suite stays fast and a slow
machine is not a failure. The page routes have their own fuzz test (test_fuzz_pages.py).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from xingyao.api import api
from xingyao.core.testing import RouteCase, all_route_cases

MAX_EXAMPLES = 6
PERSONA = "xian"  # the county administrator: in scope everywhere, so requests reach the code behind the checks

# The schema /api/v1/openapi.json serves, built by the same call; requests go to the WSGI app in-process (so they
# see the test's database through the same connection).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture
def one_connection():  # type: ignore[no-untyped-def]
    """The WSGI handler closes the database connection around each request (`close_old_connections`), which on
    PostgreSQL ends the test's transaction; Django's test client lifts that the same way while it runs."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
def test_api_never_answers_5xx(case, world, one_connection) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers={"Authorization": f"Bearer {world.token(PERSONA)}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


# Generated bodies rarely meet a real record (a random id is a 404 before the body is read), so every API write
# of the permission suite is also sent with each field of its working body replaced by a hostile value.
HOSTILE_JSON: list[object] = [
    0,
    -1,
    2**31,
    2**63,
    10**30,
    1e308,
    float("nan"),
    "9999-12-31",
    "0001-01-01",
    "x" * 20_000,
    "\x00",
    None,
    [],
    {},
]
JSON_WRITES = [c for c in all_route_cases() if c.api and c.write and c.data and not c.multipart]


@pytest.mark.parametrize("case", JSON_WRITES, ids=[c.id for c in JSON_WRITES])
def test_api_writes_with_hostile_fields_never_answer_5xx(world, case: RouteCase) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.token(case.owner)}")
    failures = []
    for key in list(case.data(world)):  # type: ignore[misc]  # JSON_WRITES have data
        for value in HOSTILE_JSON:
            body = {**case.data(world), key: value}  # type: ignore[misc]
            try:
                response = client.generic(
                    case.method, case.path(world), json.dumps(body), content_type="application/json"
                )
                status = response.status_code
            except Exception as exc:  # re-raised by the test client: a 500
                status, response = 500, exc
            if status >= 500:
                failures.append(
                    f"{case.method} {case.path(world)} {key}={str(value)[:30]} → {status} {response!r:.200}"
                )
    assert not failures, "\n".join(failures)


def test_a_body_that_is_not_json_or_holds_a_nul_is_a_chinese_400(world) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.token('xian')}")
    response = client.post("/api/v1/plans", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "请求内容无法解析：应为 JSON"
    response = client.post("/api/v1/plans", json.dumps({"village_code": "\x00"}), content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
