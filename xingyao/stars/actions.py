"""State changes on criteria sets and star plans; each runs in a transaction and writes its audit row.

A published set is immutable: every edit below refuses it with a Chinese message, and next year's work starts
from `do_copy_criteria_set`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from xingyao.core import audit
from xingyao.core.actors import is_system
from xingyao.core.errors import ActionError
from xingyao.core.roles import Action
from xingyao.core.scoping import covers
from xingyao.places.codes import Kind as UnitLevel
from xingyao.places.models import Unit
from xingyao.stars import scoring
from xingyao.stars.example_2023_rural import example_2023_rural
from xingyao.stars.exports import parse_criteria_workbook
from xingyao.stars.models import (
    CriteriaSet,
    Indicator,
    Section,
    Star,
    StarPlan,
    Status,
    UnitKind,
    county_departments,
)
from xingyao.stars.queries import criteria_for, unit_kind_of

SET_FIELDS = ["county", "year", "unit_kind", "name", "note", "status", "published_at", "dept_review", "publicity_days"]
STAR_FIELDS = ["name", "min_points", "require_all_required", "prerequisites", "review_department"]
INDICATOR_FIELDS = [
    "code",
    "name",
    "star",
    "section",
    "kind",
    "points",
    "required",
    "veto",
    "threshold",
    "comparison",
    "unit",
    "choices",
    "min_score",
    "max_score",
    "evidence_count",
    "data_source",
    "note",
    "order",
]
PLAN_FIELDS = ["village", "year", "star_code", "strengths", "gaps", "measures", "responsible", "deadline"]
DEFAULT_STARS = {
    UnitKind.VILLAGE: [
        ("branch", "支部过硬星"),
        ("industry", "产业兴旺星"),
        ("ecology", "生态宜居星"),
        ("safety", "平安法治星"),
        ("civility", "文明幸福星"),
    ],
    UnitKind.COMMUNITY: [
        ("branch", "支部过硬星"),
        ("sharing", "共建共享星"),
        ("enterprise", "宜业兴业星"),
        ("harmony", "幸福和谐星"),
        ("safety", "平安法治星"),
    ],
}
EXAMPLE_NOTE = (
    "本标准为系统提供的示例，依据公开报道整理，并非省级正式文本。"
    "请县委组织部结合本县实际修改指标、分值和达标值后再发布。"
)
PUBLISHED_MESSAGE = "评定标准已发布，不能再修改；如需调整，请复制为新年度的草稿"


def _check_admin(actor: Any, criteria_set: CriteriaSet) -> None:
    if not covers(actor, Action.ADMIN, criteria_set.county.prefix):
        raise ActionError("只有制定该标准的县级管理员可以修改评定标准")


def _check_editable(actor: Any, criteria_set: CriteriaSet) -> None:
    _check_admin(actor, criteria_set)
    if criteria_set.status == Status.PUBLISHED:
        raise ActionError(PUBLISHED_MESSAGE)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ActionError("年度应在 2000 到 2100 之间", "year")


def _check_settings(name: str, publicity_days: int) -> None:
    if not name.strip():
        raise ActionError("请填写名称", "name")
    if not 1 <= publicity_days <= 30:
        raise ActionError("公示天数应在 1 到 30 天之间", "publicity_days")


# --- criteria sets ------------------------------------------------------------------------------


def do_create_criteria_set(
    actor: Any,
    *,
    county: Unit,
    year: int,
    unit_kind: str = UnitKind.VILLAGE,
    name: str,
    note: str = "",
    dept_review: bool = False,
    publicity_days: int = 7,
) -> CriteriaSet:
    """A new draft set with the stars its kind of unit is rated on, ready for indicators or an import."""
    if county.kind not in (UnitLevel.COUNTY, UnitLevel.CITY, UnitLevel.PROVINCE):
        raise ActionError("评定标准由县级及以上单位制定", "county")
    if not covers(actor, Action.ADMIN, county.prefix):
        raise ActionError("只有县级管理员可以制定评定标准", "county")
    if unit_kind not in UnitKind.values:
        raise ActionError("适用对象无效", "unit_kind")
    _check_year(year)
    _check_settings(name, publicity_days)
    if (
        CriteriaSet.objects.unscoped("one set per county, year and kind")
        .filter(county=county, year=year, unit_kind=unit_kind)
        .exists()
    ):
        raise ActionError(f"{county.name}{year}年度已有{UnitKind(unit_kind).label}评定标准", "year")
    with transaction.atomic(durable=True):
        criteria_set = CriteriaSet.objects.create(
            county=county,
            year=year,
            unit_kind=unit_kind,
            name=name.strip(),
            note=note.strip(),
            dept_review=dept_review,
            publicity_days=publicity_days,
        )
        Star.objects.bulk_create(
            Star(criteria_set=criteria_set, code=code, name=star_name, order=n)
            for n, (code, star_name) in enumerate(DEFAULT_STARS[UnitKind(unit_kind)], start=1)
        )
        audit.record(
            actor=actor, action="criteria_set.create", obj=criteria_set, after=audit.snapshot(criteria_set, SET_FIELDS)
        )
    return criteria_set


def do_update_criteria_set(
    actor: Any, criteria_set: CriteriaSet, *, name: str, note: str, dept_review: bool, publicity_days: int
) -> CriteriaSet:
    """Rename a draft set or change its review settings."""
    _check_editable(actor, criteria_set)
    _check_settings(name, publicity_days)
    before = audit.snapshot(criteria_set, SET_FIELDS)
    with transaction.atomic(durable=True):
        criteria_set.name, criteria_set.note = name.strip(), note.strip()
        criteria_set.dept_review, criteria_set.publicity_days = dept_review, publicity_days
        criteria_set.save()
        b, a = audit.diff(before, audit.snapshot(criteria_set, SET_FIELDS))
        if a:
            audit.record(actor=actor, action="criteria_set.update", obj=criteria_set, before=b, after=a)
    return criteria_set


def do_publish_criteria_set(actor: Any, criteria_set: CriteriaSet) -> CriteriaSet:
    """Check the whole set and freeze it; villages are assessed against it from now on."""
    _check_editable(actor, criteria_set)
    try:
        scoring.validate_spec(criteria_set.to_spec())
    except ValueError as exc:
        raise ActionError(f"不能发布：{exc}") from None
    with transaction.atomic(durable=True):
        locked = (
            CriteriaSet.objects.unscoped("re-read of an object fetched through access()")
            .select_for_update()
            .get(pk=criteria_set.pk)
        )
        if locked.status == Status.PUBLISHED:
            raise ActionError(PUBLISHED_MESSAGE)
        criteria_set.status, criteria_set.published_at = Status.PUBLISHED, timezone.now()
        criteria_set.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action="criteria_set.publish",
            obj=criteria_set,
            before={"status": Status.DRAFT},
            after={"status": Status.PUBLISHED, "published_at": criteria_set.published_at},
        )
    return criteria_set


def content_of(criteria_set: CriteriaSet) -> dict[str, Any]:
    """The set's stars and indicators as the plain data `scoring.to_spec` and `_write_content` take."""
    stars = [
        {
            "code": s.code,
            "name": s.name,
            "order": s.order,
            "min_points": s.min_points,
            "require_all_required": s.require_all_required,
            "prerequisites": list(s.prerequisites or ()),
            "review_department": s.review_department.code if s.review_department else None,
        }
        for s in criteria_set.stars.select_related("review_department")
    ]
    indicators = [
        {
            "code": i.code,
            "star_code": i.star.code,
            "section": i.section.name,
            "name": i.name,
            "kind": i.kind,
            "points": i.points,
            "required": i.required,
            "veto": i.veto,
            "threshold": i.threshold,
            "comparison": i.comparison,
            "unit": i.unit,
            "choices": [{"value": v, "label": label, "points": p} for v, label, p in i.choices or ()],
            "min_score": i.min_score,
            "max_score": i.max_score,
            "evidence_count": i.evidence_count,
            "data_source": i.data_source,
            "note": i.note,
        }
        for i in criteria_set.indicators.select_related("star", "section").order_by(
            "star__order", "section__order", "order", "id"
        )
    ]
    return {"stars": stars, "indicators": indicators}


