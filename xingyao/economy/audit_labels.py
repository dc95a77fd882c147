"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.economy.workflow import Brand, Stage

audit_text.register(
    subjects={
        "project": "招商引资项目",
        "industry": "特色产业",
        "cooperative": "专业合作社",
        "income": "村集体经济收入",
        "enterprise": "包联企业",
        "request": "企业诉求",
    },
    actions={
        "project.register": "登记招商项目",
        "project.advance": "推进招商项目",
        "project.milestone": "登记项目节点",
        "project.follow_up": "登记项目周跟进",
        "project.import": "导入招商项目",
        "project.demo": "载入演示招商项目",
        "industry.record": "登记特色产业",
        "industry.area": "登记特色产业面积",
        "industry.import": "导入特色产业面积",
        "cooperative.record": "登记专业合作社",
        "cooperative.contract": "登记订单合同",
        "income.record": "登记村集体经济收入",
        "income.import": "导入村集体经济收入",
        "economy.demo": "载入演示产业数据",
        "enterprise.register": "登记包联企业",
        "request.register": "受理企业诉求",
        "request.step": "办理企业诉求",
        "request.escalate": "企业诉求提级办理",
        "request.rhythm": "设定企业诉求办理时限",
    },
    keys={
        "economy.project": {"photos": "照片", "note": "说明", "next_step": "下一步", "title": "节点"},
        "economy.industry": {"cooperatives": "参与合作社", "year": "年度"},
        "economy.income": {"year": "年度"},
    },
    values={
        ("economy.project", "stage"): dict(Stage.choices()),
        ("economy.industry", "brand_level"): dict(Brand.choices()),
    },
)
