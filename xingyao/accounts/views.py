"""Login, own profile and tokens, and user administration inside the admin's subtree."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from xingyao.accounts import actions
from xingyao.accounts.forms import (
    LoginForm,
    MembershipForm,
    PasswordChangeForm,
    ResetPasswordForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from xingyao.accounts.queries import (
    access_membership,
    access_token,
    access_user,
    assignable_units,
    users_in_scope,
)
from xingyao.core.http import AuthedRequest
from xingyao.core.roles import Action
from xingyao.core.scoping import holds
from xingyao.core.views_helpers import paginate, run_action, run_posted, submit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _require_admin(user) -> None:  # type: ignore[no-untyped-def]
    if not holds(user, Action.ADMIN):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(request.POST or None)

    def change(data: dict) -> None:
        actions.do_change_own_password(user, data["old_password"], data["new_password"])
        update_session_auth_hash(request, user)

    if done := submit(request, form, change, "密码已修改", "accounts:profile"):
        return done
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "token_form": TokenForm(),
            "memberships": user.memberships.unscoped("a user's own roles")
            .select_related("unit")
            .order_by("unit__code"),
            "tokens": user.api_tokens.all(),
            "token_days": settings.XINGYAO_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    made = run_posted(
        request,
        TokenForm(request.POST),
        "请填写令牌用途",
        lambda data: actions.do_create_token(request.user, request.user, data["name"]),
    )
    if made.value is None:
        return redirect("accounts:profile")
    token, key = made.value
    return render(request, "accounts/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = access_token(request.user, pk)
    run_action(request, lambda: actions.do_revoke_token(request.user, token), f"令牌「{token.name}」已吊销")
    if token.user_id == request.user.pk:
        return redirect("accounts:profile")
    return redirect("accounts:user", pk=token.user_id)


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    _require_admin(request.user)
    text = request.GET.get("q", "").strip()
    page = paginate(request, users_in_scope(request.user, text))
    return render(request, "accounts/user_list.html", {"page": page, "q": text})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthedRequest) -> HttpResponse:
    _require_admin(request.user)
    form = UserCreateForm(request.POST or None, units=assignable_units(request.user))
    created = submit(
        request,
        form,
        lambda data: actions.do_create_user(request.user, **data),
        lambda user: f"已创建用户「{user}」",
        lambda user: reverse("accounts:user", args=[user.pk]),
    )
    if created:
        return created
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建用户"})


@login_required
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "memberships": target.memberships.unscoped("an admin sees every role of a user he administers")
            .select_related("unit")
            .order_by("unit__code"),
            "membership_form": MembershipForm(units=assignable_units(request.user)),
            "password_form": ResetPasswordForm(),
            "edit_form": UserEditForm(initial={"full_name": target.full_name, "phone": target.phone}),
            "can_manage": actions.can_manage_user(request.user, target),
            "is_self": target.pk == request.user.pk,
            "tokens": target.api_tokens.all(),
            "token_days": settings.XINGYAO_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def membership_add(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    run_posted(
        request,
        MembershipForm(request.POST, units=assignable_units(request.user)),
        "请选择本辖区内的单位和角色",
        lambda data: actions.do_add_membership(request.user, target, data["unit"], data["role"]),
        "已添加任职",
    )
    return redirect("accounts:user", pk=target.pk)


@login_required
@require_POST
def membership_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = access_membership(request.user, pk, Action.ADMIN)
    run_action(request, lambda: actions.do_remove_membership(request.user, membership), "已撤销任职")
    return redirect("accounts:user", pk=membership.user_id)


@login_required
@require_POST
def user_set_active(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    active = request.POST.get("active") == "1"
    said = "已启用账号" if active else "已停用账号"
    run_action(request, lambda: actions.do_set_user_active(request.user, target, active), said)
    return redirect("accounts:user", pk=target.pk)


@login_required
@require_POST
def user_reset_password(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    if target.pk == request.user.pk:
        # One's own password changes only with the old one, on the own-account page.
        messages.error(request, "修改自己的密码须输入原密码，请在此页面修改")
        return redirect("accounts:profile")
    run_posted(
        request,
        ResetPasswordForm(request.POST),
        "新密码至少 8 位",
        lambda data: actions.do_reset_password(request.user, target, data["password"]),
        "已重置密码",
    )
    return redirect("accounts:user", pk=target.pk)


@login_required
@require_POST
def user_token_create(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    made = run_posted(
        request,
        TokenForm(request.POST),
        "请填写令牌用途",
        lambda data: actions.do_create_token(request.user, target, data["name"]),
    )
    if made.value is None:
        return redirect("accounts:user", pk=target.pk)
    token, key = made.value
    return render(request, "accounts/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    run_posted(
        request,
        UserEditForm(request.POST),
        "请填写姓名；手机号不超过 20 位",
        lambda data: actions.do_update_user(request.user, target, **data),
        "已保存",
    )
    return redirect("accounts:user", pk=target.pk)
