"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text

audit_text.register(
    subjects={"briefing": "工作通报"},
    actions={
        "briefing.generate": "生成工作通报（数据快照）",
        "briefing.edit": "修改通报“下一步”",
        "briefing.issue": "签发工作通报",
    },
)
