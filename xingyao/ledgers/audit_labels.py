"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.ledgers.workflow import DesignationState, Source, State

audit_text.register(
    subjects={"item": "整改事项", "designation": "软弱涣散村党组织"},
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
    },
    keys={
        "ledgers.item": {"photos": "照片", "new_due_on": "新的完成时限", "acted_on": "完成日期", "note": "进展情况"},
    },
    values={
        ("ledgers.item", "state"): dict(State.choices()),
        ("ledgers.item", "source"): dict(Source.choices()),
        ("ledgers.designation", "state"): dict(DesignationState.choices()),
    },
)
