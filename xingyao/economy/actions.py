"""Every change to the industry records: durable, audited, refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from xingyao.core import audit, workdays
from xingyao.core.actors import is_system, person, require_actor
from xingyao.core.errors import ActionError
from xingyao.core.history import record_step
from xingyao.core.roles import Action, Role
from xingyao.core.scoping import covers, roles_over
from xingyao.core.uploads import check_image
from xingyao.core.validators import clean_amount, clean_phone, clean_text
from xingyao.core.workflow import TransitionError
from xingyao.economy.models import (
    BuyerContract,
    Cooperative,
    Enterprise,
    EnterpriseRequest,
    FollowUp,
    Income,
    Industry,
    IndustryArea,
    Milestone,
    MilestonePhoto,
    Project,
    ProjectStep,
    RequestRhythm,
    RequestStep,
)
from xingyao.economy.queries import (
    access_cooperative,
    access_enterprise,
    access_industry,
    access_project,
    access_request,
)
from xingyao.economy.workflow import (
    FOLLOW_UP_DAYS,
    MAX_AMOUNT_WAN,
    MAX_HOUSEHOLDS,
    MAX_INCOME_YUAN,
    MAX_JOBS,
    MAX_MEMBERS,
    MAX_PROJECT_MU,
    MAX_RHYTHM_DAYS,
    MAX_VILLAGE_MU,
    REQUEST_WORKFLOW,
    RHYTHM_13710,
    STAGE_DATES,
    STEP_DATES,
    UNDER_WAY,
    WORKFLOW,
    Brand,
    Level,
    Move,
    RequestMove,
    RequestState,
    Satisfaction,
    Stage,
)
from xingyao.ledgers import actions as ledger_actions
from xingyao.ledgers.workflow import Source
from xingyao.places.codes import Kind as UnitKind
from xingyao.places.codes import county_code, town_code
from xingyao.places.models import Unit

MAX_PHOTOS = 9
EARLIEST = dt.date(2000, 1, 1)
PROJECT_FIELDS = ["stage", "name", "investor", "sector", "amount", "land_mu", "jobs", "leader", "registered_on"]
INCOME_FIELDS = ["operating", "assets"]
REQUEST_FIELDS = ["content", "hard", "official", "received_on", "handover_due", "answer_due", "solve_due"]


# --- shared checks ------------------------------------------------------------------------------------------------


def _may(actor: Any, action: str, unit: Any) -> bool:
    return is_system(actor) or covers(actor, action, unit.prefix)


def _unit(actor: Any, unit: Any, kind: str, label: str, field: str, action: str, what: str) -> Any:
    if unit is None or getattr(unit, "kind", None) != kind:
        raise ActionError(f"请选择{label}", field)
    if not _may(actor, action, unit):
        raise ActionError(f"{unit.name}不在您的管辖范围内，不能{what}", field)
    return unit


def _village_of(town: Any, village: Any, field: str = "village") -> Any:
    """An optional village that must lie in the town."""
    if village is None:
        return None
    if getattr(village, "kind", None) != UnitKind.VILLAGE or town_code(village.code) != town.code:
        raise ActionError(f"请选择{town.name}的村（社区）", field)
    return village


def day(value: Any, label: str, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(f"请填写{label}", field)
    if value > timezone.localdate():
        raise ActionError(f"{label}不能晚于今天", field)
    if value < EARLIEST:
        raise ActionError(f"{label}不能早于 2000 年", field)
    return value


def whole(value: Any, label: str, field: str, high: int) -> int:
    if value is None or value == "":
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= high:
        raise ActionError(f"{label}应为 0 到 {high:,} 之间的整数", field)
    return value


def year_of(value: Any, field: str = "year") -> int:
    latest = timezone.localdate().year
    if not isinstance(value, int) or isinstance(value, bool) or not 2000 <= value <= latest:
        raise ActionError(f"年度应为 2000 到 {latest} 之间的年份", field)
    return value


def mu(value: Any, label: str, field: str, maximum: Decimal, *, required: bool = False, why: str = "") -> Decimal:
    """An area in 亩; above `maximum` is refused with `why` (what the bound stands for)."""
    found = clean_amount(value, label, field, maximum=maximum * 1000, required=required)
    if found is None:
        return Decimal(0)
    if found > maximum:
        raise ActionError(f"{label}（{found} 亩）超过{why or ''}上限 {maximum:,} 亩，请核实", field)
    return found


def yuan(value: Any, label: str, field: str) -> Decimal:
    found = clean_amount(value, label, field, maximum=MAX_INCOME_YUAN * 1000, required=True)
    assert found is not None
    if found > MAX_INCOME_YUAN:
        raise ActionError(f"{label}（{found:,} 元）超出一个村一年的合理范围，请核实单位是否为元", field)
    return found


def _photos(actor: Any, milestone: Milestone, uploads: Sequence[Any]) -> list[MilestonePhoto]:
    stored = []
    for upload in uploads:
        checked = check_image(upload, getattr(upload, "name", "") or "photo")
        photo = MilestonePhoto(milestone=milestone, uploaded_by=person(actor))
        photo.fill_from(checked)
        photo.save()
        stored.append(photo)
    return stored


def _count_photos(photos: Sequence[Any]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ActionError(f"一次最多上传 {MAX_PHOTOS} 张照片", "photos")


# --- investment projects --------------------------------------------------------------------------------------------


def _duplicate(town: Any, name: str) -> ActionError:
    return ActionError(f"{town.name}已有名为「{name}」的招商项目", "name")


# A project's fields: the ledger's column header and the check (the page, the API and the import use the same).
PROJECT_CHECKS: dict[str, tuple[str, Any]] = {
    "name": ("项目名称", lambda v: clean_text(v, "项目名称", "name", limit=100)),
    "investor": ("投资方", lambda v: clean_text(v, "投资方", "investor", limit=100)),
    "sector": ("行业", lambda v: clean_text(v, "行业", "sector", limit=50)),
    "amount": (
        "计划投资（万元）",
        lambda v: clean_amount(v, "计划投资（万元）", "amount", maximum=MAX_AMOUNT_WAN, required=True),
    ),
    "land_mu": ("用地（亩）", lambda v: mu(v, "用地", "land_mu", MAX_PROJECT_MU, why="单个项目用地")),
    "jobs": ("预计带动就业（人）", lambda v: whole(v, "预计带动就业人数", "jobs", MAX_JOBS)),
    "leader": ("包联镇领导", lambda v: clean_text(v, "包联镇领导", "leader", limit=50)),
    "note": ("备注", lambda v: clean_text(v, "备注", "note", limit=500, required=False)),
}


def project_fields(**values: Any) -> dict[str, Any]:
    """A project's checked fields; the first bad one is refused."""
    return {name: check(values.get(name)) for name, (_header, check) in PROJECT_CHECKS.items()}


