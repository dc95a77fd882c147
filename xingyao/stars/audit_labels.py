"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text

audit_text.register(
    subjects={"criteria_set": "评定标准", "indicator": "指标", "star_plan": "创星计划"},
    actions={"criteria_set.load_example": "载入示例评定标准", "star.update": "修改星级规则"},
)
