import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

CHECK = "import django; django.setup(); print('ok')"


def run_settings(**env: str) -> subprocess.CompletedProcess:
    unset = ("SECRET_KEY", "DATABASE_URL", "XINGYAO_DEBUG", "XINGYAO_AUDIT_KEY")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**base, "DJANGO_SETTINGS_MODULE": "xingyao.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 40}, "DATABASE_URL"),
        ({"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgresql://a:b@h/d", "XINGYAO_DEBUG": "1"}, "XINGYAO_DEBUG"),
        ({"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgresql://a:b@h/d", "XINGYAO_DEBUG": "perhaps"}, "boolean"),
        ({"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgresql://a:b@h/d"}, "XINGYAO_AUDIT_KEY"),
        (
            {"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgresql://a:b@h/d", "XINGYAO_AUDIT_KEY": "short"},
            "XINGYAO_AUDIT_KEY",
        ),
    ],
)
def test_production_refuses_to_start_with_demo_defaults(env, message):
    result = run_settings(XINGYAO_PRODUCTION="1", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_real_settings():
    result = run_settings(
        XINGYAO_PRODUCTION="1", SECRET_KEY="k" * 40, DATABASE_URL="postgresql://a:b@h/d", XINGYAO_AUDIT_KEY="a" * 40
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_api_docs_and_schema_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/units/{code}" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    # Every script and stylesheet the page loads is served by the site itself (a CDN URL would have a host). Not
    # a substring check: the random CSRF token in the page may contain "cdn".
    assets = re.findall(r"<(?:script|link)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)", docs, re.I)
    assert any("swagger-ui" in url for url in assets), assets
    external = [url for url in assets if urlsplit(url).netloc or urlsplit(url).scheme]
    assert external == [], external


def test_pages_carry_a_policy_that_forbids_inline_scripts(client):
    response = client.get("/accounts/login/")
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
