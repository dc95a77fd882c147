"""A job's page in the browser: it polls while the job waits and runs, and shows the result without a reload."""

import pytest

from xingyao.conftest import sign_in
from xingyao.core import jobs
from xingyao.core.jobs import JobKind, Outcome, do_start_job
from xingyao.core.tests.jobs import result_of, work_off

pytestmark = pytest.mark.browser


@pytest.fixture
def export_kind():  # type: ignore[no-untyped-def]
    jobs.register(JobKind("test.browser", "导出测试台账", lambda j: Outcome("已导出 3 行", b"xlsx", "台账.xlsx")))
    yield "test.browser"
    jobs.KINDS.pop("test.browser", None)


def test_the_job_page_shows_the_result_when_the_worker_finishes(page, browser_world, export_kind, monkeypatch):
    job = do_start_job(browser_world.user("maoqiao"), kind=export_kind, unit=browser_world.unit("毛桥村"))
    sign_in(page, "maoqiao")
    page.goto(f"/jobs/{job.pk}/")
    assert "排队中" in page.text_content("#job-status")

    work_off(monkeypatch)  # the worker, while the page keeps polling

    page.wait_for_selector("#job-status >> text=已导出 3 行")
    assert "已完成" in page.text_content("#job-status")
    assert page.locator("#job-status a.button").get_attribute("href") == result_of(job).get_absolute_url()
    assert page.locator("#job-status[hx-trigger]").count() == 0  # polling stopped
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors
