"""Grid people (1+1+N posts), event categories, grid events with their history and photos, residents' links."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from xingyao.core.fields import actor_field
from xingyao.core.history import HistoryStep
from xingyao.core.scoping import ScopedQuerySet
from xingyao.core.uploads import StoredFile
from xingyao.grid.workflow import Level, State


class Post(models.TextChoices):
    HEAD = "head", "网格长"
    ADVISER = "adviser", "网格指导员"
    WORKER = "worker", "网格员"


class GridPost(models.Model):
    """The 1+1+N post held on a grid: an attribute of the holder's grid_worker membership, never a second scope."""

    scope_fields = ("unit__prefix",)

    membership = models.OneToOneField(
        "accounts.Membership", verbose_name="任职", primary_key=True, on_delete=models.CASCADE, related_name="grid_post"
    )
    # The membership's unit, repeated so the database can hold "one head and one adviser per grid".
    unit = models.ForeignKey("places.Unit", verbose_name="网格", on_delete=models.PROTECT, related_name="grid_posts")
    post = models.CharField("岗位", max_length=16, choices=Post.choices, default=Post.WORKER)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "网格岗位"
        verbose_name_plural = "网格岗位"
        constraints = [
            models.CheckConstraint(condition=Q(post__in=Post.values), name="grid_post_valid"),
            models.UniqueConstraint(
                fields=["unit", "post"], condition=~Q(post=Post.WORKER), name="grid_post_one_head_one_adviser"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_post_display()}"


class ZeroKind(models.TextChoices):
    NONE = "", "—"
    PETITION = "petition", "越级上访（零上访）"
    ACCIDENT = "accident", "伤亡事故（零事故）"
    CASE = "case", "刑事或重大治安案件（零案件）"


DEPARTMENT_TYPES = ["派出所", "司法所", "信访办", "综治中心", "应急办", "消防", "市场监管", "交警", "环保", "村镇建设"]


class EventCategory(models.Model):
    """A county's two- or three-level event category with a stable service code, default department and time limit."""

    scope_fields = ("county__prefix",)
    scope_view_from_below = True  # a county's categories are read by everyone in the county

    county = models.ForeignKey(
        "places.Unit", verbose_name="所属县", on_delete=models.PROTECT, related_name="event_categories"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级分类", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField("分类代码", max_length=32, help_text="稳定的服务代码（类似 Open311 service_code）")
    name = models.CharField("名称", max_length=50)
    full_name = models.CharField("完整名称", max_length=160, editable=False)
    level = models.PositiveSmallIntegerField("级别", default=1, editable=False)
    department_type = models.CharField("默认承办部门", max_length=20, blank=True)
    deadline_days = models.PositiveSmallIntegerField("办理时限（工作日）", default=5)
    zero_kind = models.CharField("计入“三零”", max_length=16, choices=ZeroKind.choices, blank=True, default="")
    active = models.BooleanField("启用", default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "事件分类"
        verbose_name_plural = "事件分类"
        ordering = ["county", "code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="event_category_code_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="event_category_level_1_3"),
            models.CheckConstraint(condition=Q(deadline_days__lte=60), name="event_category_deadline_sane"),
            models.CheckConstraint(condition=Q(zero_kind__in=ZeroKind.values), name="event_category_zero_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.name


class Source(models.TextChoices):
    PATROL = "patrol", "巡查上报"
    RESIDENT = "resident", "居民上报"
    ASSIGNED = "assigned", "上级交办"


STATE_CHOICES = [(s.value, s.label) for s in State]
LEVEL_CHOICES = [(lv.value, lv.label) for lv in Level]
CLOCK_STATES = [State.DISPATCHED.value, State.HANDLING.value]
OPEN_STATES = [s.value for s in State if s is not State.CLOSED]


class EventQuerySet(ScopedQuerySet["Event"]):
    def open(self) -> EventQuerySet:
        return self.filter(state__in=OPEN_STATES)


class Event(models.Model):
    """A grid event from report to closure; the department it is dispatched to sees it too."""

    scope_fields = ("unit__prefix", "department__prefix")

    unit = models.ForeignKey(
        "places.Unit", verbose_name="网格/村", on_delete=models.PROTECT, related_name="grid_events"
    )
    # The village the unit lies in: figures and “三零” group by it without parsing codes.
    village = models.ForeignKey("places.Unit", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        EventCategory, verbose_name="事件分类", on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField("事件标题", max_length=60)
    description = models.TextField("事件描述", max_length=2000)
    address = models.CharField("地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.PATROL)
    reporter = actor_field("上报人", related_name="reported_events")
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)

    state = models.CharField("状态", max_length=16, choices=STATE_CHOICES, default=State.REPORTED)
    reported_at = models.DateTimeField("上报时间", default=timezone.now)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    dispatched_at = models.DateTimeField("派遣时间", null=True, blank=True)
    feedback_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    department = models.ForeignKey(
        "places.Unit",
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_events",
    )
    deadline_days = models.PositiveSmallIntegerField("办理时限（工作日）", null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField("已批延期（工作日）", default=0)
    pending_extension_days = models.PositiveSmallIntegerField("待批延期（工作日）", null=True, blank=True)
    due_at = models.DateTimeField("截止时间", null=True, blank=True)
    warn_at = models.DateTimeField("黄色预警起", null=True, blank=True)
    handler_ids = models.JSONField("本次派遣的处置人", default=list, blank=True)
    urgent = models.BooleanField("紧急", default=False)
    legacy = models.BooleanField("历史遗留", default=False)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="重复于", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    sent_back_count = models.PositiveSmallIntegerField("退回次数", default=0)
    rework_count = models.PositiveSmallIntegerField("返工次数", default=0)
    manual_level = models.CharField("领导督办", max_length=8, choices=LEVEL_CHOICES, default=Level.NORMAL)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "网格事件"
        verbose_name_plural = "网格事件"
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["reported_at", "id"], name="event_reported_idx"),
            models.Index(fields=["state", "reported_at"], name="event_state_reported_idx"),
            models.Index(fields=["village", "reported_at"], name="event_village_reported_idx"),
            models.Index(fields=["unit", "state"], name="event_unit_state_idx"),
            models.Index(fields=["department", "state"], name="event_department_state_idx"),
            models.Index(fields=["closed_at"], name="event_closed_idx"),
            # Overdue and yellow lists read only the events whose clock runs.
            models.Index(fields=["due_at"], name="event_clock_due_idx", condition=Q(state__in=CLOCK_STATES)),
            models.Index(fields=["warn_at"], name="event_clock_warn_idx", condition=Q(state__in=CLOCK_STATES)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=[s.value for s in State]), name="event_state_valid"),
            models.CheckConstraint(condition=Q(manual_level__in=[lv.value for lv in Level]), name="event_level_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="event_source_valid"),
            models.CheckConstraint(
                condition=Q(state__in=[State.REPORTED, State.ACCEPTED, State.CLOSED])
                | Q(department__isnull=False, deadline_days__isnull=False, due_at__isnull=False),
                name="event_dispatched_has_department_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED) | Q(closed_at__isnull=False), name="event_closed_has_time"
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("id")), name="event_not_own_duplicate"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grid:event", args=[self.pk])

    @property
    def number(self) -> str:
        """事件编号: report date and id, stable and readable on the phone."""
        return f"{timezone.localtime(self.reported_at):%Y%m%d}-{self.pk:06d}" if self.pk else ""

    @property
    def state_label(self) -> str:
        return State(self.state).label


class EventStep(HistoryStep):
    """One line of an event's history: who did what, from which state to which, and why."""

    scope_fields = ("event__unit__prefix", "event__department__prefix")

    event = models.ForeignKey(Event, verbose_name="事件", on_delete=models.CASCADE, related_name="steps")
    department = models.ForeignKey(
        "places.Unit", verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta(HistoryStep.Meta):
        verbose_name = "事件流转记录"
        verbose_name_plural = "事件流转记录"

    @property
    def to_state_label(self) -> str:
        return State(self.to_state).label if self.to_state in State.__members__.values() else ""


class PhotoStage(models.TextChoices):
    REPORT = "report", "上报"
    BEFORE = "before", "处置前"
    AFTER = "after", "处置后"
    NOTE = "note", "现场补充"  # with a note added on the spot while the event is open


class EventPhoto(StoredFile):
    """A photo of an event: at report, before or after handling; served only through access()."""

    scope_fields = ("event__unit__prefix", "event__department__prefix")

    event = models.ForeignKey(Event, verbose_name="事件", on_delete=models.CASCADE, related_name="photos")
    step = models.ForeignKey(
        EventStep, verbose_name="流转记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    stage = models.CharField("阶段", max_length=8, choices=PhotoStage.choices, default=PhotoStage.REPORT)
    uploaded_by = actor_field("上传人")

    objects = ScopedQuerySet.as_manager()

    file_route = "grid:photo"

    class Meta(StoredFile.Meta):
        verbose_name = "事件照片"
        verbose_name_plural = "事件照片"


def new_token() -> str:
    return secrets.token_urlsafe(12)


class ResidentLink(models.Model):
    """A village's public link (and QR code) for residents' reports; rotating the token retires the old one."""

    scope_fields = ("village__prefix",)

    village = models.OneToOneField(
        "places.Unit", verbose_name="村（社区）", on_delete=models.CASCADE, related_name="resident_link"
    )
    token = models.CharField("令牌", max_length=32, unique=True, default=new_token)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "居民上报链接"
        verbose_name_plural = "居民上报链接"

    def __str__(self) -> str:
        return f"{self.village} 居民上报"

    def get_absolute_url(self) -> str:
        return reverse("grid:public_report", args=[self.token])
