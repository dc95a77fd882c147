"""Message pages: the inbox, one message (read on open), mark all read, muting, a county's outside channels."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.core.roles import Action
from xingyao.core.scoping import holds
from xingyao.core.views_helpers import run_action, submit
from xingyao.notices import actions
from xingyao.notices.forms import ChannelForm, MutingForm
from xingyao.notices.queries import INBOX_SIZE, channels_for, inbox, muted_kinds


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    shown = list(
        inbox(request.user).filter(**({"read_at__isnull": True} if request.GET.get("unread") else {}))[:INBOX_SIZE]
    )
    return render(
        request,
        "notices/inbox.html",
        {"notices": shown, "unread_only": bool(request.GET.get("unread")), "limit": INBOX_SIZE},
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = actions.do_open(request.user, pk)
    return render(request, "notices/notice.html", {"notice": notice})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    run_action(request, lambda: actions.do_mark_all_read(request.user), lambda n: f"已将 {n} 条消息标为已读")
    return redirect("notices:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def muting(request: HttpRequest) -> HttpResponse:
    # Unticking every box posts nothing: bind the form on any POST, not only a non-empty one.
    form = MutingForm(
        request.POST if request.method == "POST" else None, initial={"muted": sorted(muted_kinds(request.user))}
    )
    if done := submit(
        request, form, lambda data: actions.do_set_muted(request.user, data["muted"]), "已保存", "notices:muting"
    ):
        return done
    return render(request, "notices/muting.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notices/channels.html",
        {"channels": list(channels_for(request.user)), "can_add": holds(request.user, Action.ADMIN)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_new(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None, user=request.user)
    field = form.fields["county"]
    if not field.queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied
    if done := submit(
        request,
        form,
        lambda data: actions.do_add_channel(
            request.user, data["county"], kind=data["kind"], name=data["name"], url=data["url"]
        ),
        "已添加推送渠道",
        "notices:channels",
    ):
        return done
    return render(
        request,
        "notices/channel_new.html",
        {"form": form, "title": "添加消息推送渠道"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def channel_remove(request: HttpRequest, pk: int) -> HttpResponse:
    run_action(request, lambda: actions.do_remove_channel(request.user, pk), "已删除推送渠道")
    return redirect("notices:channels")
