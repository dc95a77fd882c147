"""Error pages in Chinese inside the layout (DEBUG off, as in production), and the API's answers in Chinese."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from xingyao.core.views import server_error


@pytest.fixture(autouse=True)
def _production_like(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False


def test_a_missing_page_is_a_chinese_page_with_the_menu(login):
    response = login("maoqiao").get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "返回首页" in page
    assert 'aria-label="主菜单"' in page and "我的评定" in page  # inside the layout, the user's own menu
    assert "Not Found" not in page


def test_another_villages_record_is_the_same_chinese_404(world, login):
    response = login("maoqiao").get(f"/units/{world.unit('庄营村').code}/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_a_refused_page_is_a_chinese_403(login):
    response = login("maoqiao").get("/audit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "403 Forbidden" not in page


def test_a_server_error_is_a_chinese_page_inside_the_layout(world, settings):
    settings.ROOT_URLCONF = "xingyao.home.tests.urls_failing"
    client = Client(raise_request_exception=False)
    client.force_login(world.user("maoqiao"))
    response = client.get("/failing/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错了" in page and "★ 星耀" in page
    assert "a bug" not in page and "Traceback" not in page


def test_the_500_page_needs_no_request_context():
    request = RequestFactory().get("/anything/")  # no session, no user: what a broken middleware leaves
    response = server_error(request)
    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


def test_api_errors_answer_json_in_chinese(world, api, settings):
    client = api("maoqiao")
    missing = client.get("/api/v1/assessments/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "记录不存在或不在您的辖区内"}
    no_route = client.get("/api/v1/no-such-route/")
    assert no_route.status_code == 404
    assert json.loads(no_route.content) == {"detail": "记录不存在或不在您的辖区内"}
    settings.ROOT_URLCONF = "xingyao.home.tests.urls_failing"
    failing = Client(raise_request_exception=False).get("/api/v1/failing/")
    assert failing.status_code == 500
    assert failing.json() == {"detail": "服务器出错，请稍后重试"}


def test_a_lost_database_is_a_503_that_says_to_try_again(world, settings):
    """PostgreSQL restarting mid-request: the user is told nothing was saved and to retry, not that we have a bug."""
    settings.ROOT_URLCONF = "xingyao.home.tests.urls_failing"
    client = Client(raise_request_exception=False)
    page = client.get("/database-gone/")
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    text = page.content.decode()
    assert "数据库暂时无法连接" in text and "没有保存" in text and "server closed" not in text
    api = client.get("/api/v1/database-gone/")
    assert api.status_code == 503
    assert api.json() == {"detail": "数据库暂时无法连接，请稍后重试"}
    assert client.get("/failing/").status_code == 500  # a bug stays a 500


def test_the_health_check_answers_without_the_database(client):
    # No django_db mark: any query the view (or a middleware) made would raise here.
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