def do_register_project(actor: Any, *, town: Any, registered_on: Any, village: Any = None, **fields: Any) -> Project:
    """Put an investment lead on the town's pipeline (线索), with its investor, sector, amount, land, jobs and the
    town leader in charge; a project name is unique within its town."""
    require_actor(actor)
    town = _unit(actor, town, UnitKind.TOWN, "乡镇", "town", Action.MANAGE, "登记它的招商项目")
    village = _village_of(town, village)
    registered_on = day(registered_on, "登记日期", "registered_on")
    checked = project_fields(**fields)
    with transaction.atomic(durable=True):
        taken = Project.objects.unscoped("a project name is unique in its town, whoever can see the other")
        if taken.filter(town=town, name=checked["name"]).exists():
            raise _duplicate(town, checked["name"])
        try:
            with transaction.atomic():  # a simultaneous registration of the same name loses here
                project = Project.objects.create(
                    town=town,
                    village=village,
                    registered_on=registered_on,
                    follow_up_due=registered_on + dt.timedelta(days=FOLLOW_UP_DAYS),
                    recorded_by=person(actor),
                    **checked,
                )
        except IntegrityError:
            raise _duplicate(town, checked["name"]) from None
        record_step(
            ProjectStep,
            project=project,
            actor=actor,
            action="register",
            label="登记线索",
            to_state=Stage.LEAD,
            data={"on": registered_on.isoformat()},
        )
        audit.record(
            actor=actor,
            action="project.register",
            obj=project,
            unit=village or town,
            after=audit.snapshot(project, PROJECT_FIELDS),
        )
    return project


