"""In-app messages (站内消息), the kinds a person muted, and a county's outside delivery channels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from xingyao.core.roles import Labelled
from xingyao.core.scoping import ScopedQuerySet


class Kind(Labelled):
    """What a message is about: who must act next, and why."""

    EVENT_DISPATCHED = "event_dispatched", "事件派遣"
    ASSESSMENT_SENT_BACK = "assessment_sent_back", "评星材料退回"
    OBJECTION_FILED = "objection_filed", "公示收到异议"
    ACCEPTANCE_WAITING = "acceptance_waiting", "整改待验收"
    REMINDER = "reminder", "每日到期提醒"


class Notice(models.Model):
    """One message in one person's inbox; read by him alone."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类别", max_length=32, choices=Kind.choices())
    title = models.CharField("标题", max_length=120)
    body = models.TextField("内容", max_length=2000, blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Set for messages that must reach a person once only (the daily reminder: "reminder:2026-12-07").
    once_key = models.CharField("去重键", max_length=60, blank=True, default="")

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notice_inbox_idx"),
            models.Index(fields=["recipient"], name="notice_unread_idx", condition=Q(read_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values()), name="notice_kind_valid"),
            models.UniqueConstraint(
                fields=["recipient", "once_key"], condition=~Q(once_key=""), name="notice_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        found = Kind.lookup(self.kind)
        return found.label if found else ""


class Muting(models.Model):
    """A kind of message a person chose not to receive."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类别", max_length=32, choices=Kind.choices())

    class Meta:
        verbose_name = "消息免打扰"
        verbose_name_plural = "消息免打扰"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="muting_unique"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values()), name="muting_kind_valid"),
        ]

    def __str__(self) -> str:
        found = Kind.lookup(self.kind)
        return f"不接收：{found.label if found else self.kind}"


class ChannelKind(Labelled):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"
    SMS = "sms", "短信网关"


class Channel(models.Model):
    """A county's outside delivery: a group robot's webhook or an SMS gateway. Its URL is a secret (it carries the
    robot's key): pages show only its host and last characters."""

    scope_fields = ("county__prefix",)

    county = models.ForeignKey("places.Unit", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("方式", max_length=16, choices=ChannelKind.choices())
    name = models.CharField("名称", max_length=40)
    url = models.CharField("推送地址", max_length=500)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "消息推送渠道"
        verbose_name_plural = "消息推送渠道"
        ordering = ["county", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ChannelKind.values()), name="channel_kind_valid")]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_url(self) -> str:
        """The URL as pages show it: scheme and host, then the last four characters of the secret part."""
        scheme, _, rest = self.url.partition("://")
        host = rest.split("/", 1)[0].split("?", 1)[0]
        return (
            f"{scheme}://{host}/…{self.url[-4:]}"
            if len(self.url) > len(scheme) + len(host) + 7
            else f"{scheme}://{host}/…"
        )
