from xingyao.core.testing import Marker, RouteCase, RouteKind, every, expect
from xingyao.notices.models import Channel, Kind, Muting, Notice
from xingyao.notices.tests import factories as f

PERSONAL = "a person's own inbox and settings: reading or muting his messages changes no record"

ROUTES = [
    RouteCase(
        "notices:inbox",
        lambda w: "/notices/",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=lambda w, text: f.notice(w, "maoqiao", text),
            theirs=lambda w, text: f.notice(w, "zhuangying", text),
            outsider="zhuangying",
        ),
    ),
    RouteCase(
        "notices:notice",
        lambda w: f"/notices/{f.notice(w).pk}/",
        readonly=None,  # nobody but the recipient opens a message
        kind=RouteKind.DETAIL,
    ),
    RouteCase(
        "notices:read_all",
        lambda w: "/notices/read-all/",
        method="POST",
        outsider="",
        readonly=None,
        ok=(302,),
        effect=expect(
            lambda w: f.notice(w, "zhuangying") and not every(Notice).filter(recipient=w.user("maoqiao"), read_at=None),
            "the owner's messages are read",
        ),
        audit=False,
        why_no_audit=PERSONAL,
    ),
    RouteCase(
        "notices:muting",
        lambda w: "/notices/muting/",
        outsider="",
        readonly=None,
        kind=RouteKind.OWN,
        label="GET notices:muting",
    ),
    RouteCase(
        "notices:muting",
        lambda w: "/notices/muting/",
        method="POST",
        data=lambda w: {"muted": [Kind.REMINDER.value]},
        outsider="",
        readonly=None,
        ok=(302,),
        effect=expect(
            lambda w: every(Muting).filter(user=w.user("maoqiao"), kind=Kind.REMINDER).exists(), "he mutes reminders"
        ),
        audit=False,
        why_no_audit=PERSONAL,
    ),
    RouteCase(
        "notices:channels",
        lambda w: "/notices/channels/",
        owner="xian",
        outsider="",
        kind=RouteKind.LIST,
        marker=Marker(
            mine=lambda w, text: f.channel(w, "新野县", text),
            theirs=lambda w, text: f.channel(w, "唐河县", text),
            outsider="tanghe",
        ),
    ),
    RouteCase(
        "notices:channel_new",
        lambda w: "/notices/channels/new/",
        label="GET notices:channel_new",
        owner="xian",
        outsider="",  # without a county to administer: 403 (test_notices: another county's admin is refused)
        write=True,
        kind=RouteKind.FORM,
    ),
    RouteCase(
        "notices:channel_new",
        lambda w: "/notices/channels/new/",
        method="POST",
        data=lambda w: {
            "county": w.unit("新野县").pk,
            "kind": "dingtalk",
            "name": "县网格工作群",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456",
        },
        owner="xian",
        outsider="",  # as above
        write=True,
        ok=(302,),
        effect=expect(
            lambda w: every(Channel).filter(name="县网格工作群", kind="dingtalk").exists(), "the channel is kept"
        ),
    ),
    RouteCase(
        "notices:channel_remove",
        lambda w: f"/notices/channels/{f.channel(w).pk}/remove/",
        method="POST",
        owner="xian",
        outsider="tanghe",
        write=True,
        ok=(302,),
        effect=expect(lambda w: not every(Channel).exists(), "the channel is gone"),
    ),
]
