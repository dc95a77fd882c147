"""What this app's audit rows mean, in Chinese (imported in `ready()`)."""

from xingyao.core import audit_text

audit_text.register(
    subjects={"user": "用户", "membership": "任职", "token": "API 令牌"},
    actions={
        "user.activate": "启用账号",
        "user.deactivate": "停用账号",
        "user.reset_password": "重置密码",
        "user.change_password": "修改本人密码",
        "membership.create": "授予角色",
        "membership.delete": "撤销任职",
    },
    keys={"accounts.user": {"is_active": "账号状态"}},
    values={("accounts.user", "is_active"): {True: "正常", False: "已停用"}},
)