def _locked_project(actor: Any, project_id: int) -> Project:
    return access_project(
        actor,
        project_id,
        Action.CHANGE,
        Project.objects.select_for_update(of=("self",)).select_related("town", "village"),
    )


def _milestone_day(project: Project, value: Any, label: str = "节点日期") -> dt.date:
    acted_on = day(value, label, "acted_on")
    if acted_on < project.registered_on:
        raise ActionError(
            f"{label}（{acted_on:%Y-%m-%d}）不能早于项目登记日期（{project.registered_on:%Y-%m-%d}）", "acted_on"
        )
    return acted_on


def do_advance_project(
    actor: Any,
    project_id: int,
    move: str,
    *,
    acted_on: Any,
    title: str = "",
    note: str = "",
    reason: str = "",
    photos: Sequence[Any] = (),
) -> Milestone:
    """Move a project on (洽谈 → 签约 → 开工 → 投产, or 终止) on the day it happened: a milestone with its photos,
    a history step and an audit row."""
    require_actor(actor)
    try:
        step = WORKFLOW.coerce_action(Move, move)
    except TransitionError as exc:
        raise ActionError(exc.message) from None
    _count_photos(photos)
    note = clean_text(note, "说明", "note", limit=2000, required=False, lines=True)
    reason = clean_text(reason, "原因", "reason", limit=500, required=False)
    with transaction.atomic(durable=True):
        project = _locked_project(actor, project_id)
        stage = Stage(project.stage)
        roles = [Role.COUNTY_ADMIN] if is_system(actor) else roles_over(actor, project.town.prefix)
        try:
            role = WORKFLOW.check_any(stage, step, roles, reason=reason)
        except TransitionError as exc:
            raise ActionError(exc.message) from None
        target = WORKFLOW.target(stage, step)
        acted_on = _milestone_day(project, acted_on, f"{step.label}日期")
        previous = max((d for s, f in STAGE_DATES.items() if (d := getattr(project, f)) and s != target), default=None)
        if previous and acted_on < previous:
            raise ActionError(f"{step.label}日期不能早于上一阶段的日期（{previous:%Y-%m-%d}）", "acted_on")
        before = audit.snapshot(project, ["stage", STAGE_DATES[target]])
        project.stage = target
        setattr(project, STAGE_DATES[target], acted_on)
        if target not in UNDER_WAY:
            project.follow_up_due = None
        project.save(update_fields=["stage", STAGE_DATES[target], "follow_up_due"])
        milestone = Milestone.objects.create(
            project=project,
            stage=target,
            title=clean_text(title, "节点", "title", limit=100, required=False) or f"项目{step.label}",
            acted_on=acted_on,
            note=note or reason,
            recorded_by=person(actor),
        )
        stored = _photos(actor, milestone, photos)
        record_step(
            ProjectStep,
            project=project,
            actor=actor,
            action=step,
            role=role,
            from_state=stage,
            to_state=target,
            reason=reason,
            data={"on": acted_on.isoformat()},
        )
        audit.record(
            actor=actor,
            action="project.advance",
            obj=project,
            unit=project.village or project.town,
            before=before,
            after=audit.snapshot(project, ["stage", STAGE_DATES[target]]) | {"photos": len(stored)},
        )
    return milestone


