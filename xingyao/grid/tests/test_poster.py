"""The residents' QR poster: one printable A4 sheet per village, in scope only."""

from __future__ import annotations

from xingyao.grid.actions import do_rotate_resident_link


def _links(world) -> None:  # type: ignore[no-untyped-def]
    for name in ("毛桥村", "庄营村", "施东村"):
        village = world.unit(name)
        admin = world.user("shian" if name == "施东村" else "zhen")
        do_rotate_resident_link(admin, village)


def test_a_village_clerk_prints_his_villages_poster_with_its_qr_code_and_the_hotline(world, login, settings):
    settings.XINGYAO_RESIDENT_HOTLINE = "0377-12345"
    _links(world)
    maoqiao = world.unit("毛桥村")
    page = login("maoqiao").get(f"/grid/links/{maoqiao.code}/poster/").content.decode()
    assert page.count('class="card poster"') == 1 and "<svg" in page and "毛桥村居民上报二维码" in page
    assert "服务热线：0377-12345" in page and "无需登录" in page
    assert 'href="/static/xingyao/print.css"' in page
    assert "庄营村" not in page


def test_a_town_prints_one_poster_per_village_of_its_own_only(world, login):
    _links(world)
    page = login("zhen").get(f"/grid/links/{world.unit('溧河铺镇').code}/poster/").content.decode()
    assert page.count('class="card poster"') == 2
    assert 'id="poster-' + world.unit("毛桥村").code + '"' in page and "庄营村" in page
    assert "施东村" not in page


def test_an_outsider_gets_404_for_another_villages_or_towns_poster(world, login):
    _links(world)
    assert login("zhuangying").get(f"/grid/links/{world.unit('毛桥村').code}/poster/").status_code == 404
    assert login("shian").get(f"/grid/links/{world.unit('溧河铺镇').code}/poster/").status_code == 404
    assert login("zhen").get(f"/grid/links/{world.unit('施东村').code}/poster/").status_code == 404


def test_a_village_without_a_link_is_told_to_make_one(world, login):
    page = login("maoqiao").get(f"/grid/links/{world.unit('毛桥村').code}/poster/").content.decode()
    assert 'id="no-posters"' in page and "<svg" not in page
