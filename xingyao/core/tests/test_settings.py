import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import xingyao

CHECK = "import django; django.setup(); print('ok')"
ROOT = str(Path(xingyao.__file__).resolve().parent.parent)  # this tree's code, wherever pytest runs from
UNSET = (
    "SECRET_KEY",
    "DATABASE_URL",
    "XINGYAO_DEBUG",
    "XINGYAO_AUDIT_KEY",
    "ALLOWED_HOSTS",
    "XINGYAO_SECURE_COOKIES",
    "XINGYAO_SSL_REDIRECT",
    "XINGYAO_HSTS_SECONDS",
    "XINGYAO_HSTS_INCLUDE_SUBDOMAINS",
    "XINGYAO_HSTS_PRELOAD",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser fixture in this process; a deployment never has it
)
# A real production environment; the database need not be reachable: neither start-up nor `check --deploy`
# connects to it.
PRODUCTION = {
    "XINGYAO_PRODUCTION": "1",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgresql://xingyao:secret@127.0.0.1:1/xingyao",
    "XINGYAO_AUDIT_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "xingyao.example.cn",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "xingyao.settings", "PYTHONPATH": ROOT, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def run_settings(**env: str) -> subprocess.CompletedProcess:
    return run(["-c", CHECK], **env)


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
    result = run_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "sqlite:////tmp/xingyao.sqlite3"}, "只支持 PostgreSQL"),
        ({"DATABASE_URL": "mysql://a:b@h/d"}, "只支持 PostgreSQL"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"XINGYAO_SSL_REDIRECT": "0"}, "HTTPS"),
        ({"XINGYAO_HSTS_SECONDS": "0"}, "HSTS"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = run_settings(**{**PRODUCTION, **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_requires_allowed_hosts_when_none_is_given():
    result = run_settings(**{k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_deploy_check_is_clean():
    result = run(["-m", "xingyao", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_are_https_only():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    on = run(["-c", script], **PRODUCTION)
    assert on.stdout.split() == ["True", "('HTTP_X_FORWARDED_PROTO',", "'https')", "31536000", "True", "True", "True"]
    # Subdomains are the operator's choice; secure cookies are not.
    off = run(["-c", script], **PRODUCTION, XINGYAO_HSTS_INCLUDE_SUBDOMAINS="0", XINGYAO_SECURE_COOKIES="0")
    assert off.stdout.split()[4:] == ["False", "True", "True"]


def test_production_refuses_the_demo_command():
    result = run(["-m", "xingyao", "demo"], **PRODUCTION)
    assert result.returncode != 0
    assert "生产环境不能载入演示数据" in result.stderr


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


def test_https_redirect_spares_only_the_proxys_health_check(db, settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz/").status_code == 200
    page = Client().get("/accounts/login/")
    assert page.status_code == 301 and page["Location"] == "https://testserver/accounts/login/"
    assert Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"}, secure=True).status_code == 200
