"""The demo's yearly assessments: 溧河铺镇's villages rated for 2022 and assessed for 2023 in varied states.

2022 is settled (awarded): 毛桥村, that year's weak branch, holds no star. In 2023 several villages are awarded with
three to five stars (孙楼村 going from 四星 to 五星), one is under 公示 with an open objection, one was sent back,
a few wait for the town or the county, and 毛桥村 has filled its self-assessment with evidence for its first stars,
ready for its clerk to submit. One awarded star carries a warning, published on the public page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image

from xingyao.accounts.models import User
from xingyao.assessments import publication
from xingyao.assessments.models import (
    STEP_LABELS,
    Assessment,
    Evidence,
    IndicatorValue,
    Objection,
    StarAward,
    StarChange,
    StarChangeEvidence,
    StepLog,
)
from xingyao.assessments.scores import rescore, to_json
from xingyao.assessments.workflow import StarStatus, State
from xingyao.core import audit, metrics
from xingyao.core.actors import SYSTEM
from xingyao.core.uploads import check_upload
from xingyao.demo.tree import COUNTY, LIHEPU, LIHEPU_VILLAGES, village_code
from xingyao.places.models import Unit
from xingyao.stars import scoring
from xingyao.stars.actions import do_load_example
from xingyao.stars.models import CriteriaSet, Indicator
from xingyao.stars.queries import derived_values

DEMO = "the demo loader builds the whole demo township"  # the reason its reads are unscoped

ALL = ("branch", "industry", "ecology", "safety", "civility")
# (2022 stars, 2023 stars, 2023 state) for the villages the briefing names and a few fictional ones with a role.
PLAN: dict[str, tuple[tuple[str, ...], tuple[str, ...], State]] = {
    "毛桥村": ((), ("branch", "ecology", "civility"), State.DRAFT),
    "庄营村": (("branch", "safety", "civility"), ("branch", "ecology", "safety", "civility"), State.AWARDED),
    "杨岗村": (("branch", "industry", "civility"), ("branch", "industry", "ecology", "civility"), State.AWARDED),
    "孙楼村": (("branch", "industry", "safety", "civility"), ALL, State.AWARDED),
    "周营村": (("branch", "industry", "safety"), ("branch", "industry", "safety"), State.AWARDED),
    "冯营村": (("branch", "industry"), ("branch", "industry", "safety"), State.AWARDED),
    "屯头村": (("branch", "industry", "ecology"), ("branch", "industry", "ecology"), State.AWARDED),
    "东湖村": (("branch", "safety"), ("branch", "safety", "civility"), State.PUBLICIZED),
    "西岭村": (("branch", "civility"), ("branch", "civility"), State.DRAFT),
    "南塘村": (("branch", "safety"), ("branch", "ecology", "safety"), State.SUBMITTED),
    "北坡村": (("branch", "ecology"), ("branch", "ecology", "safety"), State.SUBMITTED),
    "柳林村": (("branch", "safety"), ("branch", "industry", "safety"), State.TOWN_REVIEWED),
    "石桥村": (("branch", "civility"), ("branch", "safety", "civility"), State.COUNTY_APPROVED),
    "新安村": (("branch", "ecology"), ("branch", "ecology", "safety"), State.PUBLICIZED),
}
THREE = [("branch", "safety", "civility"), ("branch", "ecology", "safety"), ("branch", "industry", "safety")]
TWO = [("branch", "safety"), ("branch", "civility"), ("branch", "ecology")]
SENT_BACK = "生态宜居星的村庄清洁照片拍摄于2022年，请补充本年度照片后重新提交"
CORRECTION = "系统仅统计了登记在册的数据，按村台账（附件）更正"
OBJECTION = "东湖村文化广场至今尚未完工，公示材料中的照片是效果图，请核实。"
WARNING = "10月以来村内垃圾清运不及时，群众多次反映，限期一个月整改"
# The 2023 cycle as it ran for the settled villages.
DAYS = {
    "create": dt.datetime(2023, 11, 1, 9),
    "submit": dt.datetime(2023, 12, 5, 10),
    "town_approve": dt.datetime(2023, 12, 12, 15),
    "county_approve": dt.datetime(2023, 12, 26, 11),
    "publish": dt.datetime(2024, 1, 8, 9),
    "award": dt.datetime(2024, 1, 16, 10),
}
# Where the villages still under way stand: the 2023 cycle as of this day (the seed's year keeps its own dates, so
# nothing of 2023 waits or runs late against the day the demo is loaded; the current year does that, demo/current.py).
STANDING = dt.datetime(2024, 1, 10, 10)
WARNED = dt.datetime(2024, 11, 5, 10)  # the county warns 屯头村's 生态宜居星 after the autumn's complaints


def _stars(index: int, name: str) -> tuple[tuple[str, ...], tuple[str, ...], State]:
    if name in PLAN:
        return PLAN[name]
    # Fictional villages: about three in five at 三星, the rest at 二星, as in the township plans; a few rise a star.
    now = THREE[index % 3] if index % 5 in (0, 2, 3) else TWO[index % 3]
    before = now if index % 4 else now[:-1]
    return before, now, State.AWARDED


def _meeting(spec: scoring.IndicatorSpec) -> Any:
    match spec.kind:
        case scoring.Kind.BOOL:
            return True
        case scoring.Kind.NUMBER:
            assert spec.threshold is not None
            bump = Decimal(1) if spec.unit == "%" else spec.threshold * Decimal("0.2")
            value = spec.threshold + bump if spec.comparison is scoring.Comparison.AT_LEAST else spec.threshold
            return to_json(min(value, Decimal(100)) if spec.unit == "%" else value.quantize(Decimal(1)))
        case scoring.Kind.CHOICE:
            return max(spec.choices, key=lambda c: c.points).value
        case scoring.Kind.SCORE:
            return to_json((spec.max_score or spec.points) - 2)
    return None


def _failing(spec: scoring.IndicatorSpec) -> Any:
    match spec.kind:
        case scoring.Kind.BOOL:
            return False
        case scoring.Kind.NUMBER:
            assert spec.threshold is not None
            return to_json((spec.threshold * Decimal("0.6")).quantize(Decimal(1)))
        case scoring.Kind.CHOICE:
            return min(spec.choices, key=lambda c: c.points).value
        case scoring.Kind.SCORE:
            return to_json(spec.min_score)
    return None


def _values_for(
    specs: list[scoring.IndicatorSpec], earned: Iterable[str], records: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    """Values that pass exactly the `earned` stars: each other star misses one required indicator, preferably one
    the records already show as missed, else one no records cover. Returns the values and the codes chosen to fail."""
    earned = set(earned)
    failing: set[str] = set()
    for star in {s.star_code for s in specs} - earned:
        required = [s for s in specs if s.star_code == star and (s.required or s.veto)]
        if star == "branch":
            required = [s for s in required if s.veto]  # 毛桥村's weak branch: rectification not closed
        shown = [s for s in required if records.get(s.code) is not None and not _met(s, records[s.code])]
        unbound = [s for s in required if s.data_source is None]
        chosen = (shown or unbound or required)[:1]
        failing.update(s.code for s in chosen)
    values = {
        s.code: _failing(s) if s.code in failing else _meeting(s) for s in specs if s.kind is not scoring.Kind.EVIDENCE
    }
    return values, failing


def _follow_records(specs: list[scoring.IndicatorSpec], earned: Iterable[str], records: dict[str, Any]) -> set[str]:
    """A star whose required indicators all come from records (平安法治星's “三零” and rates) is what they say.

    Applied to the fictional villages; the named ones keep the briefing's results and explain any correction."""
    result = set(earned)
    for star in {s.star_code for s in specs}:
        required = [s for s in specs if s.star_code == star and (s.required or s.veto)]
        if not required or any(s.data_source is None or records.get(s.code) is None for s in required):
            continue
        if all(_met(s, records[s.code]) for s in required) and "branch" in result:
            result.add(star)
        else:
            result.discard(star)
    return result


def _typed(spec: scoring.IndicatorSpec, raw: Any) -> Any:
    try:
        return to_json(scoring.validate_value(spec, raw))
    except ValueError:
        return None


def _met(spec: scoring.IndicatorSpec, value: Any) -> bool:
    return scoring.evaluate(spec, scoring.validate_value(spec, value)).met


def _own_value(spec: scoring.IndicatorSpec, planned: Any, records: Any, must_fail: bool) -> tuple[Any, str]:
    """The village confirms what the records say unless they contradict its result; then it corrects them."""
    if records is None or planned is None:
        return planned, ""
    if _met(spec, records) != must_fail or not (spec.required or spec.veto):
        return records, ""
    return planned, CORRECTION


def _photo(seed: int, when: dt.datetime, label: str) -> Any:
    """A small generated photo with an EXIF time and a position inside 溧河铺镇."""
    hue = (seed * 47) % 255
    image = Image.new("RGB", (96 + seed % 17, 64 + seed % 13), (hue, 140, 255 - hue))
    exif = Image.Exif()
    exif[0x0132] = when.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x8825] = {1: "N", 2: (32.0, 31.0, float(seed % 60)), 3: "E", 4: (112.0, 21.0, float(seed * 7 % 60))}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = f"{label}.jpg"
    return out