def _json_number(value: Any) -> int | float:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _write_content(criteria_set: CriteriaSet, data: dict[str, Any]) -> tuple[int, int]:
    """Replace the set's stars, sections and indicators with `data` (already validated); a constant number of
    queries per star."""
    wanted = {s["review_department"] for s in data["stars"] if s.get("review_department")}
    departments = {u.code: u for u in county_departments(criteria_set.county).filter(code__in=wanted)}
    unknown = sorted(wanted - set(departments))
    if unknown:
        raise ActionError(f"审核部门「{'、'.join(unknown)}」不是本县的部门")
    criteria_set.indicators.all().delete()
    criteria_set.stars.all().delete()
    stars = Star.objects.bulk_create(
        Star(
            criteria_set=criteria_set,
            code=s["code"],
            name=s["name"],
            order=int(s.get("order") or n),
            min_points=None if s.get("min_points") is None else Decimal(str(s["min_points"])),
            require_all_required=bool(s.get("require_all_required", True)),
            prerequisites=list(s.get("prerequisites") or []),
            review_department=departments.get(s.get("review_department") or ""),
        )
        for n, s in enumerate(data["stars"], start=1)
    )
    by_code = {s.code: s for s in stars}
    section_keys: dict[tuple[str, str], Section] = {}
    for i in data["indicators"]:
        star_code = i.get("star_code") or i["code"].split(".")[0]
        key = (star_code, i.get("section") or "综合")
        if key not in section_keys:
            order = sum(1 for k in section_keys if k[0] == star_code) + 1
            section_keys[key] = Section(star=by_code[star_code], order=order, name=key[1])
    Section.objects.bulk_create(section_keys.values())
    Indicator.objects.bulk_create(
        Indicator(
            criteria_set=criteria_set,
            star=by_code[star_code],
            section=section_keys[(star_code, i.get("section") or "综合")],
            code=i["code"],
            name=i["name"],
            kind=i["kind"],
            points=Decimal(str(i["points"])),
            required=bool(i.get("required")),
            veto=bool(i.get("veto")),
            threshold=None if i.get("threshold") is None else Decimal(str(i["threshold"])),
            comparison=i.get("comparison") or ">=",
            unit=i.get("unit") or "",
            choices=[[str(c["value"]), str(c["label"]), _json_number(c["points"])] for c in i.get("choices") or ()],
            min_score=Decimal(str(i.get("min_score") or 0)),
            max_score=None if i.get("max_score") is None else Decimal(str(i["max_score"])),
            evidence_count=int(i.get("evidence_count") or 1),
            data_source=i.get("data_source") or None,
            note=i.get("note") or "",
            order=n,
        )
        for n, i in enumerate(data["indicators"], start=1)
        for star_code in [i.get("star_code") or i["code"].split(".")[0]]
    )
    return len(stars), len(data["indicators"])


