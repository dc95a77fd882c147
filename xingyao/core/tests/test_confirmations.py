"""Every irreversible step asks first, and its question says what follows (checked on the pages people use)."""

from __future__ import annotations

from html.parser import HTMLParser

from xingyao.accounts.actions import do_create_token
from xingyao.assessments.tests import fixtures as f
from xingyao.assessments.workflow import State
from xingyao.grid.tests import factories as gf
from xingyao.grid.workflow import State as EventState


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            named = dict(attrs)
            self.found.setdefault(named.get("action") or "", named.get("data-confirm") or "")


def confirms(client, url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each form on the page by its action URL, with the question it asks ("" for none)."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _Forms()
    parser.feed(response.content.decode())
    return parser.found


def test_village_submission_says_the_village_can_no_longer_change_it(world, login):
    a = f.submittable(world)
    forms = confirms(login("maoqiao"), f"/assessments/{a.pk}/")
    assert forms[f"/assessments/{a.pk}/do/submit/"] == "提交后本村不能再修改，将交乡镇初审。确定提交？"
    assert forms[f"/assessments/{a.pk}/refresh/"] == ""  # fetching the records again changes nothing for good


def test_town_approval_and_send_back_say_where_the_assessment_goes(world, login):
    a = f.at_state(world, State.SUBMITTED)
    forms = confirms(login("zhen_shenhe"), f"/assessments/{a.pk}/")
    assert "交县级审定" in forms[f"/assessments/{a.pk}/do/town_approve/"]
    assert "回到草稿" in forms[f"/assessments/{a.pk}/do/send_back/"]


def test_county_approval_publicity_and_award_ask_first(world, login):
    a = f.at_state(world, State.TOWN_REVIEWED)
    assert (
        "结果锁定" in confirms(login("xian_shenhe"), f"/assessments/{a.pk}/")[f"/assessments/{a.pk}/do/county_approve/"]
    )
    f.at_state(world, State.COUNTY_APPROVED)
    assert "向社会公开" in confirms(login("xian"), f"/assessments/{a.pk}/")[f"/assessments/{a.pk}/do/publish/"]


def test_the_objection_decision_warns_that_upholding_sends_the_village_back_to_draft(world, login):
    objection = f.objection(world)
    forms = confirms(login("xian"), f"/assessments/{objection.assessment_id}/")
    question = forms[f"/assessments/objections/{objection.pk}/decide/"]
    assert "异议成立" in question and "退回草稿" in question


def test_removing_a_star_warns_it_will_not_come_back_this_year(world, login):
    award = f.award(world)
    forms = confirms(login("xian"), f"/assessments/stars/{award.pk}/")
    assert "摘星的，本年度不再恢复" in forms[""]


def test_closing_an_event_and_marking_it_duplicate_ask_first(world, login):
    event = gf.event(world, state=EventState.VERIFIED, department="溧河铺派出所")
    page = login("zhen").get(f"/grid/{event.pk}/").content.decode()
    assert 'data-confirm="办结后事件归档，不能再办理或退回。确定办结？"' in page
    fresh = gf.event(world, title="村口路灯不亮")
    page = login("zhen").get(f"/grid/{fresh.pk}/").content.decode()
    assert 'data-confirm="标记重复后本事件并入原事件并办结，不能再办理。确定标记重复？"' in page


def test_closing_a_dispute_asks_first(world, login):
    case = gf.dispute(world, status="mediating")
    forms = confirms(login("zhen"), f"/disputes/{case.pk}/")
    assert "结案后案件不能再调解或修改" in forms[f"/disputes/{case.pk}/outcome/"]


def test_disabling_a_user_revoking_a_token_and_removing_a_role_ask_first(world, login):
    target = world.user("maoqiao")
    token, _ = do_create_token(world.user("zhen"), target, "对接")
    membership = target.memberships.get()
    forms = confirms(login("zhen"), f"/accounts/users/{target.pk}/")
    assert "不能再登录" in forms[f"/accounts/users/{target.pk}/active/"]
    assert "立即无法访问" in forms[f"/accounts/tokens/{token.pk}/revoke/"]
    assert "立即失去在「毛桥村」的村级填报员（村两委）权限" in forms[f"/accounts/memberships/{membership.pk}/remove/"]


def test_publishing_criteria_asks_first(world, login):
    from xingyao.stars.tests.fixtures import draft_set

    criteria = draft_set(world)
    forms = confirms(login("xian"), f"/stars/criteria/{criteria.pk}/")
    assert "不能再修改" in forms[f"/stars/criteria/{criteria.pk}/publish/"]
