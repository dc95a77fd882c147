import pytest
from django.core.cache import cache

from xingyao.core.models import AuditEntry
from xingyao.grid import actions
from xingyao.grid.models import Event, ResidentLink
from xingyao.grid.tests import factories as f


@pytest.fixture
def link(world):
    cache.clear()
    f.categories(world)
    return actions.do_rotate_resident_link(world.user("zhen"), world.unit("毛桥村"))


def resident(world, **overrides):
    data = {
        "category": f.categories(world)["GGSS-LD"].pk,
        "description": "主街东段路灯不亮已经一周",
        "address": "主街东段",
        "contact_name": "张大爷",
        "contact_phone": "13712345678",
        "website": "",
    }
    return data | overrides


def test_resident_reports_without_login_and_waits_for_a_grid_worker(world, client, link, login):
    page = client.get(f"/grid/r/{link.token}/")
    assert page.status_code == 200 and "毛桥村" in page.content.decode()
    response = client.post(f"/grid/r/{link.token}/", resident(world, photos=[f.photo_upload()]))
    assert response.status_code == 200 and "已收到" in response.content.decode()
    event = Event.objects.get()
    assert (event.source, event.state, event.reporter, event.unit) == (
        "resident",
        "reported",
        None,
        world.unit("毛桥村第1网格"),
    )
    assert event.photos.count() == 1
    worker = login("wangge")
    assert "13712345678" in worker.get(f"/grid/{event.pk}/").content.decode()  # he calls the resident back
    assert worker.post(f"/grid/{event.pk}/act/", {"action": "accept"}).status_code == 302
    assert "13712345678" not in login("lingdao").get(f"/grid/{event.pk}/").content.decode()


def test_public_page_shows_no_personal_data_and_escapes_what_it_echoes(world, client, link):
    Event.objects.create(
        unit=world.unit("毛桥村第1网格"),
        village=world.unit("毛桥村"),
        category=f.categories(world)["GGSS-LD"],
        title="路灯",
        description="路灯",
        contact_phone="13712345678",
    )
    bad = resident(world, description="<script>alert(1)</script>" * 60, contact_phone="", contact_name="")
    response = client.post(f"/grid/r/{link.token}/", bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "13712345678" not in page and "毛德胜" not in page and "毛小兵" not in page


def test_a_robot_filling_the_hidden_field_writes_nothing(world, client, link):
    response = client.post(f"/grid/r/{link.token}/", resident(world, website="http://spam.example"))
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_a_resident_flooding_the_form_is_stopped_with_a_message(world, client, link):
    for _ in range(actions.RESIDENT_LIMIT):
        assert client.post(f"/grid/r/{link.token}/", resident(world)).status_code == 200
    before = AuditEntry.objects.count()
    response = client.post(f"/grid/r/{link.token}/", resident(world))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Event.objects.count() == actions.RESIDENT_LIMIT and AuditEntry.objects.count() == before


def test_a_rotated_link_no_longer_works(world, client, link):
    old = link.token
    actions.do_rotate_resident_link(world.user("zhen"), world.unit("毛桥村"))
    assert client.get(f"/grid/r/{old}/").status_code == 404
    assert client.get(f"/grid/r/{ResidentLink.objects.get().token}/").status_code == 200


def test_town_admin_sees_the_qr_code_of_a_village_link(world, login, link):
    page = login("zhen").get(f"/grid/links/{world.unit('毛桥村').code}/").content.decode()
    assert "<svg" in page and link.token in page


def test_the_public_form_lists_no_units_and_ignores_a_posted_grid(world, client, link):
    page = client.get(f"/grid/r/{link.token}/").content.decode()
    assert "网格" not in page.split("<form", 1)[1].split("</form>", 1)[0].replace("网格员", "")
    assert 'name="grid"' not in page
    elsewhere = world.unit("庄营村第1网格")  # a unit id a visitor might post is not an input
    response = client.post(f"/grid/r/{link.token}/", resident(world, grid=str(elsewhere.pk)))
    assert response.status_code == 200
    assert Event.objects.get().unit == world.unit("毛桥村第1网格")
