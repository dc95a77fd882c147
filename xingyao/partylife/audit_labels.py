"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.partylife.workflow import Kind, Stage

audit_text.register(
    subjects={"meeting": "组织生活", "candidate": "发展党员"},
    actions={
        "meeting.record": "登记组织生活",
        "meeting.photos": "上传会议照片",
        "meeting.demo": "载入演示组织生活",
        "candidate.register": "登记入党申请人",
        "candidate.advance": "发展党员",
    },
    keys={
        "partylife.meeting": {"absences": "缺席名单人数", "photos": "照片"},
    },
    values={
        ("partylife.meeting", "kind"): dict(Kind.choices()),
        ("partylife.candidate", "stage"): dict(Stage.choices()),
    },
)
