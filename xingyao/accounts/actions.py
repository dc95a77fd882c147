"""State changes on users, memberships and tokens. Each runs in one transaction and writes an audit row.

`do_*` are the entry points; each runs in its own durable transaction. The building blocks other apps need
inside *their* `do_*` (grid posts people on grids) are the plain functions `create_user`, `import_user` and
`grant_role`: the same rules and audit rows, no transaction of their own, and they refuse to run outside one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xingyao.accounts.models import ApiToken, Membership, User
from xingyao.core import audit, bulk
from xingyao.core.errors import ActionError
from xingyao.core.roles import ROLE_UNIT_KINDS, Action, Role
from xingyao.core.scoping import covers, forget_scope
from xingyao.core.validators import clean_phone, clean_text
from xingyao.places.models import Unit

USER_FIELDS = ["username", "full_name", "phone", "is_active"]


def check_can_grant(actor: User, unit: Unit, role: str) -> None:
    """Raise ActionError unless `actor` administers `unit` and `role` fits the unit's kind."""
    if role not in Role.values():
        raise ActionError("未知的角色", "role")
    if not covers(actor, Action.ADMIN, unit.prefix):
        raise ActionError("您只能在本辖区内分配角色", "unit")
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        raise ActionError(f"「{Role(role).label}」不能设在{unit.kind_label}级单位上", "role")


def check_not_self(actor: User, user: User) -> None:
    """Separation of duties: nobody grants himself a role, whatever his own roles (a town admin who took the
    police station's role could handle, as the department, the events he dispatched to it)."""
    if user.pk is not None and user.pk == actor.pk:
        raise ActionError("不能给自己分配角色，请由上级管理员办理", "role")


def can_manage_user(actor: User, target: User) -> bool:
    """An admin manages a user only when every role the user holds lies inside the admin's scope."""
    if actor.is_superuser:
        return True
    prefixes = list(
        target.memberships.unscoped("whether every role lies in the admin's scope").values_list(
            "unit__prefix", flat=True
        )
    )
    return bool(prefixes) and all(covers(actor, Action.ADMIN, p) for p in prefixes)


def beyond_reach(actor: User, user_ids: Iterable[int]) -> set[int]:
    """Of these users, those `actor` may not manage (a role outside his scope, or no role at all): one query."""
    ids = set(user_ids)
    if actor.is_superuser or not ids:
        return set()
    held: dict[int, list[str]] = {i: [] for i in ids}
    rows = Membership.objects.unscoped("whether every role lies in the admin's scope").filter(user_id__in=ids)
    for user_id, prefix in rows.values_list("user_id", "unit__prefix"):
        held[user_id].append(prefix)
    return {
        i for i, prefixes in held.items() if not prefixes or not all(covers(actor, Action.ADMIN, p) for p in prefixes)
    }


def check_can_enlist(actor: User, user: User) -> None:
    """Raise ActionError unless `actor` may give this existing user a role: only users he already manages, so a
    role cannot pull a stranger (and his name, phone and tokens) into the actor's reach."""
    if not can_manage_user(actor, user):
        raise ActionError(
            f"登录名「{user.username}」已属于辖区外的用户，不能由您配备；请换一个登录名新建账号", "username"
        )


def _in_transaction() -> None:
    """A building block writes several rows: it runs inside its caller's `do_*` transaction, never alone."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("accounts building blocks run inside the calling do_*'s transaction.atomic(durable=True)")


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActionError("；".join(exc.messages), "password") from None


def _record_membership(actor: User, membership: Membership) -> None:
    audit.record(
        actor=actor,
        action="membership.create",
        obj=membership,
        unit=membership.unit,
        after=audit.snapshot(membership),
    )


def create_user(
    actor: User, *, username: str, full_name: str, phone: str, password: str, unit: Unit, role: str
) -> User:
    """Building block: a new user with his first membership, inside the caller's transaction."""
    _in_transaction()
    username = username.strip()
    if not username:
        raise ActionError("请填写登录名", "username")
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError("该登录名已被使用", "username")
    check_can_grant(actor, unit, role)
    full_name = clean_text(full_name, "姓名", "full_name", limit=50, required=False)
    candidate = User(username=username, full_name=full_name, phone=clean_phone(phone, "手机号"))
    _check_password(password, candidate)
    candidate.set_password(password)
    candidate.save()
    membership = Membership.objects.create(user=candidate, unit=unit, role=role)
    audit.record(
        actor=actor, action="user.create", obj=candidate, unit=unit, after=audit.snapshot(candidate, USER_FIELDS)
    )
    _record_membership(actor, membership)
    return candidate


def do_create_user(
    actor: User, *, username: str, full_name: str, phone: str, password: str, unit: Unit, role: str
) -> User:
    """Create a user with his first membership."""
    with transaction.atomic(durable=True):
        return create_user(
            actor, username=username, full_name=full_name, phone=phone, password=password, unit=unit, role=role
        )