def _validated(data: dict[str, Any]) -> None:
    try:
        scoring.to_spec(data)
    except ValueError as exc:
        raise ActionError(str(exc)) from None


def do_copy_criteria_set(actor: Any, source: CriteriaSet, year: int) -> CriteriaSet:
    """Next year's draft: the same stars, sections and indicators, editable again."""
    _check_admin(actor, source)
    _check_year(year)
    if (
        CriteriaSet.objects.unscoped("one set per county, year and kind")
        .filter(county=source.county, year=year, unit_kind=source.unit_kind)
        .exists()
    ):
        raise ActionError(f"{year}年度已有{source.get_unit_kind_display()}评定标准，不能重复复制", "year")
    data = content_of(source)
    name = source.name.replace(str(source.year), str(year)) if str(source.year) in source.name else source.name
    with transaction.atomic(durable=True):
        copy = CriteriaSet.objects.create(
            county=source.county,
            year=year,
            unit_kind=source.unit_kind,
            name=name,
            note=source.note,
            dept_review=source.dept_review,
            publicity_days=source.publicity_days,
        )
        stars, indicators = _write_content(copy, data)
        audit.record(
            actor=actor,
            action="criteria_set.copy",
            obj=copy,
            after={**audit.snapshot(copy, SET_FIELDS), "from": source.pk, "stars": stars, "indicators": indicators},
        )
    return copy


@dataclass(frozen=True)
class ImportResult:
    stars: int
    indicators: int


