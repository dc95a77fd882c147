"""Form helpers every app uses."""

from __future__ import annotations

from typing import Any

from django import forms


def set_choices(field: forms.Field, choices: list[Any]) -> None:
    """Give a choice field its choices at run time (django-stubs types form fields as plain Field)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
