"""An irreversible step asks in the browser: 取消 leaves the assessment as it was, 确定 submits it."""

from __future__ import annotations

import pytest

from xingyao.assessments.models import Assessment
from xingyao.assessments.tests import fixtures as f
from xingyao.conftest import sign_in

pytestmark = pytest.mark.browser


def test_cancelling_the_submission_question_keeps_the_draft_and_accepting_submits(page, browser_world):
    a = f.submittable(browser_world)
    sign_in(page, "maoqiao")
    # Reach the page by clicking, so the form is a boosted one (htmx) as people meet it.
    page.click("text=待填报年度评定")
    page.wait_for_url(f"**/assessments/{a.pk}/")
    asked: list[str] = []
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)

    def dismiss(dialog):  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="提交", exact=True).click()
    page.reload()  # a request the click had sent would have been seen before the reload's own
    assert asked == ["提交后本村不能再修改，将交乡镇初审。确定提交？"]
    assert not [url for url in sent if "/do/submit/" in url]
    assert Assessment.objects.get(pk=a.pk).state == "draft"
    assert page.text_content("#state") == "草稿"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector("#state:has-text('村级已提交')")
    assert Assessment.objects.get(pk=a.pk).state == "submitted"
    assert not page.console_errors