def _evidence(assessment: Assessment, indicator: Indicator, upload: Any, uploader: User | None, caption: str) -> None:
    evidence = Evidence(assessment=assessment, indicator=indicator, caption=caption, uploaded_by=uploader)
    evidence.fill_from(check_upload(upload))
    evidence.save()


ROLES = {
    "submit": "village_clerk",
    "send_back": "town_reviewer",
    "town_approve": "town_reviewer",
    "county_approve": "county_reviewer",
    "publish": "county_admin",
    "award": "county_admin",
}


def _steps(assessment: Assessment, plan: list[tuple[str, str, State, User | None, str, dt.datetime]]) -> None:
    clerk = f"{assessment.village.name}两委"
    StepLog.objects.bulk_create(
        StepLog(
            assessment=assessment,
            action=action,
            from_state=before,
            to_state=after.value,
            actor=actor,
            actor_name=(actor.full_name or actor.username) if actor else (clerk if action == "submit" else "系统"),
            role=ROLES.get(action, ""),
            action_label=STEP_LABELS.get(action, action),
            reason=reason,
            at=timezone.make_aware(at),
        )
        for action, before, after, actor, reason, at in plan
    )


def _history(
    state: State, year: int, clerk: User | None, users: dict[str, User], *, recent: dt.datetime
) -> list[tuple]:
    """The steps that lead to `state`: the settled ones on the year's calendar, the open ones in the last days."""
    town, county, admin = users["zhen_shenhe"], users["xian_shenhe"], users["xian"]
    order = [
        ("submit", State.DRAFT, State.SUBMITTED, clerk),
        ("town_approve", State.SUBMITTED, State.TOWN_REVIEWED, town),
        ("county_approve", State.TOWN_REVIEWED, State.COUNTY_APPROVED, county),
        ("publish", State.COUNTY_APPROVED, State.PUBLICIZED, admin),
        ("award", State.PUBLICIZED, State.AWARDED, admin),
    ]
    shift = year - 2023

    def on_calendar(action: str) -> dt.datetime:
        day = DAYS[action]
        return day.replace(year=day.year + shift)

    created = on_calendar("create") if state is State.AWARDED else recent - dt.timedelta(days=2 * len(order) + 5)
    steps: list[tuple] = [("create", "", State.DRAFT, None, "", created)]
    targets = [s.value for s in State]
    for n, (action, before, after, actor) in enumerate(order):
        if targets.index(after.value) > targets.index(state.value):
            break
        at = on_calendar(action) if state is State.AWARDED else recent - dt.timedelta(days=2 * (len(order) - n))
        steps.append((action, before.value, after, actor, "", at))
    return steps