def do_import_criteria(actor: Any, criteria_set: CriteriaSet, upload: IO[bytes], filename: str) -> ImportResult:
    """Replace a draft's content with a workbook in the hand-written layout; on any error nothing is written."""
    _check_editable(actor, criteria_set)
    existing = dict(criteria_set.stars.values_list("name", "code"))
    departments = set(county_departments(criteria_set.county).values_list("code", flat=True))
    data = parse_criteria_workbook(upload, filename, existing, departments)
    with transaction.atomic(durable=True):
        stars, indicators = _write_content(criteria_set, data)
        criteria_set.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action="criteria_set.import",
            obj=criteria_set,
            after={"file": filename, "stars": stars, "indicators": indicators},
        )
    return ImportResult(stars, indicators)


def do_load_example(actor: Any, county: Unit, year: int = 2023, *, publish: bool = False) -> tuple[CriteriaSet, bool]:
    """Give a county the built-in example rural set for `year` to adapt; returns (set, created).

    Idempotent: a county that already has a rural set for the year keeps it untouched (it may be published)."""
    existing = (
        CriteriaSet.objects.unscoped("one set per county, year and kind")
        .filter(county=county, year=year, unit_kind=UnitKind.VILLAGE)
        .first()
    )
    if existing is not None:
        if publish and existing.status == Status.DRAFT:
            _publish(actor, existing)
        return existing, False
    example = example_2023_rural()
    _validated(example)
    if county.kind != UnitLevel.COUNTY:
        raise ActionError("示例标准只能加载到县级单位", "county")
    if not is_system(actor) and not covers(actor, Action.ADMIN, county.prefix):
        raise ActionError("只有县级管理员可以加载示例标准")
    name = example["name"].replace(str(example["year"]), str(year))
    with transaction.atomic(durable=True):
        criteria_set = CriteriaSet.objects.create(
            county=county, year=year, unit_kind=UnitKind.VILLAGE, name=name, note=EXAMPLE_NOTE
        )
        stars, indicators = _write_content(criteria_set, example)
        audit.record(
            actor=actor,
            action="criteria_set.load_example",
            obj=criteria_set,
            after={**audit.snapshot(criteria_set, SET_FIELDS), "stars": stars, "indicators": indicators},
        )
    if publish:
        _publish(actor, criteria_set)
    return criteria_set, True


def _publish(actor: Any, criteria_set: CriteriaSet) -> None:
    if not is_system(actor):
        do_publish_criteria_set(actor, criteria_set)
        return
    # The demo and the command line act as the system, which holds no membership: publish on its behalf.
    try:
        scoring.validate_spec(criteria_set.to_spec())
    except ValueError as exc:
        raise ActionError(f"不能发布：{exc}") from None
    with transaction.atomic(durable=True):
        criteria_set.status, criteria_set.published_at = Status.PUBLISHED, timezone.now()
        criteria_set.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action="criteria_set.publish",
            obj=criteria_set,
            before={"status": Status.DRAFT},
            after={"status": Status.PUBLISHED, "published_at": criteria_set.published_at},
        )


# --- stars and indicators -------------------------------------------------------------------------


def do_update_star(
    actor: Any,
    star: Star,
    *,
    name: str,
    min_points: Decimal | None,
    require_all_required: bool,
    prerequisites: list[str],
    review_department: Unit | None = None,
) -> Star:
    """Change a star's name, pass rule (minimum points, required indicators, prerequisite stars) or the county
    department that reviews it."""
    criteria_set = star.criteria_set
    _check_editable(actor, criteria_set)
    if (
        review_department is not None
        and not county_departments(criteria_set.county).filter(pk=review_department.pk).exists()
    ):
        raise ActionError(f"「{review_department.name}」不是本县的部门，不能审核本县的星", "review_department")
    if not name.strip():
        raise ActionError("请填写星的名称", "name")
    if min_points is not None and min_points < 0:
        raise ActionError("最低分不能为负数", "min_points")
    others = [s for s in criteria_set.stars.all() if s.pk != star.pk]
    if any(s.name == name.strip() for s in others):
        raise ActionError(f"已有名为「{name.strip()}」的星", "name")
    specs = [s.to_spec() for s in others]
    specs.append(
        scoring.StarSpec(star.code, name.strip(), star.order, min_points, require_all_required, tuple(prerequisites))
    )
    try:
        scoring.check_prerequisites(specs)
    except ValueError as exc:
        raise ActionError(str(exc), "prerequisites") from None
    before = audit.snapshot(star, STAR_FIELDS)
    with transaction.atomic(durable=True):
        star.name, star.min_points = name.strip(), min_points
        star.require_all_required, star.prerequisites = require_all_required, list(prerequisites)
        star.review_department = review_department
        star.save()
        b, a = audit.diff(before, audit.snapshot(star, STAR_FIELDS))
        if a:
            audit.record(actor=actor, action="star.update", obj=star, unit=criteria_set.county, before=b, after=a)
    return star


