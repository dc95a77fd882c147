"""A failed import's errors for its page: the first SHOWN_ERRORS, the count, and every one as a downloadable .xlsx
kept for a day for the user who uploaded the file (in the default file storage, so every worker and the job
runner can hand it out)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from xingyao.core.exports import error_workbook
from xingyao.core.sheets import SHOWN_ERRORS, CellError, ImportFailed

FOLDER = "import-errors"
KEPT = dt.timedelta(days=1)
TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class ErrorReport:
    """What an import page shows of a failed import."""

    shown: list[CellError]
    count: int
    url: str

    @property
    def more(self) -> int:
        return self.count - len(self.shown)

    def __bool__(self) -> bool:
        return self.count > 0


def _path(user: Any, token: str) -> str:
    return f"{FOLDER}/{int(user.pk)}/{token}.xlsx"


def report(user: Any, failure: ImportFailed | Sequence[CellError]) -> ErrorReport:
    """Keep the full error sheet for `user` and describe the failure for the page."""
    errors = failure.errors if isinstance(failure, ImportFailed) else list(failure)
    token = keep(user, errors)
    return ErrorReport(errors[:SHOWN_ERRORS], len(errors), reverse("core:import_errors", args=[token]))


def keep(user: Any, errors: Sequence[CellError]) -> str:
    """Store every error as an .xlsx only `user` can download; returns its token. Older sheets of his are swept."""
    _sweep(user)
    token = secrets.token_hex(16)
    default_storage.save(_path(user, token), ContentFile(error_workbook(errors)))
    return token


def read(user: Any, token: str) -> bytes | None:
    """The error sheet `user` was given under `token`, or None (unknown, someone else's, or swept)."""
    if not TOKEN.fullmatch(token) or not getattr(user, "pk", None):
        return None
    path = _path(user, token)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        return stored.read()


def _sweep(user: Any) -> None:
    folder = f"{FOLDER}/{int(user.pk)}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - KEPT
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
