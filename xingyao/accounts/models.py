"""Users, their memberships (user, unit, role) and their API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.utils import timezone

from xingyao.core.roles import Role
from xingyao.core.scoping import ScopedQuerySet


class UserManager(BaseUserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Django's user manager with `restrict()`; see UserQuerySet."""

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return UserQuerySet(self.model, using=self._db)


class User(AbstractUser):
    """A person who logs in; what he may do comes only from his memberships."""

    objects = UserManager()  # type: ignore[misc]

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username


class UserQuerySet(ScopedQuerySet[User]):
    def restrict(self, user, action="view"):  # type: ignore[no-untyped-def,override]
        """Users holding at least one role inside `user`'s scope (and `user` himself)."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return self
        in_scope = Membership.objects.restrict(user, action).values("user_id")
        return self.filter(models.Q(pk__in=in_scope) | models.Q(pk=getattr(user, "pk", None) or 0))


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    pass


class Membership(models.Model):
    """A role held on a unit; it covers the unit's whole subtree."""

    scope_fields = ("unit__prefix",)

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("places.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=32, choices=Role.choices())
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["unit__code", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values()), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_expiry() -> dt.datetime:
    """When a token issued now stops working: `XINGYAO_TOKEN_DAYS` (default 90) days from now."""
    return timezone.now() + dt.timedelta(days=settings.XINGYAO_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not expired, their user active."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """A revocable bearer token that expires; only its SHA-256 is stored, the key is shown once. A password change
    or reset and a deactivation revoke every token of the user (accounts.actions)."""

    PREFIX = "xy_"

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField("尾号", max_length=8)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    expires_at = models.DateTimeField("到期时间", default=token_expiry)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（…{self.hint}）"

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @classmethod
    def digest_of(cls, key: str) -> str:
        return _digest(key)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
