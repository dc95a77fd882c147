"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.grid.workflow import Action

audit_text.register(
    subjects={"event": "网格事件", "category": "事件分类", "grid_post": "网格岗位", "resident_link": "居民上报链接"},
    actions={
        **{f"event.{a.value}": a.label for a in Action},
        "event.report": "上报事件",
        "event.resident_report": "收到居民上报",
        "event.photos": "上传事件照片",
        "event.note": "补充事件情况",
        "event.supervise": "督办",
        "category.save": "保存事件分类",
        "category.seed": "初始化事件分类",
        "grid_post.assign": "配备网格人员",
        "grid_post.import": "导入网格人员",
        "resident_link.rotate": "更换居民上报链接",
    },
    # An import's one row per county chain: the file, the accounts it created, the posts it gave.
    keys={"grid.gridpost": {"file": "文件", "users_created": "新建账号", "posts": "配备岗位"}},
)
