"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from typing import Any

from xingyao.assessments import workflow as wf
from xingyao.core import audit_text


def _values_changed(entry: Any) -> list[str]:
    return [f"修改了 {len(entry.after or {})} 项指标"]


def _star_review(entry: Any) -> list[str]:
    after = entry.after or {}
    decision = wf.Decision(after["decision"]).label if after.get("decision") in wf.Decision else "审核"
    return [f"结果：{decision}", *([f"理由：{after['reason']}"] if after.get("reason") else [])]


def _star_change(entry: Any) -> list[str]:
    after = entry.after or {}
    return [*([f"理由：{after['reason']}"] if after.get("reason") else []), "已上传佐证材料"]


audit_text.register(
    subjects={"assessment": "年度评定", "objection": "异议", "star": "星", "notice": "公告"},
    actions={
        **{f"assessment.{a.value}": a.label for a in wf.Action},
        **{f"star.{a.value}": a.label for a in wf.StarAction},
        "assessment.create": "开展评定",
        "assessment.values.self": "填写自评",
        "assessment.values.town": "录入初审值",
        "assessment.values.county": "录入审定值",
        "assessment.refresh_derived": "刷新系统数据",
        "assessment.rescore": "重新计分",
        "assessment.evidence.add": "上传佐证材料",
        "assessment.evidence.remove": "删除佐证材料",
        "assessment.star_review.approve": "部门审核通过",
        "assessment.star_review.send_back": "部门退回",
        "assessment.paper_notice": "登记纸质公示",
        "objection.file": "提出异议",
        "objection.decide": "处理异议",
        "notice.publish": "发布公告",
    },
    keys={
        "assessments.assessment": {"publicity_days": "公示天数", "posted_on": "纸质公示张贴日期", "sha256": "照片摘要"},
        "assessments.publishednotice": {"kind": "公告类型", "digest": "内容摘要", "page": "公示页面"},
    },
    details={
        "assessment.values.": _values_changed,
        "assessment.star_review.": _star_review,
        **{f"star.{a.value}": _star_change for a in wf.StarAction},
    },
)