def do_update_user(actor: User, user: User, *, full_name: str, phone: str) -> User:
    """Change a user's name and phone."""
    if not can_manage_user(actor, user) and actor.pk != user.pk:
        raise ActionError("您无权修改该用户")
    full_name = clean_text(full_name, "姓名", "full_name", limit=50, required=False)
    phone = clean_phone(phone, "手机号")
    before = audit.snapshot(user, USER_FIELDS)
    with transaction.atomic(durable=True):
        user.full_name, user.phone = full_name, phone
        user.save(update_fields=["full_name", "phone"])
        b, a = audit.diff(before, audit.snapshot(user, USER_FIELDS))
        audit.record(actor=actor, action="user.update", obj=user, before=b, after=a)
    return user


def do_set_user_active(actor: User, user: User, active: bool) -> User:
    """Disable or re-enable a login; disabling revokes his tokens (re-enabling does not bring them back)."""
    if not can_manage_user(actor, user):
        raise ActionError("该用户在您的辖区之外还有任职，不能由您停用")
    if user.pk == actor.pk:
        raise ActionError("不能停用自己的账号")
    with transaction.atomic(durable=True):
        before = user.is_active
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            _revoke_all_tokens(actor, user)
        audit.record(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            obj=user,
            before={"is_active": before},
            after={"is_active": active},
        )
    return user


def _revoke_all_tokens(actor: User, user: User) -> int:
    """Revoke every live token of `user` (inside the caller's transaction), one audit row each; how many."""
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).select_for_update())
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="token.revoke",
            obj=token,
            object_repr=f"{user.username}: {token}",
            before={"revoked_at": None},
            after={"revoked_at": now},
        )
    return len(tokens)


def do_reset_password(actor: User, user: User, password: str) -> None:
    """An admin sets a new password for another user in his scope; the user's tokens die with the old password.
    His own password an admin changes like everyone, with the old one (`do_change_own_password`)."""
    if user.pk == actor.pk:
        raise ActionError("修改自己的密码须输入原密码，请到“我的账号”页面修改", "password")
    if not can_manage_user(actor, user):
        raise ActionError("您无权重置该用户的密码")
    _check_password(password, user)
    with transaction.atomic(durable=True):
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor=actor, action="user.reset_password", obj=user)
        _revoke_all_tokens(actor, user)


def do_change_own_password(user: User, old: str, new: str) -> None:
    """A user changes his own password, giving the old one; his tokens die with it."""
    if not user.check_password(old):
        raise ActionError("原密码不正确", "old_password")
    _check_password(new, user)
    with transaction.atomic(durable=True):
        user.set_password(new)
        user.save(update_fields=["password"])
        audit.record(actor=user, action="user.change_password", obj=user)
        _revoke_all_tokens(user, user)


def do_add_membership(actor: User, user: User, unit: Unit, role: str) -> Membership:
    """Give a user a role on a unit (never to oneself)."""
    check_not_self(actor, user)
    check_can_grant(actor, unit, role)
    if Membership.objects.unscoped("a role is held once").filter(user=user, unit=unit, role=role).exists():
        raise ActionError("该用户已有此任职")
    with transaction.atomic(durable=True):
        membership = Membership.objects.create(user=user, unit=unit, role=role)
        _record_membership(actor, membership)
    forget_scope(user)
    return membership


def grant_role(actor: User, user: User, unit: Unit, role: str) -> tuple[Membership, bool]:
    """Building block: give a user the actor already manages a role on a unit unless he holds it; (membership,
    whether new). Never to oneself. Inside the caller's transaction."""
    _in_transaction()
    check_not_self(actor, user)
    check_can_grant(actor, unit, role)
    check_can_enlist(actor, user)
    membership, created = Membership.objects.unscoped("a role is held once").get_or_create(
        user=user, unit=unit, role=role
    )
    if created:
        _record_membership(actor, membership)
        forget_scope(user)
    return membership, created


def do_grant_role(actor: User, user: User, unit: Unit, role: str) -> tuple[Membership, bool]:
    """Give a user the actor manages a role on a unit unless he holds it already; (membership, whether new)."""
    with transaction.atomic(durable=True):
        return grant_role(actor, user, unit, role)


def import_user(
    actor: User, *, username: str, full_name: str, phone: str, password_hash: str, unit: Unit, role: str
) -> User:
    """Building block: a user from an import row with his first role, inside the importer's transaction. The
    file's one initial password comes hashed (once for the whole file) and was validated by the importer."""
    _in_transaction()
    check_can_grant(actor, unit, role)
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(f"登录名「{username}」已被使用", "username")
    user = User.objects.create(username=username, full_name=full_name, phone=phone, password=password_hash)
    audit.record(
        actor=actor,
        action="user.import",
        obj=user,
        unit=unit,
        after=audit.snapshot(user, ["username", "full_name", "phone"]),
    )
    _record_membership(actor, Membership.objects.create(user=user, unit=unit, role=role))
    return user