def do_add_milestone(
    actor: Any, project_id: int, *, title: str, acted_on: Any, note: str = "", photos: Sequence[Any] = ()
) -> Milestone:
    """Record a milestone that is no change of stage (土地摘牌, 主体完工 …) with its photos."""
    require_actor(actor)
    _count_photos(photos)
    title = clean_text(title, "节点", "title", limit=100)
    note = clean_text(note, "说明", "note", limit=2000, required=False, lines=True)
    with transaction.atomic(durable=True):
        project = _locked_project(actor, project_id)
        milestone = Milestone.objects.create(
            project=project,
            title=title,
            acted_on=_milestone_day(project, acted_on),
            note=note,
            recorded_by=person(actor),
        )
        stored = _photos(actor, milestone, photos)
        audit.record(
            actor=actor,
            action="project.milestone",
            obj=project,
            unit=project.village or project.town,
            after={"title": title, "acted_on": milestone.acted_on.isoformat(), "photos": len(stored)},
        )
    return milestone


def do_follow_up(actor: Any, project_id: int, *, acted_on: Any, note: str, next_step: str = "") -> FollowUp:
    """The leader in charge's weekly note (“二分之一”工作法); the next one is due a week later."""
    require_actor(actor)
    note = clean_text(note, "跟进情况", "note", limit=2000, lines=True)
    next_step = clean_text(next_step, "下一步", "next_step", limit=200, required=False)
    with transaction.atomic(durable=True):
        project = _locked_project(actor, project_id)
        acted_on = _milestone_day(project, acted_on, "跟进日期")
        if project.stage not in UNDER_WAY:
            raise ActionError(f"项目已{project.stage_label}，不再需要周跟进", "note")
        follow_up = FollowUp.objects.create(
            project=project, acted_on=acted_on, note=note, next_step=next_step, recorded_by=person(actor)
        )
        due = acted_on + dt.timedelta(days=FOLLOW_UP_DAYS)
        if project.follow_up_due is None or due > project.follow_up_due:
            project.follow_up_due = due
            project.save(update_fields=["follow_up_due"])
        audit.record(
            actor=actor,
            action="project.follow_up",
            obj=project,
            unit=project.village or project.town,
            after={"acted_on": acted_on.isoformat(), "note": note, "next_step": next_step},
        )
    return follow_up


# --- specialty industries, cooperatives, collective income -------------------------------------------------------


def do_record_industry(
    actor: Any,
    *,
    village: Any,
    name: str,
    product: str,
    brand: str = "",
    brand_level: str = Brand.NONE,
    party_branch: str = "",
    binding_model: str = "",
    enterprises: str = "",
    markets: str = "",
    cooperatives: Sequence[Cooperative] = (),
) -> Industry:
    """Record a town's specialty industry (一村一品) by its main village: product, brand, the industry Party branch
    and its “双绑” model, leading enterprises, markets and the cooperatives involved."""
    require_actor(actor)
    village = _unit(actor, village, UnitKind.VILLAGE, "主产村", "village", Action.CHANGE, "登记它的特色产业")
    level = Brand.lookup(brand_level)
    if level is None:
        raise ActionError("请选择品牌情况", "brand_level")
    brand = clean_text(brand, "品牌", "brand", limit=50, required=level is not Brand.NONE)
    text = {
        "name": clean_text(name, "产业名称", "name", limit=50),
        "product": clean_text(product, "产品", "product", limit=50),
        "party_branch": clean_text(party_branch, "产业联合党支部", "party_branch", limit=100, required=False),
        "binding_model": clean_text(binding_model, "“双绑”模式", "binding_model", limit=100, required=False),
        "enterprises": clean_text(enterprises, "龙头企业", "enterprises", limit=200, required=False),
        "markets": clean_text(markets, "销售市场与收购方", "markets", limit=300, required=False),
    }
    town_id = town_code(village.code)
    for coop in cooperatives:
        if town_code(coop.village.code) != town_id:
            raise ActionError(f"合作社「{coop.name}」不在本镇", "cooperatives")
    with transaction.atomic(durable=True):
        town = Unit.objects.unscoped("the town of a village the actor covers").get(code=town_id)
        if Industry.objects.unscoped("one name per town").filter(town=town, name=text["name"]).exists():
            raise ActionError(f"{town.name}已有特色产业「{text['name']}」", "name")
        industry = Industry.objects.create(town=town, village=village, brand=brand, brand_level=level, **text)
        links = Industry.cooperatives.through
        links.objects.bulk_create(links(industry=industry, cooperative=c) for c in cooperatives)
        after = audit.snapshot(industry, ["name", "product", "brand", "brand_level"])
        audit.record(
            actor=actor,
            action="industry.record",
            obj=industry,
            unit=village,
            after=after | {"cooperatives": [c.name for c in cooperatives]},
        )
    return industry


