"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.livability.vocabulary import ActivityKind, HonourLevel, Measure, Outcome, ServiceMode, WorkKind

audit_text.register(
    subjects={
        "work": "人居环境工程",
        "centre": "党群服务中心",
        "activity": "文化和服务活动",
        "service": "便民服务事项",
        "honour": "荣誉",
        "toilets": "卫生厕所普及情况",
        "rooms": "党群服务中心功能室标准",
    },
    actions={
        "work.record": "登记人居环境工程",
        "work.photos": "上传工程照片",
        "work.import": "导入人居环境工程",
        "work.demo": "载入演示人居环境记录",
        "toilets.set": "登记卫生厕所普及情况",
        "rooms.set": "设置党群服务中心功能室标准",
        "centre.save": "登记党群服务中心",
        "centre.photos": "上传党群服务中心照片",
        "service.record": "登记便民服务事项",
        "service.finish": "办结便民服务事项",
        "activity.record": "登记文化和服务活动",
        "activity.photos": "上传活动照片",
        "activity.import": "导入文化和服务活动",
        "honour.record": "登记荣誉",
    },
    keys={
        "livability.work": {"photos": "照片"},
        "livability.centre": {"photos": "照片"},
        "livability.activity": {"photos": "照片", "rows": "行数", "villages": "各村条数"},
    },
    values={
        ("livability.work", "kind"): dict(WorkKind.choices()),
        ("livability.work", "unit"): dict(Measure.choices()),
        ("livability.activity", "kind"): dict(ActivityKind.choices()),
        ("livability.servicerequest", "mode"): dict(ServiceMode.choices()),
        ("livability.servicerequest", "outcome"): dict(Outcome.choices()),
        ("livability.honour", "level"): dict(HonourLevel.choices()),
    },
)
