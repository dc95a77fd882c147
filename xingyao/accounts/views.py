"""Login, own profile and tokens, and user administration inside the admin's subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
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
from xingyao.core.errors import ActionError
from xingyao.core.http import AuthedRequest
from xingyao.core.roles import Action
from xingyao.core.scoping import holds
from xingyao.core.views_helpers import form_error, paginate


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
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_own_password(user, form.cleaned_data["old_password"], form.cleaned_data["new_password"])
        except ActionError as exc:
            form_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改")
            return redirect("accounts:profile")
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
        },
    )


@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写令牌用途")
        return redirect("accounts:profile")
    token, key = actions.do_create_token(request.user, request.user, form.cleaned_data["name"])
    return render(request, "accounts/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = access_token(request.user, pk)
    try:
        actions.do_revoke_token(request.user, token)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"令牌「{token.name}」已吊销")
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
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.do_create_user(request.user, **form.cleaned_data)
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已创建用户「{user}」")
            return redirect("accounts:user", pk=user.pk)
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
            "tokens": target.api_tokens.all(),
        },
    )


@login_required
@require_POST
def membership_add(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    form = MembershipForm(request.POST, units=assignable_units(request.user))
    if form.is_valid():
        try:
            actions.do_add_membership(request.user, target, form.cleaned_data["unit"], form.cleaned_data["role"])
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已添加任职")
    else:
        messages.error(request, "请选择本辖区内的单位和角色")
    return redirect("accounts:user", pk=target.pk)


@login_required
@require_POST
def membership_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = access_membership(request.user, pk, Action.ADMIN)
    try:
        actions.do_remove_membership(request.user, membership)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤销任职")
    return redirect("accounts:user", pk=membership.user_id)


@login_required
@require_POST
def user_set_active(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    active = request.POST.get("active") == "1"
    try:
        actions.do_set_user_active(request.user, target, active)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已启用账号" if active else "已停用账号")
    return redirect("accounts:user", pk=target.pk)


@login_required
@require_POST
def user_reset_password(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    form = ResetPasswordForm(request.POST)
    if not form.is_valid():
        messages.error(request, "新密码至少 8 位")
    else:
        try:
            actions.do_reset_password(request.user, target, form.cleaned_data["password"])
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已重置密码")
    return redirect("accounts:user", pk=target.pk)


@login_required
@require_POST
def user_token_create(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写令牌用途")
        return redirect("accounts:user", pk=target.pk)
    try:
        token, key = actions.do_create_token(request.user, target, form.cleaned_data["name"])
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:user", pk=target.pk)
    return render(request, "accounts/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = access_user(request.user, pk, Action.ADMIN)
    form = UserEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写姓名；手机号不超过 20 位")
    else:
        try:
            actions.do_update_user(request.user, target, **form.cleaned_data)
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存")
    return redirect("accounts:user", pk=target.pk)