def area_fields(*, area_mu: Any, households: Any, jobs: Any) -> dict[str, Any]:
    return {
        "area_mu": mu(area_mu, "面积", "area_mu", MAX_VILLAGE_MU, required=True, why="一个村的"),
        "households": whole(households, "种植户数", "households", MAX_HOUSEHOLDS),
        "jobs": whole(jobs, "带动就业人数", "jobs", MAX_JOBS),
    }


def do_record_industry_area(
    actor: Any, industry_id: int, *, village: Any, year: Any, area_mu: Any, households: Any = 0, jobs: Any = 0
) -> IndustryArea:
    """A specialty industry's area, households and jobs in one village and year (a second entry corrects it)."""
    require_actor(actor)
    village = _unit(actor, village, UnitKind.VILLAGE, "村（社区）", "village", Action.CHANGE, "登记它的产业面积")
    year = year_of(year)
    checked = area_fields(area_mu=area_mu, households=households, jobs=jobs)
    with transaction.atomic(durable=True):
        industry = access_industry(actor, industry_id, Action.VIEW, Industry.objects.select_related("town"))
        if town_code(village.code) != industry.town.code:
            raise ActionError(f"{village.name}不在{industry.town.name}，不能登记{industry.name}的面积", "village")
        row, created = (
            IndustryArea.objects.unscoped("the village and the industry were checked above")
            .select_for_update()
            .get_or_create(industry=industry, village=village, year=year, defaults=checked)
        )
        before = None if created else audit.snapshot(row, list(checked))
        if not created:
            for name, value in checked.items():
                setattr(row, name, value)
            row.save(update_fields=list(checked))
        audit.record(
            actor=actor,
            action="industry.area",
            obj=industry,
            unit=village,
            before=before,
            after={"year": year} | audit.snapshot(row, list(checked)),
        )
    return row


def do_record_cooperative(
    actor: Any, *, village: Any, name: str, crops: str, members: Any = 0, area_mu: Any = 0, leader: str = ""
) -> Cooperative:
    """Record a farmers' cooperative seated in a village."""
    require_actor(actor)
    village = _unit(actor, village, UnitKind.VILLAGE, "所在村", "village", Action.CHANGE, "登记它的合作社")
    fields = {
        "name": clean_text(name, "合作社名称", "name", limit=100),
        "crops": clean_text(crops, "主营作物", "crops", limit=100),
        "leader": clean_text(leader, "理事长", "leader", limit=50, required=False),
        "members": whole(members, "成员户数", "members", MAX_MEMBERS),
        "area_mu": mu(area_mu, "经营面积", "area_mu", MAX_VILLAGE_MU * 5, why="合作社经营面积"),
    }
    with transaction.atomic(durable=True):
        if Cooperative.objects.unscoped("one name per village").filter(village=village, name=fields["name"]).exists():
            raise ActionError(f"{village.name}已有合作社「{fields['name']}」", "name")
        coop = Cooperative.objects.create(village=village, **fields)
        audit.record(
            actor=actor, action="cooperative.record", obj=coop, unit=village, after=audit.snapshot(coop, list(fields))
        )
    return coop