def load_assessments() -> str:
    """2022 results and 2023 assessments for 溧河铺镇, created only where missing."""
    county = Unit.objects.unscoped(DEMO).get(code=COUNTY[0])
    # Each do_* is its own durable transaction: the criteria sets first, then the rows in one transaction.
    sets: dict[int, CriteriaSet] = {
        year: do_load_example(SYSTEM, county, year, publish=True)[0] for year in (2023, 2022)
    }
    return _load_assessments(sets)


@transaction.atomic
def _load_assessments(sets: dict[int, CriteriaSet]) -> str:
    codes = [village_code(LIHEPU[0], i) for i in range(len(LIHEPU_VILLAGES))]
    villages = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(code__in=codes)}
    wanted = ["maoqiao", "zhuangying", "zhen_shenhe", "xian_shenhe", "xian"]
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    clerks = {"毛桥村": users.get("maoqiao"), "庄营村": users.get("zhuangying")}
    existing = set(
        Assessment.objects.unscoped(DEMO).filter(village__in=villages.values()).values_list("village__code", "year")
    )
    today, now = STANDING.date(), STANDING
    made: list[Assessment] = []
    awarded: list[Assessment] = []
    for year in (2022, 2023):
        criteria_set = sets[year]
        indicators = list(Indicator.objects.filter(criteria_set=criteria_set).select_related("star", "section"))
        specs = [i.to_spec() for i in indicators]
        missing = [(i, n, code) for i, (n, code) in enumerate(zip(LIHEPU_VILLAGES, codes, strict=True))
                   if code in villages and (code, year) not in existing]  # fmt: skip
        reader = metrics.unscoped("the demo's assessments take their villages' values from all records")
        derived = derived_values(criteria_set, [villages[c] for _, _, c in missing], year, reader) if missing else {}
        for index, name, code in missing:
            village = villages[code]
            before, now_stars, state = _stars(index, name)
            if year == 2022:
                earned, state = before, State.AWARDED
            else:
                earned = now_stars
            publicity = (dt.date(year + 1, 1, 8), 7) if state is State.AWARDED else (None, None)
            if state is State.PUBLICIZED:
                publicity = (today - dt.timedelta(days=2), 7)
            a = Assessment.objects.create(
                village=village,
                year=year,
                criteria_set=criteria_set,
                state=state.value,
                publicity_start=publicity[0],
                publicity_days=publicity[1],
                state_since=timezone.make_aware(DAYS["award"].replace(year=year + 1))
                if state is State.AWARDED
                else timezone.make_aware(now - dt.timedelta(days=index % 6 + 1)),
                due_date=None if state is State.AWARDED else today + dt.timedelta(days=index % 7 - 2),
            )
            records = {spec.code: _typed(spec, derived.get((village.pk, spec.code))) for spec in specs}
            stars = _follow_records(specs, earned, records) if name not in PLAN else set(earned)
            values, failing = _values_for(specs, stars, records)
            rows = []
            for indicator, spec in zip(indicators, specs, strict=True):
                derived_value = records[spec.code]
                own, note = _own_value(spec, values.get(spec.code), derived_value, spec.code in failing)
                if name == "北坡村" and year == 2023 and spec.code == "ecology.1.1":
                    note = "含与柳林村共建的连接路 600 米"
                rows.append(
                    IndicatorValue(
                        assessment=a,
                        indicator=indicator,
                        self_value=own,
                        derived_value=derived_value,
                        derived_at=timezone.now() if derived_value is not None else None,
                        correction_note=note,
                    )
                )
            IndicatorValue.objects.bulk_create(rows)
            steps = _history(state, year, clerks.get(name), users, recent=now)
            if name == "西岭村" and year == 2023:
                t = now - dt.timedelta(days=3)
                steps += [
                    ("submit", "draft", State.SUBMITTED, None, "", t - dt.timedelta(days=4)),
                    ("send_back", "submitted", State.DRAFT, users["zhen_shenhe"], SENT_BACK, t),
                ]
            _steps(a, steps)
            audit.record(actor=SYSTEM, action="assessment.demo", obj=a, after=audit.snapshot(a, ["year", "state"]))
            made.append(a)
            if state is State.AWARDED:
                awarded.append(a)
    if not made:
        return "已存在，未改动"
    rescore(Assessment.objects.unscoped(DEMO).filter(pk__in=[a.pk for a in made]), 2023)
    _award(awarded, sets)
    _publish(made)
    _maoqiao_evidence(villages, users)
    _extras(villages, users)
    by_state: dict[str, int] = {}
    for a in Assessment.objects.unscoped(DEMO).filter(pk__in=[a.pk for a in made], year=2023):
        by_state[a.state_label] = by_state.get(a.state_label, 0) + 1
    summary = "，".join(f"{k} {v}" for k, v in by_state.items())
    return f"新增评定 {len(made)} 份（2022 年度已授星；2023 年度：{summary}）"


