"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.inspections.workflow import State

audit_text.register(
    subjects={"inspection_round": "观摩", "inspection_visit": "观摩点位", "score_sheet": "观摩评分表"},
    actions={
        "score_sheet.create": "制定观摩评分表",
        "inspection_round.plan": "安排观摩",
        "inspection_round.start": "开始观摩评分",
        "inspection_round.finish": "结束观摩评分",
        "inspection_round.reopen": "重新打开观摩评分",
        "inspection_round.import": "导入观摩评分表",
        "inspection_visit.score": "观摩评分",
        "inspection_visit.to_items": "观摩问题转为整改事项",
    },
    keys={
        "inspections.round": {"route": "观摩路线", "team": "观摩组成员"},
        "inspections.visit": {"scores": "各项得分", "problems": "问题", "items": "整改事项"},
        "inspections.scoresheet": {"items": "评分项目"},
    },
    values={("inspections.round", "state"): dict(State.choices())},
)
