"""Reports made without signal: kept on the phone under the phone's own id and sent when the signal returns, stored
once however often they arrive; the app's shell (manifest, service worker) that makes the phone keep the pages."""

from __future__ import annotations

import json
import uuid

import pytest

from xingyao.accounts.models import Membership
from xingyao.core.models import AuditEntry, Submission
from xingyao.core.testing import every
from xingyao.grid.models import Event
from xingyao.grid.tests import factories as gf

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _report(world, **changes):  # type: ignore[no-untyped-def]
    category = gf.categories(world)["HJWS-LJ"]
    return {
        "unit": world.unit("毛桥村第1网格").pk,
        "category": category.pk,
        "title": "村口垃圾堆放未清运",
        "description": "村口路边垃圾堆放三天未清运。",
        "latitude": "32.5201",
        "longitude": "112.3602",
    } | changes


def test_a_report_sent_twice_under_one_phone_id_is_stored_once(world, login):
    client = login("wangge")
    key = str(uuid.uuid4())
    first = client.post("/grid/new/", _report(world, client_id=key), **JSON)
    again = client.post("/grid/new/", _report(world, client_id=key), **JSON)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    event = every(Event).get()
    assert first.json() == {"number": event.number, "url": event.get_absolute_url()}
    assert every(AuditEntry).filter(action="event.report").count() == 1
    assert every(Submission).get().object_id == str(event.pk)


def test_two_phone_ids_are_two_reports(world, login):
    client = login("wangge")
    for _ in range(2):
        assert client.post("/grid/new/", _report(world, client_id=str(uuid.uuid4())), **JSON).status_code == 201
    assert every(Event).count() == 2


def test_another_persons_phone_id_is_refused_and_reveals_nothing(world, login):
    key = str(uuid.uuid4())
    login("wangge").post("/grid/new/", _report(world, client_id=key), **JSON)
    response = login("maoqiao").post("/grid/new/", _report(world, client_id=key, unit=world.unit("毛桥村").pk), **JSON)
    assert response.status_code == 400
    assert response.json()["detail"] == "提交编号无效，请刷新页面后重新填写"
    assert every(Event).count() == 1


def test_an_offline_report_for_a_grid_the_worker_no_longer_holds_is_refused_in_chinese(world, login):
    client = login("wangge")
    every(Membership).filter(user=world.user("wangge")).delete()
    response = client.post("/grid/new/", _report(world, client_id=str(uuid.uuid4())), **JSON)
    assert response.status_code in (400, 403)
    assert not every(Event).exists() and not every(Submission).exists()


def test_a_bad_offline_report_names_what_is_wrong_and_writes_nothing(world, login):
    response = login("wangge").post("/grid/new/", _report(world, title="", client_id=str(uuid.uuid4())), **JSON)
    assert response.status_code == 400 and response.json()["detail"] == "事件标题：这个字段是必填项。"
    response = login("wangge").post("/grid/new/", _report(world, client_id="not-a-uuid"), **JSON)
    assert response.status_code == 400
    assert not every(Event).exists() and not every(Submission).exists()


def test_the_report_page_still_posts_as_a_page_without_a_script(world, login):
    response = login("wangge").post("/grid/new/", _report(world))
    assert response.status_code == 302 and every(Event).count() == 1


def test_the_service_worker_keeps_the_shell_and_the_field_pages(client):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript") and response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    shell = json.loads(body.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    pages = json.loads(body.split("const PAGES = ", 1)[1].split(";\n", 1)[0])
    assert "/static/xingyao/offline.js" in shell and "/offline/" in shell
    assert {"/grid/new/", "/grid/?tab=todo", "/partylife/new/", "/livability/new/"} <= set(pages)


def test_the_app_installs_with_a_chinese_name(client):
    data = client.get("/manifest.webmanifest").json()
    assert data["short_name"] == "星耀" and data["start_url"] == "/home/" and data["display"] == "standalone"
    assert "没有网络" in client.get("/offline/").content.decode()


def test_a_party_life_record_sent_twice_under_one_phone_id_is_recorded_once(world, login):
    from xingyao.partylife.models import Meeting

    record = {
        "village": world.unit("毛桥村").pk,
        "kind": "committee",
        "held_on": "2023-03-05",
        "topic": "3月支委会",
        "place": "村党群服务中心",
        "led_by": "毛德胜",
        "expected": "5",
        "present": "5",
        "client_id": str(uuid.uuid4()),
    }
    client = login("maoqiao")
    answers = [client.post("/partylife/new/", record, **JSON) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json() == answers[1].json()
    assert every(Meeting).count() == 1


def test_an_environment_work_sent_twice_under_one_phone_id_is_recorded_once(world, login):
    from xingyao.livability.models import Work

    work = {
        "village": world.unit("毛桥村").pk,
        "kind": "road_repair",
        "quantity": "320",
        "measure": "m",
        "place": "村委会至小学道路",
        "started_on": "2023-04-03",
        "finished_on": "2023-04-28",
        "client_id": str(uuid.uuid4()),
    }
    client = login("maoqiao")
    answers = [client.post("/livability/new/", work, **JSON) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201], answers[0].content
    assert answers[0].json() == answers[1].json()
    assert every(Work).count() == 1


def test_the_field_forms_are_marked_for_the_phones_outbox(world, login):
    assert 'data-offline="grid.report"' in login("wangge").get("/grid/new/").content.decode()
    for path, mark in (("/partylife/new/", "partylife.record"), ("/livability/new/", "livability.work")):
        assert f'data-offline="{mark}"' in login("maoqiao").get(path).content.decode()
