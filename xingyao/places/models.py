"""The unit tree: 省 → 市 → 县 → 镇 → 村 → 网格 → 微网格, and departments attached to a town or county."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.urls import reverse

from xingyao.core.scoping import ScopedQuerySet, ancestor_prefixes
from xingyao.places.codes import Kind


class UnitQuerySet(ScopedQuerySet["Unit"]):
    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it: one indexed prefix filter."""
        return self.within(unit)

    def villages(self) -> UnitQuerySet:
        return self.filter(kind=Kind.VILLAGE)


class Unit(models.Model):
    """An administrative unit, grid or department; `prefix` is what every descendant's code starts with."""

    KIND_CHOICES = [(k.value, k.label) for k in Kind]
    scope_fields = ("prefix",)

    code = models.CharField("代码", max_length=24, unique=True)
    prefix = models.CharField("代码前缀", max_length=24, editable=False)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("层级", max_length=16, choices=KIND_CHOICES)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    geometry = models.JSONField("边界（GeoJSON）", null=True, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' under any collation.
            models.Index(fields=["prefix"], name="unit_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "prefix"], name="unit_kind_prefix_idx", opclasses=["", "varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=[k.value for k in Kind]), name="unit_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(code__startswith=models.F("prefix")), name="unit_code_has_prefix"
            ),
            models.CheckConstraint(condition=models.Q(~models.Q(parent=models.F("id"))), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        from xingyao.places.codes import prefix_of

        self.prefix = prefix_of(self.code, Kind(self.kind))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("places:unit", args=[self.code])

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    def ancestors(self) -> list[Unit]:
        """From the root down to the parent, in one query."""
        found = (
            Unit.objects.unscoped("a unit's own ancestors: where it sits in the tree")
            .filter(prefix__in=ancestor_prefixes(self.prefix))
            .exclude(pk=self.pk)
            .annotate(n=Length("prefix"))
        )
        return [u for u in found.order_by("n") if self.prefix.startswith(u.prefix) and u.prefix != self.prefix]