def do_record_contract(
    actor: Any,
    cooperative_id: int,
    *,
    buyer: str,
    product: str,
    year: Any,
    signed_on: Any,
    area_mu: Any = 0,
    tons: Any = 0,
    note: str = "",
) -> BuyerContract:
    """Record a cooperative's supply contract with a buyer (订单农业)."""
    require_actor(actor)
    fields = {
        "buyer": clean_text(buyer, "收购方", "buyer", limit=100),
        "product": clean_text(product, "产品", "product", limit=50),
        "year": year_of(year),
        "signed_on": day(signed_on, "签订日期", "signed_on"),
        "area_mu": mu(area_mu, "订单面积", "area_mu", MAX_VILLAGE_MU * 5, why="合作社订单面积"),
        "tons": clean_amount(tons, "订单数量（吨）", "tons", places=1, maximum=Decimal(1000000)) or Decimal(0),
        "note": clean_text(note, "备注", "note", limit=200, required=False),
    }
    with transaction.atomic(durable=True):
        coop = access_cooperative(actor, cooperative_id, Action.CHANGE, Cooperative.objects.select_related("village"))
        contract = BuyerContract.objects.create(cooperative=coop, **fields)
        audit.record(
            actor=actor,
            action="cooperative.contract",
            obj=coop,
            unit=coop.village,
            after=audit.snapshot(contract, list(fields)),
        )
    return contract


def do_record_income(
    actor: Any, *, village: Any, year: Any, operating: Any, assets: Any, source: str = "", note: str = ""
) -> Income:
    """A village's collective income for a year from the 经管站 ledger (元); a second entry corrects it."""
    require_actor(actor)
    village = _unit(actor, village, UnitKind.VILLAGE, "村（社区）", "village", Action.CHANGE, "登记它的集体经济收入")
    fields = {
        "operating": yuan(operating, "经营性收入", "operating"),
        "assets": yuan(assets, "资产收益", "assets"),
        "source": clean_text(source, "台账来源", "source", limit=100, required=False) or "乡镇经管站台账",
        "note": clean_text(note, "备注", "note", limit=200, required=False),
    }
    year = year_of(year)
    with transaction.atomic(durable=True):
        income, created = (
            Income.objects.unscoped("the village was checked above")
            .select_for_update()
            .get_or_create(village=village, year=year, defaults=fields | {"recorded_by": person(actor)})
        )
        before = None if created else audit.snapshot(income, INCOME_FIELDS)
        if not created:
            for name, value in fields.items():
                setattr(income, name, value)
            income.recorded_by = person(actor)
            income.save(update_fields=[*fields, "recorded_by"])
        audit.record(
            actor=actor,
            action="income.record",
            obj=income,
            unit=village,
            before=before,
            after={"year": year} | audit.snapshot(income, INCOME_FIELDS),
        )
    income.refresh_from_db(fields=["total"])
    return income


# --- enterprise requests (万人助万企) on the problem ledger ----------------------------------------------------------


def rhythm_for(village: Unit) -> dict[str, int]:
    """The county's “13710” in working days, or the default where the county set none."""
    return rhythm_for_county_code(county_code(village.code))


def rhythm_for_county(county: Unit) -> dict[str, int]:
    return rhythm_for_county_code(county.code)


def rhythm_for_county_code(code: str) -> dict[str, int]:
    found = (
        RequestRhythm.objects.unscoped("a county's rhythm applies to every village in it")
        .filter(county__code=code)
        .values(*RHYTHM_13710)
        .first()
    )
    return found or dict(RHYTHM_13710)


def _due(village: Unit, start: dt.date, days: int) -> dt.date:
    return workdays.deadline_for(village, dt.datetime.combine(start, dt.time()), days).date()


def do_set_rhythm(actor: Any, *, county: Any, **days: Any) -> RequestRhythm:
    """A county sets its own deadlines for enterprise requests (working days, in order)."""
    require_actor(actor)
    county = _unit(actor, county, UnitKind.COUNTY, "县", "county", Action.ADMIN, "设定它的企业诉求办理时限")
    checked = {}
    for name, label in (("handover_days", "交办"), ("answer_days", "首次答复"), ("solve_days", "办结"),
                        ("hard_days", "疑难诉求办结")):  # fmt: skip
        value = days.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_RHYTHM_DAYS:
            raise ActionError(f"{label}时限应为 1 到 {MAX_RHYTHM_DAYS} 个工作日", name)
        checked[name] = value
    ordered = [checked[n] for n in RHYTHM_13710]
    if ordered != sorted(ordered):
        raise ActionError("时限应依次不短于前一步：交办 ≤ 首次答复 ≤ 办结 ≤ 疑难诉求办结", "answer_days")
    with transaction.atomic(durable=True):
        rhythm, created = (
            RequestRhythm.objects.unscoped("one rhythm per county").select_for_update().get_or_create(county=county)
        )
        before = None if created else audit.snapshot(rhythm, list(checked))
        for name, value in checked.items():
            setattr(rhythm, name, value)
        rhythm.save()
        audit.record(actor=actor, action="request.rhythm", obj=rhythm, unit=county, before=before,
                     after=audit.snapshot(rhythm, list(checked)))  # fmt: skip
    return rhythm


