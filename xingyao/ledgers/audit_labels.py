"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.ledgers.workflow import DesignationState, Source, State, WarningKind, WarningState

audit_text.register(
    subjects={"item": "整改事项", "designation": "软弱涣散村党组织", "starwarning": "星级预警", "followup": "整改回访"},
    actions={
        "designation.create": "确定软弱涣散村党组织",
        "designation.close": "整顿销号",
        "designation.demo": "载入演示软弱涣散整顿",
        "ledger_item.open": "登记整改事项",
        "ledger_item.progress": "登记整改进度",
        "ledger_item.submit": "提请验收",
        "ledger_item.pass": "验收通过",
        "ledger_item.fail": "验收不通过",
        "ledger_item.reopen": "重新整改",
        "ledger_item.close": "整改销号",
        "ledger_item.follow_up": "整改回访",
        "ledger_item.import": "导入整顿台账",
        "star_warning.raise": "星级预警",
        "star_warning.decide": "处理星级预警",
    },
    keys={
        "ledgers.item": {
            "photos": "照片",
            "new_due_on": "新的完成时限",
            "acted_on": "完成日期",
            "note": "进展情况",
            "visited_on": "回访日期",
            "recurred": "问题反弹",
            "new_item": "新的整改事项",
            "next_follow_up": "下次回访",
        },
        "ledgers.starwarning": {
            "item": "整改事项",
            "award": "授星",
            "star_change": "星级动态管理记录",
            "origin_label": "预警事由",
            "reason": "处理意见",
        },
    },
    values={
        ("ledgers.item", "state"): dict(State.choices()),
        ("ledgers.item", "source"): dict(Source.choices()),
        ("ledgers.designation", "state"): dict(DesignationState.choices()),
        ("ledgers.starwarning", "state"): dict(WarningState.choices()),
        ("ledgers.starwarning", "kind"): dict(WarningKind.choices()),
    },
)
