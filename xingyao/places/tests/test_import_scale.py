"""Division and grid-people imports at scale: round trips, bulk queries, capped errors with the full sheet, caps."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from xingyao.accounts.models import User
from xingyao.core import audit
from xingyao.core.models import AuditEntry
from xingyao.core.sheets import SHOWN_ERRORS, ImportFailed
from xingyao.grid import actions as grid_actions
from xingyao.grid.models import GridPost
from xingyao.places import actions
from xingyao.places.models import Unit

DIVISIONS = ["代码", "名称", "层级"]


def xlsx(rows, header=DIVISIONS, title="区划代码", name="区划.xlsx") -> io.BytesIO:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = name
    return out


def villages(town: Unit, n: int, start: int = 400) -> list[tuple[str, str, str]]:
    return [(f"{town.prefix}{start + i:03}", f"新村{i}", "村") for i in range(n)]


def import_page(world, login, rows, persona="xian", **extra):  # type: ignore[no-untyped-def]
    county = world.unit("新野县").code
    upload = extra.pop("upload", None) or xlsx(rows)
    return login(persona).post(f"/units/{county}/import/divisions/", {"file": upload})


def test_division_list_round_trips_through_export_with_one_audit_row_per_chain(world, login):
    town = world.unit("溧河铺镇")
    before = AuditEntry.objects.count()
    response = import_page(world, login, villages(town, 150))
    assert response.status_code == 302
    assert Unit.objects.filter(parent=town, name__startswith="新村").count() == 150
    # One summary row on the county's chain names every unit created, and the chain still verifies.
    rows = AuditEntry.objects.filter(id__gt=0).order_by("-id")[: AuditEntry.objects.count() - before]
    assert [r.action for r in rows] == ["unit.import"]
    assert len(rows[0].after["created"]) == 150 and rows[0].chain == audit.chain_of(world.unit("新野县"))
    assert all(r.ok for r in audit.verify_chains({}))

    exported = login("xian").get(f"/units/{town.code}/export/divisions.xlsx")
    assert exported.status_code == 200
    result = actions.do_import_divisions(world.user("xian"), io.BytesIO(exported.content), "导出.xlsx")
    assert result.created == result.updated == 0 and result.unchanged >= 151  # the town and its villages


def test_a_renamed_list_updates_in_bulk(world):
    town = world.unit("溧河铺镇")
    actions.do_import_divisions(world.user("xian"), xlsx(villages(town, 30)), "a.xlsx")
    renamed = [(code, f"{name}（改）", level) for code, name, level in villages(town, 30)]
    result = actions.do_import_divisions(world.user("xian"), xlsx(renamed), "b.xlsx")
    assert (result.created, result.updated) == (0, 30)
    assert Unit.objects.filter(name__endswith="（改）").count() == 30
    last = AuditEntry.objects.order_by("-id").first()
    assert last.before["updated"][renamed[0][0]] == {"name": "新村0"}


@pytest.mark.parametrize("n", [10, 550])
def test_the_queries_of_an_import_do_not_grow_with_its_rows(world, django_assert_max_num_queries, n):
    town = world.unit("溧河铺镇")
    upload = xlsx(villages(town, n))
    # Lookups per 2,000 codes, inserts per batch (SQLite: ~120 rows a statement), one audit row: the same bound
    # for 10 rows and 550.
    with django_assert_max_num_queries(30):
        actions.do_import_divisions(world.user("xian"), upload, "x.xlsx")
    assert Unit.objects.filter(parent=town, name__startswith="新村").count() == n


@pytest.mark.parametrize("n", [3, 300])
def test_grid_people_queries_do_not_grow_with_rows(world, django_assert_max_num_queries, n):
    grid = world.unit("毛桥村第1网格")
    rows = [(grid.code, f"人员{i}", f"1390000{i:04}", "网格员") for i in range(n)]
    upload = xlsx(rows, header=["网格代码", "姓名", "手机号", "岗位"], title="人员")
    with django_assert_max_num_queries(45):
        result = grid_actions.do_import_workers(world.user("zhen"), upload, "人员.xlsx", "网格初始密码2023")
    assert (result.users_created, result.posts_assigned) == (n, n)
    assert GridPost.objects.filter(unit=grid, membership__user__username__startswith="1390000").count() == n
    assert AuditEntry.objects.order_by("-id").first().after["count"] == n


def test_errors_are_named_capped_on_the_page_and_all_in_the_sheet(world, login):
    town = world.unit("溧河铺镇")
    good = villages(town, 5)
    bad = [(f"{town.prefix}{700 + i:03}", "", "村") for i in range(SHOWN_ERRORS + 50)]  # no name
    bad.append(("12345", "坏代码", "村"))
    response = import_page(world, login, [*good, *bad])
    page = response.content.decode()
    total = len(bad)
    assert response.status_code == 200 and f"共 {total} 处" in page
    items = re.findall(r"<li>([^<]*)</li>", page.split('class="errorlist"')[1])
    assert len(items) == SHOWN_ERRORS
    assert "工作表「区划代码」第 2 行「名称」列：名称不能为空" not in page  # row 2 is a good row
    assert "工作表「区划代码」第 7 行「名称」列：名称不能为空" in page
    assert not Unit.objects.filter(name__startswith="新村").exists()  # nothing written

    link = re.search(r'href="(/imports/errors/[0-9a-f]+/)"', page).group(1)
    sheet = login("xian").get(link)
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "工作表", "行", "列", "问题")
    assert len(rows) == total + 1
    assert ("区划代码", total + 6, "代码") == rows[-1][1:4] and "12 位数字" in rows[-1][4]
    # The token is the uploader's: anyone else (even his county's other admin) gets a 404.
    assert login("xian_shenhe").get(link).status_code == 404
    assert login("xian").get("/imports/errors/../").status_code == 404


def test_the_api_answers_the_first_errors_and_the_count(world):
    town = world.unit("溧河铺镇")
    bad = [(f"{town.prefix}{700 + i:03}", "", "村") for i in range(SHOWN_ERRORS + 1)]
    with pytest.raises(ImportFailed) as failed:
        actions.do_import_divisions(world.user("xian"), xlsx(bad), "x.xlsx")
    assert failed.value.count == SHOWN_ERRORS + 1 and len(failed.value.shown) == SHOWN_ERRORS
    assert str(failed.value).endswith(f"共 {SHOWN_ERRORS + 1} 处错误")


def test_a_file_over_the_byte_cap_is_refused_before_it_is_read(world, login, settings):
    settings.XINGYAO_IMPORT_MAX_BYTES = 10_000
    town = world.unit("溧河铺镇")
    upload = io.BytesIO(b"\xef\xbb\xbf" + ("代码,名称,层级\n" + f"{town.prefix}200,村,村\n" * 2000).encode())
    upload.name = "大文件.csv"
    response = import_page(world, login, [], upload=upload)
    page = response.content.decode()
    assert response.status_code == 200 and "文件过大" in page and "不能超过" in page
    assert not Unit.objects.filter(parent=town, code=f"{town.prefix}200").exists()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_more_rows_than_the_cap_are_refused(world, settings, kind):
    settings.XINGYAO_IMPORT_MAX_ROWS = 20
    town = world.unit("溧河铺镇")
    rows = villages(town, 21)
    if kind == "xlsx":
        upload = xlsx(rows)
    else:
        upload = io.BytesIO("\n".join(",".join(r) for r in [DIVISIONS, *rows]).encode("gbk"))
    with pytest.raises(ImportFailed, match="超过 20 行"):
        actions.do_import_divisions(world.user("xian"), upload, f"x.{kind}")
    assert not Unit.objects.filter(name__startswith="新村").exists()
    settings.XINGYAO_IMPORT_MAX_ROWS = 21
    upload.seek(0)
    assert actions.do_import_divisions(world.user("xian"), upload, f"x.{kind}").created == 21


def _bomb(size: int) -> io.BytesIO:
    """A valid-looking .xlsx whose worksheet part is `size` bytes of the same character: a few KB packed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * size)
    out.seek(0)
    return out


