"""Request bodies over their cap are refused with a Chinese 413 before a byte of them is read."""

from __future__ import annotations

import io

from django.test import Client


class EndlessBody(io.RawIOBase):
    """A request body that never ends and counts what was read of it (the 2 GB POST without the 2 GB)."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = b"x" * (65536 if size is None or size < 0 else min(size, 65536))
        self.read_bytes += len(chunk)
        if self.read_bytes > 8 * 1024 * 1024:  # without the cap the test fails here instead of reading 2 GB
            raise AssertionError("the request body is being read")
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size or -1)


GIB2 = str(2 * 1024**3)
MULTIPART = "multipart/form-data; boundary=xyz"


def _post(client: Client, path: str, body: EndlessBody, length: str = GIB2, **extra: str):  # type: ignore[no-untyped-def]
    return client.generic("POST", path, CONTENT_LENGTH=length, CONTENT_TYPE=MULTIPART, **{"wsgi.input": body}, **extra)


def test_an_anonymous_2gb_post_to_the_login_page_is_refused_unread(db) -> None:
    body = EndlessBody()
    response = _post(Client(), "/accounts/login/", body)
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "1 MB" in page
    assert "<nav" in page or "<header" in page  # inside the layout, not a bare error
    assert body.read_bytes == 0


def test_an_anonymous_post_over_1mb_is_refused_but_a_login_sized_one_is_read(db) -> None:
    assert _post(Client(), "/accounts/login/", EndlessBody(), length=str(1024 * 1024 + 1)).status_code == 413
    small = Client().post("/accounts/login/", {"username": "nobody", "password": "x"})
    assert small.status_code == 200  # the form again, with its error: the body was read


def test_a_logged_in_upload_may_be_larger_but_not_unbounded(login, settings) -> None:
    client = login("maoqiao")
    body = EndlessBody()
    assert _post(client, "/grid/new/", body).status_code == 413
    assert body.read_bytes == 0
    settings.XINGYAO_MAX_REQUEST_BYTES = 50 * 1024 * 1024
    response = _post(client, "/grid/new/", EndlessBody(), length=str(51 * 1024 * 1024))
    assert response.status_code == 413 and "50 MB" in response.content.decode()


def test_the_residents_form_takes_photos_without_a_login(world, settings) -> None:
    from xingyao.grid import actions

    link = actions.do_rotate_resident_link(world.user("zhen"), world.unit("毛桥村"))
    # 3 MB is over the anonymous cap, under the upload cap: the form reads it (and finds it malformed: a 400).
    response = Client().generic(
        "POST", f"/grid/r/{link.token}/", b"x" * (3 * 1024 * 1024), content_type="multipart/form-data; boundary=xyz"
    )
    assert response.status_code != 413
    assert _post(Client(), f"/grid/r/{link.token}/", EndlessBody()).status_code == 413


def test_the_api_answers_413_in_json(api) -> None:
    client = api("maoqiao")
    response = _post(client, "/api/v1/grid/events", EndlessBody())
    assert response.status_code == 413
    assert "上限" in response.json()["detail"]


def test_a_large_form_body_is_a_400_not_a_500(login) -> None:
    client = login("maoqiao")
    response = client.post("/grid/new/", {"title": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 400
    response = client.post("/grid/new/", {f"f{i}": "1" for i in range(3000)})
    assert response.status_code == 400