def do_register_enterprise(
    actor: Any, *, village: Any, name: str, contact: str, official: str, phone: str = "", sector: str = ""
) -> Enterprise:
    """Put an enterprise on the “万人助万企” list with the official paired with it (包联干部)."""
    require_actor(actor)
    village = _unit(actor, village, UnitKind.VILLAGE, "所在村（社区）", "village", Action.MANAGE, "登记它的包联企业")
    fields = {
        "name": clean_text(name, "企业名称", "name", limit=100),
        "sector": clean_text(sector, "行业", "sector", limit=50, required=False),
        "contact": clean_text(contact, "联系人", "contact", limit=30),
        "phone": clean_phone(phone, "联系电话", "phone"),
        "official": clean_text(official, "包联干部", "official", limit=50),
    }
    with transaction.atomic(durable=True):
        if Enterprise.objects.unscoped("one name per village").filter(village=village, name=fields["name"]).exists():
            raise ActionError(f"{village.name}已有企业「{fields['name']}」", "name")
        enterprise = Enterprise.objects.create(village=village, **fields)
        audit.record(actor=actor, action="enterprise.register", obj=enterprise, unit=village,
                     after=audit.snapshot(enterprise, ["name", "sector", "official"]))  # fmt: skip
    return enterprise


def do_register_request(
    actor: Any, *, enterprise_id: int, content: str, received_on: Any, hard: bool = False, official: str = ""
) -> EnterpriseRequest:
    """Take an enterprise's request: its “13710” deadlines in working days by the village's calendar, and an item
    on the problem ledger (source 企业诉求) due on the solving deadline, linked back to the request."""
    require_actor(actor)
    content = clean_text(content, "诉求内容", "content", limit=2000, lines=True)
    received_on = day(received_on, "受理日期", "received_on")
    with transaction.atomic(durable=True):
        enterprise = access_enterprise(
            actor, enterprise_id, Action.MANAGE, Enterprise.objects.select_related("village")
        )
        village = enterprise.village
        official = clean_text(official, "包联干部", "official", limit=50, required=False) or enterprise.official
        rhythm = rhythm_for(village)
        solve_days = rhythm["hard_days"] if hard else rhythm["solve_days"]
        request = EnterpriseRequest.objects.create(
            enterprise=enterprise,
            content=content,
            hard=bool(hard),
            official=official,
            received_on=received_on,
            handover_due=_due(village, received_on, rhythm["handover_days"]),
            answer_due=_due(village, received_on, rhythm["answer_days"]),
            solve_due=_due(village, received_on, solve_days),
            recorded_by=person(actor),
        )
        request.item = ledger_actions.open_item(
            actor,
            village=village,
            source=Source.ENTERPRISE,
            problem=content[:200],
            target="诉求办结、企业满意",
            measure=f"包联干部{official}对接，按“13710”时限办理",
            steps="交办、首次答复、办结、企业评价",
            responsible=official,
            start_on=received_on,
            days=solve_days,
            origin=request,
            origin_label=f"万人助万企：{enterprise.name}"[:100],
        )
        request.save(update_fields=["item"])
        record_step(RequestStep, request=request, actor=actor, action="receive", label="受理",
                    to_state=RequestState.RECEIVED, data={"solve_due": request.solve_due.isoformat()})  # fmt: skip
        audit.record(actor=actor, action="request.register", obj=request, unit=village,
                     after=audit.snapshot(request, REQUEST_FIELDS))  # fmt: skip
    return request


