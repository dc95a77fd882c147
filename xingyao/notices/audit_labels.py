"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text
from xingyao.notices.models import ChannelKind

audit_text.register(
    subjects={"channel": "消息推送渠道"},
    actions={"channel.add": "添加消息推送渠道", "channel.remove": "删除消息推送渠道"},
    keys={"notices.channel": {"url": "推送地址（仅显示末几位）"}},
    values={("notices.channel", "kind"): dict(ChannelKind.choices())},
)
