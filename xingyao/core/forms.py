"""Form helpers every app uses."""

from __future__ import annotations

from typing import Any

from django import forms


def set_choices(field: forms.Field, choices: list[Any]) -> None:
    """Give a choice field its choices at run time (django-stubs types form fields as plain Field)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from the phone's camera or album; each is checked later by core.uploads.check_image."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = {"accept": "image/*", "capture": "environment", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files if item]