def do_step_request(
    actor: Any,
    request_id: int,
    move: str,
    *,
    acted_on: Any,
    note: str = "",
    satisfaction: str = "",
) -> EnterpriseRequest:
    """Hand a request over, give the first answer, or solve it with the enterprise's satisfaction, on the day it
    happened."""
    require_actor(actor)
    try:
        step = REQUEST_WORKFLOW.coerce_action(RequestMove, move)
    except TransitionError as exc:
        raise ActionError(exc.message) from None
    note = clean_text(note, "办理情况", "note", limit=2000, required=step is RequestMove.SOLVE, lines=True)
    rated = Satisfaction.lookup(satisfaction) if step is RequestMove.SOLVE else None
    if step is RequestMove.SOLVE and rated is None:
        raise ActionError("办结时请填写企业的评价（满意、基本满意或不满意）", "satisfaction")
    with transaction.atomic(durable=True):
        request = _locked_request(actor, request_id)
        state = RequestState(request.state)
        roles = [Role.COUNTY_ADMIN] if is_system(actor) else roles_over(actor, request.enterprise.village.prefix)
        try:
            role = REQUEST_WORKFLOW.check_any(state, step, roles)
        except TransitionError as exc:
            raise ActionError(exc.message) from None
        acted_on = day(acted_on, f"{step.label}日期", "acted_on")
        if acted_on < request.received_on:
            raise ActionError(f"{step.label}日期不能早于受理日期（{request.received_on:%Y-%m-%d}）", "acted_on")
        target = REQUEST_WORKFLOW.target(state, step)
        fields = ["state", STEP_DATES[step]]
        before = audit.snapshot(request, fields)
        request.state = target
        setattr(request, STEP_DATES[step], acted_on)
        if rated is not None:
            request.satisfaction, request.outcome = rated, note
            fields += ["satisfaction", "outcome"]
        request.save(update_fields=fields)
        record_step(RequestStep, request=request, actor=actor, action=step, role=role, from_state=state,
                    to_state=target, reason=note, data={"on": acted_on.isoformat()})  # fmt: skip
        audit.record(actor=actor, action="request.step", obj=request, unit=request.enterprise.village,
                     before=before, after=audit.snapshot(request, fields))  # fmt: skip
        if request.item_id is not None:  # the ledger item carries the same work: its progress, then acceptance
            done = f"{step.label}：{note}" if note else step.label
            if rated is not None:
                done = f"{done}（企业评价：{rated.label}）"
            ledger_actions.work_item(actor, request.item_id, acted_on=acted_on, note=done,
                                     submit=step is RequestMove.SOLVE)  # fmt: skip
    return request


def do_escalate_request(actor: Any, request_id: int, *, level: str, reason: str) -> EnterpriseRequest:
    """Take a request up to the town or the county (提级办理) with the reason."""
    require_actor(actor)
    found = Level.lookup(level)
    if found is None or found is Level.VILLAGE:
        raise ActionError("请选择提级到乡镇或县级", "level")
    reason = clean_text(reason, "提级原因", "reason", limit=500)
    with transaction.atomic(durable=True):
        request = _locked_request(actor, request_id)
        if request.state == RequestState.SOLVED:
            raise ActionError("这项诉求已办结，不能再提级", "level")
        order = list(Level)
        if order.index(found) <= order.index(Level(request.level)):
            raise ActionError(f"这项诉求已由{request.level_label}办理，只能向上提级", "level")
        before = audit.snapshot(request, ["level"])
        request.level = found
        request.save(update_fields=["level"])
        record_step(RequestStep, request=request, actor=actor, action="escalate", label=f"提级到{found.label}",
                    from_state=request.state, to_state=request.state, reason=reason)  # fmt: skip
        audit.record(actor=actor, action="request.escalate", obj=request, unit=request.enterprise.village,
                     before=before, after={"level": found.value, "reason": reason})  # fmt: skip
    return request


def _locked_request(actor: Any, request_id: int) -> EnterpriseRequest:
    return access_request(
        actor,
        request_id,
        Action.MANAGE,
        EnterpriseRequest.objects.select_for_update(of=("self",)).select_related("enterprise__village"),
    )