def test_a_zip_bomb_is_refused_from_its_directory(world, login, settings):
    settings.XINGYAO_IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    bomb = _bomb(20_000_000)
    assert len(bomb.getvalue()) < 50_000
    bomb.name = "炸弹.xlsx"
    response = import_page(world, login, [], upload=bomb)
    assert response.status_code == 200 and "解压后过大" in response.content.decode()


def test_a_zip_that_lies_about_its_sizes_is_refused_too(world, settings):
    settings.XINGYAO_IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    data = bytearray(_bomb(5_000_000).getvalue())
    # Declare the big part (the third) as 1,000 bytes, in its local header and in the central directory.
    local = [m.start() for m in re.finditer(b"PK\x03\x04", bytes(data))][2]
    central = [m.start() for m in re.finditer(b"PK\x01\x02", bytes(data))][2]
    for at in (local + 22, central + 24):
        data[at : at + 4] = (1000).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[2].file_size == 1000
    with pytest.raises(ImportFailed, match="不是有效的 Excel"):
        actions.do_import_divisions(world.user("xian"), io.BytesIO(bytes(data)), "x.xlsx")


def test_csv_is_read_in_utf8_or_gbk_and_bad_bytes_get_a_message(world):
    town = world.unit("溧河铺镇")
    text = "\n".join(",".join(r) for r in [DIVISIONS, *villages(town, 3)])
    for raw in (("\ufeff" + text).encode("utf-8"), text.encode("gb18030")):
        result = actions.do_import_divisions(world.user("xian"), io.BytesIO(raw), "x.csv")
        assert result.created + result.unchanged == 3
    with pytest.raises(ImportFailed, match="CSV 文件格式有误"):
        actions.do_import_divisions(world.user("xian"), io.BytesIO(b'a,"' + b"x" * 200_000 + b"\n"), "x.csv")
    assert User.objects.exists()  # (the world is still there: nothing above raised a 500)


def test_a_big_csv_on_disk_stops_at_the_row_cap_with_a_message(world, login, settings):
    # 6 MB: more than Django keeps in memory, so it arrives as a temporary file, and it is read line by line only
    # until the cap is passed.
    settings.XINGYAO_IMPORT_MAX_ROWS = 100
    settings.XINGYAO_JOB_IMPORT_BYTES = (
        10 * 1024 * 1024
    )  # read in the request here (places/tests/test_jobs.py: as a job)
    town = world.unit("溧河铺镇")
    line = f"{town.prefix}400,{'长名' * 40},村\n"
    upload = io.BytesIO(("代码,名称,层级\n" + line * (6_000_000 // len(line.encode()))).encode())
    upload.name = "很多行.csv"
    response = import_page(world, login, [], upload=upload)
    page = response.content.decode()
    assert response.status_code == 200 and "数据超过 100 行" in page
    assert not Unit.objects.filter(code=f"{town.prefix}400").exists()