def do_remove_membership(actor: User, membership: Membership) -> None:
    """Take a role away."""
    if not covers(actor, Action.ADMIN, membership.unit.prefix):
        raise ActionError("您只能撤销本辖区内的任职")
    if membership.user_id == actor.pk and not actor.is_superuser:
        raise ActionError("不能撤销自己的任职")
    with transaction.atomic(durable=True):
        before = audit.snapshot(membership)
        audit.record(actor=actor, action="membership.delete", obj=membership, unit=membership.unit, before=before)
        membership.delete()
    forget_scope(membership.user)


def do_create_token(actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue an API token that expires after `XINGYAO_TOKEN_DAYS`; the key is returned once, only its digest kept."""
    name = name.strip() or "API 令牌"
    if actor.pk != user.pk and not can_manage_user(actor, user):
        raise ActionError("您只能为自己或本辖区的用户创建令牌")
    key = ApiToken.new_key()
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(user=user, name=name[:100], digest=ApiToken.digest_of(key), hint=key[-4:])
        audit.record(
            actor=actor,
            action="token.create",
            obj=token,
            object_repr=f"{user.username}: {token}",
            after={"user": user.pk, "name": token.name, "hint": token.hint, "expires_at": token.expires_at},
        )
    return token, key


def do_revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token; it stops working at once."""
    if token.user_id != actor.pk and not can_manage_user(actor, token.user):
        raise ActionError("您无权吊销该令牌")
    if token.revoked:
        return token
    with transaction.atomic(durable=True):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="token.revoke",
            obj=token,
            object_repr=f"{token.user.username}: {token}",
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token


# --- in bulk, for imports: the same rules as import_user / grant_role, one statement per batch ------------------

BULK_BATCH = 2000


def import_users(
    actor: User, people: Iterable[tuple[str, str, str]], *, password_hash: str, units: Iterable[Unit], role: str
) -> dict[str, User]:
    """Create the accounts of an import's new people — (username, full name, phone), login names the importer
    found free — in batches inside the caller's transaction, all with the file's one hashed initial password.

    Their roles come from `grant_roles`; the caller writes the import's audit rows (one per chain, listing them).
    `units` are where the roles will be: each is checked as `check_can_grant` checks one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("import_users() runs inside the import's transaction")
    for unit in {u.pk: u for u in units}.values():
        check_can_grant(actor, unit, role)
    rows = [(u, n, p, password_hash) for u, n, p in people]
    ids = bulk.insert(User, ("username", "full_name", "phone", "password"), rows)
    users = [
        User(id=pk, username=u, full_name=n, phone=p, password=h) for pk, (u, n, p, h) in zip(ids, rows, strict=True)
    ]
    for user in users:
        user._state.adding = False
    return {u.username: u for u in users}


def grant_roles(
    actor: User, pairs: Iterable[tuple[User, Unit]], role: str
) -> dict[tuple[int, int], tuple[Membership, bool]]:
    """`grant_role` for many (user, unit) pairs inside the caller's transaction: the memberships already held are
    read in one query per batch, the missing ones created in batches; returns (membership, whether new) per
    (user id, unit id). The users must be ones the actor may enlist (`beyond_reach` is empty for them) or accounts
    just created by `import_users`; the caller audits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("grant_roles() runs inside the import's transaction")
    wanted = {(user.pk, unit.pk): (user, unit) for user, unit in pairs}
    for user, _unit in wanted.values():
        check_not_self(actor, user)
    for unit in {unit.pk: unit for _user, unit in wanted.values()}.values():
        check_can_grant(actor, unit, role)
    found: dict[tuple[int, int], tuple[Membership, bool]] = {}
    user_ids = sorted({user_id for user_id, _unit_id in wanted})
    held = Membership.objects.unscoped("a role is held once").filter(role=role)
    for i in range(0, len(user_ids), BULK_BATCH):
        for membership in held.filter(user_id__in=user_ids[i : i + BULK_BATCH]):
            key = (membership.user_id, membership.unit_id)
            if key in wanted:
                found[key] = (membership, False)
    # By id, not by object: setting a relation by descriptor costs more than the insert itself.
    missing = [(u, g, role) for u, g in wanted if (u, g) not in found]
    ids = bulk.insert(Membership, ("user_id", "unit_id", "role"), missing)
    fresh = [Membership(id=pk, user_id=u, unit_id=g, role=r) for pk, (u, g, r) in zip(ids, missing, strict=True)]
    for membership in fresh:
        membership._state.adding = False
        found[(membership.user_id, membership.unit_id)] = (membership, True)
        forget_scope(wanted[(membership.user_id, membership.unit_id)][0])
    return found
