"""溧河铺镇's Party life for 2022 and 2023: every branch's 支委会 and 主题党日 month by month (with a sign-in photo),
quarterly 支部党员大会 and 党课, the yearly 组织生活会 and 民主评议党员, and member development.

Not every branch kept every month: two fictional villages skipped their 支委会 in February and August 2023, one
photo was taken years before its theme day (kept, flagged), two villages determined no activist in 2023, and
毛桥村 met irregularly in 2022 (why it was designated 2023's weak branch, 软弱涣散, for 组织生活不正常). The
counts still pass 支部过硬星 where the village earned it, so the assessments that follow agree with the records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xingyao.core import audit
from xingyao.core.actors import SYSTEM
from xingyao.demo.tree import LIHEPU, LIHEPU_VILLAGES, village_code
from xingyao.partylife.models import Absence, Candidate, Meeting, MeetingPhoto
from xingyao.partylife.workflow import Kind, Stage
from xingyao.places.models import Unit

DEMO = "the demo loader builds the whole demo township"
YEARS = (2022, 2023)
SKIPPED_COMMITTEE = {"北坡村": (2, 8), "南塘村": (2, 8)}  # 2023 months without a 支委会
NO_ACTIVIST_2023 = {"西岭村", "东湖村"}  # nobody developed in 2023: branch.3.1 scores nothing
OLD_PHOTO = "柳林村"  # its May 2023 theme-day photo was taken in 2021
THEMES = {
    1: "学习贯彻党的二十大精神",
    2: "春耕备耕党员先行",
    3: "学雷锋志愿服务",
    4: "清明祭英烈",
    5: "人居环境集中整治",
    6: "安全生产月·防溺水宣传",
    7: "庆祝建党 {age} 周年",
    8: "“庆八一·感党恩”走访慰问",
    9: "秋收秸秆禁烧",
    10: "重阳敬老",
    11: "冬季防火宣传",
    12: "学习宪法·法治宣传",
}
COMMITTEE = "支委会：研究部署{month}月重点工作"
ABSENT_REASONS = ["外出务工", "病假", "请假（照顾家人）"]


def _photo(seed: int, when: dt.datetime) -> tuple[bytes, str]:
    """A tiny distinct JPEG (its hash differs per seed, so no photo looks reused)."""
    image = Image.new("RGB", (48 + seed % 7, 32 + seed % 5), ((seed * 37) % 255, 120, (seed * 91) % 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=60)
    data = out.getvalue()
    return data, hashlib.sha256(data).hexdigest()


def _members(index: int) -> int:
    return 16 + (index * 7) % 19


def _year_of(village: Unit, index: int, year: int) -> tuple[list[Meeting], list[tuple[int, dt.date]]]:
    """The meetings of one branch in one year, and (meeting position, date) of the theme days to photograph."""
    name, members = village.name, _members(index)
    weak = name == "毛桥村" and year == 2022
    meetings: list[Meeting] = []
    photos: list[tuple[int, dt.date]] = []

    def add(kind: Kind, day: dt.date, topic: str, led_by: str = "村党支部书记") -> None:
        absent = (day.month + index) % 3 + (2 if weak else 0)
        meetings.append(
            Meeting(
                village=village,
                kind=kind,
                held_on=day,
                topic=topic,
                place="村党群服务中心",
                led_by=led_by,
                expected=members,
                present=members - absent,
                minutes=f"{topic}。应到{members}人，实到{members - absent}人。",
            )
        )

    for month in range(1, 13):
        skipped = month in SKIPPED_COMMITTEE.get(name, ()) if year == 2023 else weak and month % 3 == 0
        if not skipped:
            add(Kind.COMMITTEE, dt.date(year, month, 5), COMMITTEE.format(month=month))
        if not weak or month % 2 == 0:
            theme = THEMES[month].format(age=year - 1921)
            add(Kind.THEME_DAY, dt.date(year, month, 15 if month != 7 else 1), f"主题党日：{theme}")
            photos.append((len(meetings) - 1, dt.date(year, month, 15 if month != 7 else 1)))
        if month % 3 == 0:
            add(Kind.CONGRESS, dt.date(year, month, 20), "支部党员大会：通报村务、讨论重点工作")
            add(Kind.LECTURE, dt.date(year, month, 25), "书记讲党课", led_by="村党支部书记")
    add(Kind.LIFE_MEETING, dt.date(year, 1, 28), f"{year - 1}年度组织生活会")
    add(Kind.EVALUATION, dt.date(year, 12, 28), f"{year}年度民主评议党员")
    return meetings, photos


def _candidates(village: Unit, index: int) -> list[Candidate]:
    """Member development across both years: an activist each year, and members admitted now and then."""
    found = [
        Candidate(
            village=village,
            name=f"{village.name[:2]}{'春夏秋冬'[index % 4]}{'明华强丽'[index % 3]}",
            stage=Stage.PROBATIONARY,
            applied_on=dt.date(2021, 3, 1 + index % 20),
            activist_on=dt.date(2021, 9, 1 + index % 20),
            prospect_on=dt.date(2022, 9, 1 + index % 20),
            probationary_on=dt.date(2023, 7, 1)
            if index % 3 and village.name not in NO_ACTIVIST_2023
            else dt.date(2022, 12, 1),
        )
    ]
    if village.name not in NO_ACTIVIST_2023:
        found.append(
            Candidate(
                village=village,
                name=f"{village.name[:2]}{'东南西北'[index % 4]}{'军芳伟燕'[index % 4]}",
                stage=Stage.ACTIVIST,
                applied_on=dt.date(2022, 10, 8 + index % 15),
                activist_on=dt.date(2023, 4, 10 + index % 15),
            )
        )
    return found


def load_party_life() -> str:
    """Meetings, photos and candidates for 溧河铺镇's villages, only where a village-year has none."""
    codes = [village_code(LIHEPU[0], i) for i in range(len(LIHEPU_VILLAGES))]
    villages = {u.code: u for u in Unit.objects.unscoped(DEMO).filter(code__in=codes)}
    have = set(
        Meeting.objects.unscoped(DEMO)
        .filter(village__in=villages.values())
        .values_list("village_id", "held_on__year")
        .distinct()
    )
    made = photo_count = seed = 0
    now = timezone.now()
    for index, code in enumerate(codes):
        village = villages.get(code)
        if village is None:
            continue
        for year in YEARS:
            if (village.pk, year) in have:
                continue
            with transaction.atomic():
                meetings, photos = _year_of(village, index, year)
                Meeting.objects.bulk_create(meetings)
                absences = [
                    Absence(meeting=m, name=f"党员{n + 1}", reason=ABSENT_REASONS[(n + m.held_on.month) % 3])
                    for m in meetings
                    for n in range(m.expected - m.present)
                ]
                Absence.objects.bulk_create(absences)
                stored = []
                for position, day in photos:
                    seed += 1
                    taken = dt.datetime.combine(day, dt.time(9, 30))
                    if village.name == OLD_PHOTO and year == 2023 and day.month == 5:
                        taken = taken.replace(year=2021)
                    data, digest = _photo(seed, taken)
                    stored.append(
                        MeetingPhoto(
                            meeting=meetings[position],
                            file=ContentFile(data, name=f"partylife-{digest[:16]}.jpg"),
                            original_name=f"{village.name}{day:%Y%m}主题党日签到表.jpg",
                            content_type="image/jpeg",
                            size=len(data),
                            sha256=digest,
                            is_image=True,
                            taken_at=timezone.make_aware(taken),
                            date_mismatch=abs((taken.date() - day).days) > 3,
                        )
                    )
                for photo in stored:  # one by one: each file is written to storage
                    photo.save()
                if year == YEARS[-1]:
                    Candidate.objects.bulk_create(_candidates(village, index))
                audit.record(
                    actor=SYSTEM,
                    action="meeting.demo",
                    unit=village,
                    object_type="partylife.meeting",
                    object_repr=f"{village.name}{year}年组织生活（演示数据）",
                    after={"meetings": len(meetings), "photos": len(stored), "at": now.isoformat()},
                )
            made += len(meetings)
            photo_count += len(stored)
    if not made:
        return "已存在，未改动"
    return f"组织生活新增 {made} 次（照片 {photo_count} 张），发展党员按村登记"
