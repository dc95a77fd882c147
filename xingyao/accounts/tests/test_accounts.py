import pytest
from django.core.management import call_command
from django.test import Client

from xingyao.accounts.models import ApiToken, Membership, User
from xingyao.core.models import AuditEntry
from xingyao.demo.testing import PASSWORD


def test_login_with_right_password_lands_on_home(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "maoqiao", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/home/"
    assert "毛桥村" in response.content.decode()


def test_unknown_user_and_wrong_password_get_the_same_message(world):
    client = Client()
    wrong = client.post("/accounts/login/", {"username": "maoqiao", "password": "nope"}).content.decode()
    unknown = client.post("/accounts/login/", {"username": "nobody", "password": "nope"}).content.decode()
    assert "账号或密码不正确" in wrong and "账号或密码不正确" in unknown


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(world):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "maoqiao", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "maoqiao", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_password_change_needs_the_old_password(world, login):
    client = login("maoqiao")
    bad = client.post(
        "/accounts/profile/",
        {"old_password": "x", "new_password": "brand-new-pass-9", "new_password2": "brand-new-pass-9"},
    )
    assert "原密码不正确" in bad.content.decode()
    good = client.post(
        "/accounts/profile/",
        {"old_password": PASSWORD, "new_password": "brand-new-pass-9", "new_password2": "brand-new-pass-9"},
    )
    assert good.status_code == 302
    world.user("maoqiao").refresh_from_db()
    assert world.user("maoqiao").check_password("brand-new-pass-9")


def test_town_admin_creates_a_clerk_for_his_village(world, login):
    response = login("zhen").post(
        "/accounts/users/new/",
        {
            "username": "yanggang",
            "full_name": "杨刚",
            "phone": "13800000000",
            "password": "Lihepu-Star-2023",
            "unit": world.unit("毛桥村").pk,
            "role": "village_clerk",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="yanggang")
    assert user.memberships.get().unit == world.unit("毛桥村")
    assert AuditEntry.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_town_admin_cannot_create_users_in_another_town_or_give_county_roles(world, login):
    client = login("zhen")
    other_town = client.post(
        "/accounts/users/new/",
        {
            "username": "sneaky",
            "full_name": "某人",
            "password": "sneaky-pass-2023",
            "unit": world.unit("施东村").pk,
            "role": "village_clerk",
        },
    )
    assert other_town.status_code == 200  # the other town's village is not even a choice
    assert "所选单位不存在或不在您的管辖范围内" in other_town.content.decode()
    wrong_role = client.post(
        "/accounts/users/new/",
        {
            "username": "sneaky",
            "full_name": "某人",
            "password": "sneaky-pass-2023",
            "unit": world.unit("毛桥村").pk,
            "role": "county_admin",
        },
    )
    assert "不能设在" in wrong_role.content.decode()
    assert not User.objects.filter(username="sneaky").exists()


def test_user_list_shows_only_people_of_the_admins_subtree(world, login):
    page = login("zhen").get("/accounts/users/").content.decode()
    assert "maoqiao" in page and "zhuangying" in page
    assert "shidong" not in page and "shian" not in page


def test_user_list_query_count_is_constant(world, login, django_assert_max_num_queries):
    for i in range(30):
        user = User.objects.create_user(f"u{i}", password=PASSWORD)
        Membership.objects.create(user=user, unit=world.unit("毛桥村"), role="village_clerk")
    client = login("zhen")
    with django_assert_max_num_queries(10):
        response = client.get("/accounts/users/")
    assert response.status_code == 200


def test_admin_cannot_deactivate_someone_who_also_serves_elsewhere(world, login):
    Membership.objects.create(user=world.user("maoqiao"), unit=world.unit("施东村"), role="village_clerk")
    response = login("zhen").post(f"/accounts/users/{world.user('maoqiao').pk}/active/", {"active": "0"}, follow=True)
    assert "辖区之外还有任职" in response.content.decode()
    world.user("maoqiao").refresh_from_db()
    assert world.user("maoqiao").is_active


def test_token_shown_once_authenticates_and_stops_working_when_revoked(world, login):
    client = login("maoqiao")
    response = client.post("/accounts/tokens/new/", {"name": "手机"})
    key = response.context["key"]
    assert key.startswith("xy_") and key in response.content.decode()
    token = ApiToken.objects.get(user=world.user("maoqiao"))
    assert token.digest != key and key not in token.digest
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.get("/api/v1/me").json()["username"] == "maoqiao"
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert bearer.get("/api/v1/me").status_code == 401


def test_token_of_a_deactivated_user_stops_working(world, api):
    client = api("maoqiao")
    assert client.get("/api/v1/me").status_code == 200
    User.objects.filter(username="maoqiao").update(is_active=False)
    assert client.get("/api/v1/me").status_code == 401


def test_token_create_command_prints_a_working_key(world, capsys):
    call_command("token", "create", "paichusuo")
    key = capsys.readouterr().out.strip()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me")
    assert response.json()["memberships"][0]["unit_name"] == "溧河铺派出所"


def test_api_membership_add_is_refused_outside_the_admins_town(world, api):
    response = api("zhen").post(
        "/api/v1/memberships",
        {"username": "maoqiao", "unit_code": world.unit("施东村").code, "role": "village_clerk"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(unit=world.unit("施东村"), user=world.user("maoqiao")).exists()


def test_api_rejects_a_role_that_does_not_fit_the_unit_with_a_chinese_message(world, api):
    response = api("zhen").post(
        "/api/v1/memberships",
        {"username": "maoqiao", "unit_code": world.unit("毛桥村").code, "role": "dept_handler"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "不能设在" in response.json()["detail"]


@pytest.mark.parametrize("username", ["lingdao", "zhen_shenhe", "maoqiao"])
def test_non_admins_cannot_reach_user_administration(world, login, username):
    assert login(username).get("/accounts/users/").status_code == 403


def test_town_admin_corrects_a_clerks_name_and_phone_and_it_is_audited(world, login):
    target = world.user("maoqiao")
    response = login("zhen").post(f"/accounts/users/{target.pk}/edit/", {"full_name": "毛得胜", "phone": "13911112222"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.full_name, target.phone) == ("毛得胜", "13911112222")
    entry = AuditEntry.objects.filter(action="user.update", object_id=str(target.pk)).get()
    assert entry.before["full_name"] == "毛德胜" and entry.after["full_name"] == "毛得胜"


def test_a_blank_name_is_refused_and_nothing_changes(world, login):
    target = world.user("maoqiao")
    response = login("zhen").post(f"/accounts/users/{target.pk}/edit/", {"full_name": "", "phone": "1"}, follow=True)
    assert "请填写姓名" in response.content.decode()
    target.refresh_from_db()
    assert target.full_name == "毛德胜"