def _award(awarded: list[Assessment], sets: dict[int, CriteriaSet]) -> None:
    names = {(s.criteria_set_id, s.code): (s.name, s.order) for cs in sets.values() for s in cs.stars.all()}
    for a in Assessment.objects.unscoped(DEMO).filter(pk__in=[x.pk for x in awarded]):
        at = timezone.make_aware(DAYS["award"].replace(year=a.year + 1))
        for code in a.passed_stars:
            name, order = names[(a.criteria_set_id, code)]
            award = StarAward.objects.create(
                village_id=a.village_id, year=a.year, star_code=code, star_name=name, order=order,
                awarded_at=at, assessment=a,
            )  # fmt: skip
            StarChange.objects.create(
                award=award,
                action="award",
                action_label="授星",
                to_state="active",
                reason="公示期满无异议，授星",
                actor_name="系统",
                at=at,
            )


def _publish(made: list[Assessment]) -> None:
    """The public notices of the results made public, as the county published them: each 公示 on the day it opened,
    each award on the award day (publication freezes them and puts their digests in the audit chain)."""
    shown = (
        Assessment.objects.unscoped(DEMO)
        .filter(pk__in=[a.pk for a in made], state__in=[State.PUBLICIZED, State.AWARDED])
        .select_related("village__parent", "criteria_set")
        .order_by("year", "village__code")
    )
    for a in shown:
        assert a.publicity_start is not None
        opened = timezone.make_aware(dt.datetime.combine(a.publicity_start, dt.time(8)))
        publication.publish_publicity(SYSTEM, a, at=min(opened, timezone.now()))
        if a.state == State.AWARDED:
            publication.publish_award(SYSTEM, a, at=timezone.make_aware(DAYS["award"].replace(year=a.year + 1)))


