"""Model fields every record kind declares the same way."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def actor_field(verbose_name: str, *, related_name: str = "+", blank: bool = True) -> models.ForeignKey[Any, Any]:
    """The account that did something to a record (reported, uploaded, decided, acted in an audit row or a step).

    Empty when the system or the public acted; PROTECT, because an account that ever acted is deactivated, never
    deleted, so that the record keeps saying who it was.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.PROTECT,
        related_name=related_name,
    )
