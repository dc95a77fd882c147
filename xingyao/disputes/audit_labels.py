"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text

audit_text.register(
    subjects={"dispute": "矛盾纠纷"},
    actions={
        "dispute.register": "登记矛盾纠纷",
        "dispute.triage": "分流",
        "dispute.session": "记录调解",
        "dispute.close": "结案",
        "dispute.document": "上传调解协议书",
    },
)
