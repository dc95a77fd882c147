"""Assessments made on demand inside the shared test world (idempotent, so route cases can call them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xingyao.assessments import publication
from xingyao.assessments.actions import do_start_assessment
from xingyao.assessments.models import (
    Assessment,
    Evidence,
    IndicatorValue,
    Objection,
    StarAward,
    StarChange,
    StarChangeEvidence,
)
from xingyao.assessments.scores import rescore, to_json
from xingyao.assessments.workflow import StarStatus, State
from xingyao.core.actors import SYSTEM
from xingyao.demo.testing import World
from xingyao.livability.tests.factories import kept_year as kept_livability_year
from xingyao.partylife.tests.factories import kept_year
from xingyao.stars import scoring
from xingyao.stars.models import CriteriaSet, Indicator, Star
from xingyao.stars.tests.fixtures import published_set


def jpeg(color: str = "red", when: str = "2023:09:19 10:30:00", gps: bool = True) -> bytes:
    """A small JPEG with an EXIF time and (optionally) a GPS position near 新野县."""
    image = Image.new("RGB", (48, 32), color)
    exif = Image.Exif()
    exif[0x0132] = when
    if gps:
        exif[0x8825] = {1: "N", 2: (32.0, 31.0, 12.0), 3: "E", 4: (112.0, 21.0, 36.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo(name: str = "现场.jpg", color: str = "red") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(color), content_type="image/jpeg")


def good_value(spec: scoring.IndicatorSpec) -> Any:
    """A value that meets the indicator (None for evidence-only ones: their value is the files)."""
    match spec.kind:
        case scoring.Kind.BOOL:
            return True
        case scoring.Kind.NUMBER:
            return to_json(spec.threshold if spec.threshold is not None else Decimal(1))
        case scoring.Kind.CHOICE:
            return max(spec.choices, key=lambda c: c.points).value
        case scoring.Kind.SCORE:
            return to_json(spec.max_score if spec.max_score is not None else spec.points)
    return None


def assessment(w: World, village: str = "毛桥村", year: int = 2023, *, party_life: bool = True) -> Assessment:
    """The village's assessment for `year` (a draft when first made). By default the branch kept its Party life
    that year (partylife records behind branch.2.1, 2.2 and 3.1) and its livability records meet what they answer
    (ecology, civility, safety.2.2), so the records confirm those indicators."""
    unit = w.unit(village)
    published_set(w, year)
    found = Assessment.objects.filter(village=unit, year=year).select_related("village", "criteria_set").first()
    if found:
        return found
    if party_life:
        kept_year(w, village, year)
        kept_livability_year(w, village, year)
    return do_start_assessment(SYSTEM, unit, year)


def fill(a: Assessment, skip: tuple[str, ...] = (), column: str = "self_value") -> Assessment:
    """Give every indicator a value that meets it (or confirm what the records say), except the codes in `skip`."""
    for v in a.values.select_related("indicator__star", "indicator__section"):
        if v.indicator.code in skip:
            continue
        confirmed = column == "self_value" and v.derived_value is not None
        setattr(v, column, v.derived_value if confirmed else good_value(v.indicator.to_spec()))
        v.save()
    rescore([a], a.year)
    return a


def attach_evidence(a: Assessment, codes: tuple[str, ...] | None = None) -> None:
    """Enough (tiny, distinct) files for every indicator, or for `codes`."""
    for indicator in Indicator.objects.filter(criteria_set=a.criteria_set):
        if codes is not None and indicator.code not in codes:
            continue
        have = Evidence.objects.filter(assessment=a, indicator=indicator).count()
        for n in range(have, indicator.evidence_count):
            digest = hashlib.sha256(f"{a.pk}-{indicator.code}-{n}".encode()).hexdigest()
            Evidence.objects.create(
                assessment=a,
                indicator=indicator,
                file=ContentFile(b"%PDF-1.4 test", name=f"{digest[:12]}.pdf"),
                original_name=f"{indicator.code}-{n}.pdf",
                content_type="application/pdf",
                size=13,
                sha256=digest,
            )
    rescore([a], a.year)


def submittable(w: World, village: str = "毛桥村", year: int = 2023) -> Assessment:
    """A draft with every indicator met and its evidence attached."""
    a = assessment(w, village, year)
    if not a.values.exclude(self_value=None).exists():
        fill(a)
        attach_evidence(a)
    return a


def at_state(w: World, state: State, village: str = "毛桥村", year: int = 2023, **fields: Any) -> Assessment:
    """A filled assessment moved straight to `state` (what earlier steps would have left)."""
    a = submittable(w, village, year)
    if state in (State.PUBLICIZED, State.AWARDED) and "publicity_start" not in fields:
        fields.setdefault("publicity_start", timezone.localdate() - dt.timedelta(days=2))
        fields.setdefault("publicity_days", 7)
    Assessment.objects.filter(pk=a.pk).update(state=state.value, **fields)
    a.refresh_from_db()
    if state in (State.PUBLICIZED, State.AWARDED) and a.publicity_start is not None:
        # What the publishing step leaves: the notice frozen on the public board (publication.py).
        with transaction.atomic():
            publication.publish_publicity(SYSTEM, a)
            if state is State.AWARDED:
                publication.publish_award(SYSTEM, a)
    return a


def objection(w: World, village: str = "毛桥村") -> Objection:
    a = at_state(w, State.PUBLICIZED, village)
    found = a.objections.filter(status="open").first()
    return found or Objection.objects.create(assessment=a, content="该村道路并未修通", contact="13800000000")


def award(w: World, village: str = "毛桥村", star_code: str = "branch") -> StarAward:
    a = at_state(w, State.AWARDED, village)
    found, created = StarAward.objects.get_or_create(
        village=a.village, year=a.year, star_code=star_code, defaults={"star_name": "支部过硬星", "assessment": a}
    )
    if created:
        StarChange.objects.create(award=found, action="award", to_state=StarStatus.ACTIVE.value)
        with transaction.atomic():
            publication.publish_award(SYSTEM, a)
    return found


def star_evidence(w: World) -> StarChangeEvidence:
    found = award(w)
    change = StarChange.objects.create(
        award=found, action="warn", from_state="active", to_state="warned", reason="发生安全事故"
    )
    return StarChangeEvidence.objects.create(
        change=change,
        file=ContentFile(b"%PDF-1.4 x", name="notice.pdf"),
        original_name="通报.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )


def indicator(a: Assessment, code: str) -> Indicator:
    return Indicator.objects.get(criteria_set=a.criteria_set, code=code)


def value(a: Assessment, code: str) -> IndicatorValue:
    return IndicatorValue.objects.get(assessment=a, indicator__code=code)


# The department step: 平安法治星 by 县委政法委 (zhengfawei), 产业兴旺星 by 县农业农村局 (nongye).
REVIEWED_BY = {"safety": "县委政法委", "industry": "县农业农村局"}


def dept_review_on(w: World, year: int = 2023) -> CriteriaSet:
    """The published set with department review on and two stars given to the county's departments."""
    criteria_set = published_set(w, year)
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(dept_review=True)
    for code, department in REVIEWED_BY.items():
        Star.objects.filter(criteria_set=criteria_set, code=code).update(review_department=w.unit(department))
    criteria_set.refresh_from_db()
    return criteria_set


def in_dept_review(w: World, village: str = "毛桥村") -> Assessment:
    """An assessment the town has approved, waiting for the departments."""
    dept_review_on(w)
    return at_state(w, State.TOWN_REVIEWED, village, state_since=timezone.now())
