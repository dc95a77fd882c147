"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from typing import Any

from xingyao.core import audit_text


def _document(entry: Any) -> list[str]:
    """An agreement's upload: never its file name (rows written before neutral names carry the uploader's, which
    may name the parties), only that a file with this digest was added."""
    digest = str((entry.after or {}).get("sha256") or "")
    return [f"已上传协议书文件（摘要 {digest[:16]}）" if digest else "已上传协议书文件"]


audit_text.register(
    subjects={"dispute": "矛盾纠纷"},
    actions={
        "dispute.register": "登记矛盾纠纷",
        "dispute.triage": "分流",
        "dispute.session": "记录调解",
        "dispute.close": "结案",
        "dispute.document": "上传调解协议书",
    },
    details={"dispute.document": _document},
)
