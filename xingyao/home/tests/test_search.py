"""The header's search box finds an event by its number (whole or the last digits) and a dispute by its case
number, inside the user's scope only: a number outside it reads exactly like an unknown one."""

from __future__ import annotations

from xingyao.grid.tests import factories as grid


def test_an_event_is_found_by_its_whole_number_and_opens_directly(world, login):
    event = grid.event(world, pk=31415)
    response = login("maoqiao").get("/search/", {"q": event.number})
    assert response.status_code == 302 and response["Location"] == f"/grid/{event.pk}/"
    # Typed without the hyphen, or with full-width digits from a Chinese keyboard, it is the same number.
    assert login("maoqiao").get("/search/", {"q": event.number.replace("-", "")})["Location"] == f"/grid/{event.pk}/"
    full_width = event.number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert login("maoqiao").get("/search/", {"q": full_width})["Location"] == f"/grid/{event.pk}/"


def test_the_last_digits_find_every_event_in_scope_that_ends_with_them(world, login):
    mine = [grid.event(world, pk=pk, title=f"事件{pk}") for pk in (10415, 20415, 30416)]
    page = login("maoqiao").get("/search/", {"q": "415"}).content.decode()
    assert mine[0].number in page and mine[1].number in page and mine[2].number not in page


def test_a_number_outside_his_scope_is_answered_like_an_unknown_one(world, login):
    theirs = grid.event(world, unit="庄营村第1网格", pk=27182)
    outside = login("maoqiao").get("/search/", {"q": theirs.number})
    unknown = login("maoqiao").get("/search/", {"q": "20010101-999999"})
    assert outside.status_code == unknown.status_code == 200
    assert login("zhuangying").get("/search/", {"q": theirs.number})["Location"] == f"/grid/{theirs.pk}/"

    def main(response, number: str) -> str:
        text = response.content.decode()
        return text[text.index("<main") : text.index("</main>")].replace(number, "N")

    assert "没有找到编号为" in main(outside, theirs.number) and f"/grid/{theirs.pk}/" not in main(outside, "")
    assert main(outside, theirs.number) == main(unknown, "20010101-999999")


def test_a_wrong_date_in_a_whole_number_finds_nothing(world, login):
    event = grid.event(world, pk=16180)
    page = login("maoqiao").get("/search/", {"q": f"20000101-{event.pk:06d}"}).content.decode()
    assert "没有找到" in page


def test_a_dispute_is_found_by_its_case_number_only_in_scope(world, login):
    case = grid.dispute(world, summary="宅基地界址争议")
    other = grid.dispute(world, village="庄营村")
    response = login("zhen").get("/search/", {"q": case.number})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert "没有找到" in login("maoqiao").get("/search/", {"q": other.number}).content.decode()


def test_the_event_list_filters_by_number_and_hostile_input_is_harmless(world, login):
    event = grid.event(world, pk=42424, title="占道经营")
    client = login("maoqiao")
    assert "占道经营" in client.get("/grid/", {"number": "2424"}).content.decode()
    assert "占道经营" not in client.get("/grid/", {"number": "9999"}).content.decode()
    for value in ("12", "abc", "2023-13-45-000001", "9" * 40, "%00"):
        assert client.get("/grid/", {"number": value}).status_code in (200, 400)
        assert client.get("/search/", {"q": value}).status_code == 200
    assert event.number in client.get("/grid/", {"number": event.number}).content.decode()


def test_the_search_box_is_in_every_pages_header(world, login):
    page = login("wangge").get("/home/").content.decode()
    assert 'role="search"' in page and 'name="q"' in page and 'action="/search/"' in page
