import pytest

from xingyao.conftest import sign_in

pytestmark = pytest.mark.browser


def test_village_clerk_signs_in_on_a_phone_and_walks_to_his_grid(page, browser_world):
    sign_in(page, "maoqiao")
    assert "毛桥村" in page.text_content("main")
    page.click("text=毛桥村")
    page.wait_for_url(f"**/units/{browser_world.unit('毛桥村').code}/")
    page.click("text=毛桥村第1网格")
    page.wait_for_url(f"**/units/{browser_world.unit('毛桥村第1网格').code}/")
    assert page.locator("h1").inner_text().startswith("毛桥村第1网格")
    # Nothing overflows a 390-pixel screen sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors


def test_other_villages_page_is_not_found_in_the_browser(page, browser_world):
    sign_in(page, "maoqiao")
    response = page.goto(f"/units/{browser_world.unit('庄营村').code}/")
    assert response.status == 404
    assert "庄营村" not in page.content()


def test_wrong_password_shows_one_generic_message(page, browser_world):
    page.goto("/accounts/login/")
    page.fill("#id_username", "maoqiao")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "账号或密码不正确" in page.text_content("main")
