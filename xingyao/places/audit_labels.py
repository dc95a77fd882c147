"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text

audit_text.register(
    subjects={"unit": "单位"},
    actions={"unit.import": "导入单位"},
    # An import's one row per county chain: the file, the units it created (code → name), what it changed.
    keys={"places.unit": {"file": "文件", "created": "新增单位", "updated": "更新单位"}},
)