def _section_for(star: Star, name: str) -> Section:
    name = name.strip() or "综合"
    section = star.sections.filter(name=name).first()
    if section is None:
        order = (star.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        section = Section.objects.create(star=star, name=name, order=order)
    return section


def _check_indicator(criteria_set: CriteriaSet, star: Star, fields: dict[str, Any], pk: int | None) -> None:
    code = fields["code"]
    if not code:
        raise ActionError("请填写指标编号", "code")
    if not fields["name"]:
        raise ActionError("请填写指标内容", "name")
    same_code = criteria_set.indicators.filter(code=code)
    if (same_code.exclude(pk=pk) if pk is not None else same_code).exists():
        raise ActionError(f"本标准中已有编号为「{code}」的指标", "code")
    if fields["kind"] not in set(scoring.Kind):
        raise ActionError("指标类型无效", "kind")
    if fields["comparison"] not in set(scoring.Comparison):
        raise ActionError("比较方式无效", "comparison")
    if fields["evidence_count"] < 0:
        raise ActionError("佐证数量不能为负数", "evidence_count")
    spec = scoring.IndicatorSpec(
        code=code,
        star_code=star.code,
        section=fields["section"],
        name=fields["name"],
        kind=scoring.Kind(fields["kind"]),
        points=fields["points"],
        required=fields["required"],
        veto=fields["veto"],
        threshold=fields["threshold"],
        comparison=scoring.Comparison(fields["comparison"]),
        choices=tuple(scoring.Choice(str(v), str(label), Decimal(str(p))) for v, label, p in fields["choices"]),
        min_score=fields["min_score"],
        max_score=fields["max_score"],
        evidence_count=fields["evidence_count"],
    )
    try:
        scoring.validate_indicator(spec, {star.code})
    except ValueError as exc:
        message = str(exc)
        field = next((f for needle, f in _FIELD_HINTS if needle in message), None)
        raise ActionError(message, field) from None


_FIELD_HINTS = [("达标值", "threshold"), ("选项", "choices"), ("打分范围", "max_score"), ("佐证", "evidence_count")]


def _indicator_fields(raw: dict[str, Any]) -> dict[str, Any]:
    fields = dict(raw)
    fields["code"] = str(fields.get("code") or "").strip()
    fields["name"] = str(fields.get("name") or "").strip()
    fields["section"] = str(fields.get("section") or "").strip()
    fields["unit"] = str(fields.get("unit") or "").strip()
    fields["note"] = str(fields.get("note") or "").strip()
    fields["data_source"] = str(fields.get("data_source") or "").strip() or None
    fields["choices"] = [[str(v), str(label), _json_number(p)] for v, label, p in fields.get("choices") or ()]
    fields["min_score"] = fields.get("min_score") or Decimal(0)
    fields["comparison"] = fields.get("comparison") or scoring.Comparison.AT_LEAST.value
    fields["evidence_count"] = 1 if fields.get("evidence_count") is None else fields["evidence_count"]
    fields["order"] = fields.get("order") or 0
    return fields


def do_update_indicator(actor: Any, indicator: Indicator, **raw: Any) -> Indicator:
    """Edit one indicator of a draft set; the section is named and made on first use."""
    criteria_set = indicator.criteria_set
    _check_editable(actor, criteria_set)
    fields = _indicator_fields(raw)
    fields["order"] = fields["order"] or indicator.order
    _check_indicator(criteria_set, indicator.star, fields, indicator.pk)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    with transaction.atomic(durable=True):
        old_section = indicator.section
        section = _section_for(indicator.star, fields.pop("section"))
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator.section = section
        indicator.save()
        if old_section.pk != section.pk and not old_section.indicators.exists():
            old_section.delete()
        b, a = audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS))
        if a:
            audit.record(
                actor=actor, action="indicator.update", obj=indicator, unit=criteria_set.county, before=b, after=a
            )
    return indicator