def _maoqiao_evidence(villages: dict[str, Unit], users: dict[str, User]) -> None:
    """Evidence for every indicator 毛桥村 claims, so its clerk can submit: the rebuilt centre, plaza and ring road."""
    a = Assessment.objects.unscoped(DEMO).get(village=villages[village_code(LIHEPU[0], 0)], year=2023)
    captions = {
        "ecology": "1500米环村路（3个月建成）",
        "civility": "430平方米党群服务中心与1280平方米文化广场",
        "branch": "整顿销号验收与主题党日",
    }
    seed = 1
    for v in a.values.unscoped(DEMO).select_related("indicator__star", "indicator__section"):
        spec = v.indicator.to_spec()
        if v.self_value is None or not scoring.evaluate(spec, scoring.validate_value(spec, v.self_value)).met:
            continue
        if v.derived_value is not None and v.self_value == v.derived_value:
            continue
        for _ in range(spec.evidence_count):
            when = dt.datetime(2023, 5 + seed % 6, 1 + seed % 27, 9 + seed % 8, 10)
            photo = _photo(seed, when, f"毛桥村-{spec.code}")
            _evidence(a, v.indicator, photo, users["maoqiao"], captions.get(spec.star_code, ""))
            seed += 1


def _extras(villages: dict[str, Unit], users: dict[str, User]) -> None:
    """The objection under 公示, a photo reused across villages, and a warned star on the public page."""
    by_name = {u.name: u for u in villages.values()}
    east = Assessment.objects.unscoped(DEMO).get(village=by_name["东湖村"], year=2023)
    Objection.objects.create(assessment=east, content=OBJECTION, contact="东湖村村民（电话已登记）")
    StepLog.objects.create(
        assessment=east, action="objection_opened", action_label=STEP_LABELS["objection_opened"],
        from_state="publicized", to_state="publicized", actor_name="系统", reason="公示期间收到异议",
        at=timezone.make_aware(STANDING - dt.timedelta(days=1)),
    )  # fmt: skip
    zhuang = Assessment.objects.unscoped(DEMO).get(village=by_name["庄营村"], year=2023)
    north = Assessment.objects.unscoped(DEMO).get(village=by_name["北坡村"], year=2023)
    road = Indicator.objects.get(criteria_set=zhuang.criteria_set, code="ecology.1.1")
    shared = _photo(99, dt.datetime(2023, 8, 3, 10), "道路").getvalue()
    for a, name in ((zhuang, "庄营村道路.jpg"), (north, "北坡村道路.jpg")):
        upload = io.BytesIO(shared)
        upload.name = name
        _evidence(a, road, upload, None, "整修后的村内道路")
    award = StarAward.objects.unscoped(DEMO).filter(village=by_name["屯头村"], year=2023, star_code="ecology").first()
    if award is not None:
        change = StarChange.objects.create(
            award=award, action="warn", action_label="警示", from_state="active", to_state=StarStatus.WARNED.value,
            reason=WARNING, actor=users["xian"], actor_name=users["xian"].full_name,
            at=timezone.make_aware(WARNED),
        )  # fmt: skip
        file = StarChangeEvidence(change=change)
        file.fill_from(check_upload(_photo(7, dt.datetime(2024, 10, 20, 8), "屯头村垃圾堆放")))
        file.save()
        award.status = StarStatus.WARNED.value
        award.save(update_fields=["status"])
        publication.publish_star_change(SYSTEM, change, award)