def do_create_indicator(actor: Any, star: Star, **raw: Any) -> Indicator:
    """Add an indicator under a star of a draft set."""
    criteria_set = star.criteria_set
    _check_editable(actor, criteria_set)
    fields = _indicator_fields(raw)
    _check_indicator(criteria_set, star, fields, None)
    with transaction.atomic(durable=True):
        section = _section_for(star, fields.pop("section"))
        if not fields["order"]:
            last = criteria_set.indicators.order_by("-order").values_list("order", flat=True).first() or 0
            fields["order"] = last + 1
        indicator = Indicator.objects.create(criteria_set=criteria_set, star=star, section=section, **fields)
        audit.record(
            actor=actor,
            action="indicator.create",
            obj=indicator,
            unit=criteria_set.county,
            after=audit.snapshot(indicator, INDICATOR_FIELDS),
        )
    return indicator


def do_delete_indicator(actor: Any, indicator: Indicator) -> None:
    """Remove an indicator from a draft set (and its section when it was the last one)."""
    criteria_set = indicator.criteria_set
    _check_editable(actor, criteria_set)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    with transaction.atomic(durable=True):
        section = indicator.section
        audit.record(
            actor=actor,
            action="indicator.delete",
            obj=indicator,
            unit=criteria_set.county,
            before=before,
        )
        indicator.delete()
        if not section.indicators.exists():
            section.delete()


# --- star plans (创星计划) -------------------------------------------------------------------------


def _plan_text(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: str(fields.get(k) or "").strip() for k in ("strengths", "gaps", "measures", "responsible")}
    if not cleaned["measures"]:
        raise ActionError("请填写创建措施", "measures")
    if not cleaned["responsible"]:
        raise ActionError("请填写责任人", "responsible")
    if len(cleaned["responsible"]) > 100:
        raise ActionError("责任人不超过 100 个字", "responsible")
    return cleaned


def _check_deadline(deadline: Any, year: int) -> dt.date:
    if not isinstance(deadline, dt.date):
        raise ActionError("请填写完成时限", "deadline")
    if deadline.year < year:
        raise ActionError(f"完成时限不能早于 {year} 年", "deadline")
    return deadline


def do_create_plan(actor: Any, village: Unit, year: int, star_code: str, **fields: Any) -> StarPlan:
    """A village's plan for one target star of the year (one plan per star)."""
    if village.kind != UnitLevel.VILLAGE:
        raise ActionError("创星计划只能为村（社区）制定")
    if not covers(actor, Action.CHANGE, village.prefix):
        raise ActionError("您不能为该村制定创星计划")
    _check_year(year)
    criteria_set = criteria_for(village, year)
    if criteria_set is None:
        raise ActionError(f"{year}年度{UnitKind(unit_kind_of(village)).label}评定标准尚未发布，暂不能制定创星计划")
    star = criteria_set.stars.filter(code=star_code).first()
    if star is None:
        raise ActionError(f"{year}年度评定标准中没有编码为「{star_code}」的星", "star_code")
    text = _plan_text(fields)
    deadline = _check_deadline(fields.get("deadline"), year)
    if (
        StarPlan.objects.unscoped("one plan per village, year and star")
        .filter(village=village, year=year, star_code=star_code)
        .exists()
    ):
        raise ActionError(f"{village.name}{year}年已有「{star.name}」的创星方案，请直接修改", "star_code")
    with transaction.atomic(durable=True):
        plan = StarPlan.objects.create(
            village=village, year=year, star_code=star_code, deadline=deadline, created_by=actor, **text
        )
        audit.record(actor=actor, action="star_plan.create", obj=plan, after=audit.snapshot(plan, PLAN_FIELDS))
    return plan


def do_update_plan(actor: Any, plan: StarPlan, **fields: Any) -> StarPlan:
    """Revise a plan's strengths, gaps, measures, responsible person or deadline."""
    if not covers(actor, Action.CHANGE, plan.village.prefix):
        raise ActionError("您不能修改该村的创星计划")
    text = _plan_text(fields)
    deadline = _check_deadline(fields.get("deadline"), plan.year)
    before = audit.snapshot(plan, PLAN_FIELDS)
    with transaction.atomic(durable=True):
        for name, value in text.items():
            setattr(plan, name, value)
        plan.deadline = deadline
        plan.save()
        b, a = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
        if a:
            audit.record(actor=actor, action="star_plan.update", obj=plan, before=b, after=a)
    return plan
