"""The audit log in plain Chinese: “县级审核员 李秀英 将 毛桥村2023年度评定 由 乡镇已初审 改为 县级已审定”.

An audit row stores an action key (`assessment.county_approve`), the object's model and repr, and JSON snapshots
of the fields that changed. Apps register what their keys mean in `ready()` with `register()`; whatever is not
registered falls back to the model's own verbose names and choices, then to a table of common verbs and keys,
so a row never shows a dict, a Python value or an internal key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from xingyao.core.roles import Role

# What the last part of an action key means when the app registered nothing more precise.
VERBS = {
    "create": "新建",
    "update": "修改",
    "save": "保存",
    "delete": "删除",
    "remove": "删除",
    "import": "导入",
    "demo": "生成演示数据",
    "seed": "初始化",
    "set": "设置",
    "publish": "发布",
    "copy": "复制",
    "revoke": "吊销",
    "assign": "配备",
    "register": "登记",
    "rotate": "更换",
    "file": "提交",
    "decide": "处理",
    "add": "添加",
    "activate": "启用或停用",
}
# Snapshot keys that are not model fields (reasons and summaries actions add).
COMMON_KEYS = {
    "reason": "理由",
    "note": "说明",
    "changed": "变化项数",
    "count": "数量",
    "evidence": "佐证材料",
    "star": "星",
    "department": "部门",
    "decision": "结果",
    "code": "代码",
    "name": "名称",
    "username": "登录名",
    "full_name": "姓名",
}
# Keys a person learns nothing from.
HIDDEN_KEYS = {"id"}
# Keys whose change is the row's headline (“由 X 改为 Y”).
STATE_KEYS = ("state", "status")
SYSTEM = "系统"

Details = Callable[[Any], list[str]]


@dataclass
class _Registry:
    subjects: dict[str, str] = field(default_factory=dict)  # "assessment" → "年度评定"
    actions: dict[str, str] = field(default_factory=dict)  # "assessment.submit" → "提交"
    keys: dict[str, dict[str, str]] = field(default_factory=dict)  # model label → key → label
    values: dict[tuple[str, str], Mapping[Any, str]] = field(default_factory=dict)  # (model, key) → value → label
    details: dict[str, Details] = field(default_factory=dict)  # action prefix → custom details


_registry = _Registry()


def register(
    *,
    subjects: Mapping[str, str] | None = None,
    actions: Mapping[str, str] | None = None,
    keys: Mapping[str, Mapping[str, str]] | None = None,
    values: Mapping[tuple[str, str], Mapping[Any, str]] | None = None,
    details: Mapping[str, Details] | None = None,
) -> None:
    """Teach the audit page an app's words: action subjects and verbs, snapshot keys, coded values."""
    _registry.subjects.update(subjects or {})
    _registry.actions.update(actions or {})
    for model_label, labels in (keys or {}).items():
        _registry.keys.setdefault(model_label, {}).update(labels)
    _registry.values.update(values or {})
    _registry.details.update(details or {})


def subject_choices() -> list[tuple[str, str]]:
    """(prefix, label) for the audit page's filter: every registered kind of record."""
    return sorted(((f"{k}.", v) for k, v in _registry.subjects.items()), key=lambda kv: kv[0])


def action_label(action: str, object_type: str = "") -> str:
    """“提交”, “新建用户”: the registered phrase, else verb + subject (or the model's name), else “操作”."""
    if action in _registry.actions:
        return _registry.actions[action]
    subject, _, verb = action.rpartition(".")
    noun = _registry.subjects.get(subject.split(".")[0], "") if subject else ""
    if not noun and object_type:
        try:
            noun = str(apps.get_model(object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            noun = ""
    return f"{VERBS.get(verb, '操作')}{noun}"


@dataclass(frozen=True)
class Line:
    """One audit row as a person reads it."""

    who: str
    sentence: str
    details: list[str]


class Describer:
    """Describes many rows with a fixed number of queries: the viewer's view of units and users they name."""

    def __init__(self, viewer: Any, entries: Iterable[Any]) -> None:
        self.entries = list(entries)
        self.viewer = viewer
        self._names = self._resolve_foreign_keys()

    # --- labels ---------------------------------------------------------------------------------

    @staticmethod
    def _model(entry: Any) -> type[models.Model] | None:
        try:
            return apps.get_model(entry.object_type) if entry.object_type else None
        except (LookupError, ValueError):
            return None

    @staticmethod
    def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
        if model is None:
            return None
        for name in (key, key.removesuffix("_id")):
            try:
                found = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(found, models.Field):
                return found
        return None

    def key_label(self, entry: Any, key: str) -> str:
        registered = _registry.keys.get(entry.object_type, {})
        if key in registered:
            return registered[key]
        found = self._field(self._model(entry), key)
        if found is not None and found.verbose_name:
            return str(found.verbose_name)
        return COMMON_KEYS.get(key, "其他信息")

    def value_text(self, entry: Any, key: str, value: Any) -> str:
        mapping = _registry.values.get((entry.object_type, key))
        if mapping is not None and _hashable(value) and value in mapping:
            return mapping[value]
        found = self._field(self._model(entry), key)
        if found is not None:
            if found.choices and _hashable(value):
                return str(dict(found.flatchoices).get(value, _plain(value)))
            target = found.related_model
            if found.is_relation and isinstance(target, type) and value is not None:
                return self._names.get((target._meta.label_lower, str(value)), f"编号 {value}")
            if isinstance(found, models.DateTimeField) and isinstance(value, str):
                return _datetime(value)
        if key == "role" and value in Role.values():
            return str(Role(value).label)
        return _plain(value)

    # --- foreign keys, resolved through the viewer's scope ----------------------------------------

    def _resolve_foreign_keys(self) -> dict[tuple[str, str], str]:
        """Names of the units, users and other scoped records the rows point to, read through the viewer's scope
        (a record he may not see stays “编号 n”); one query per kind of record."""
        wanted: dict[type[models.Model], set[str]] = {}
        for entry in self.entries:
            model = self._model(entry)
            for snap in (entry.before, entry.after):
                for key, value in snap.items() if isinstance(snap, dict) else ():
                    found = self._field(model, key)
                    target = found.related_model if found is not None and found.is_relation else None
                    manager = getattr(target, "objects", None)
                    if isinstance(target, type) and hasattr(manager, "restrict") and value is not None:
                        wanted.setdefault(target, set()).add(str(value))
        names: dict[tuple[str, str], str] = {}
        for target, ids in wanted.items():
            for obj in target.objects.restrict(self.viewer).filter(pk__in=ids):  # type: ignore[attr-defined]
                label = getattr(obj, "full_name", "") or str(obj)
                names[(target._meta.label_lower, str(obj.pk))] = label
        return names

    # --- one row ------------------------------------------------------------------------------------

    def who(self, entry: Any, roles: Mapping[int, list[tuple[str, str]]]) -> str:
        actor = entry.actor
        if actor is None:
            return SYSTEM if entry.actor_name in ("", SYSTEM) else entry.actor_name
        name = actor.full_name or actor.username
        held = roles.get(actor.pk, [])
        unit_prefix = entry.unit.prefix if entry.unit_id and entry.unit else ""
        # The role he acted in: the one held on the record's unit or above it, else his first.
        fitting = [r for r, p in held if unit_prefix.startswith(p)] or [r for r, _ in held]
        return f"{Role(fitting[0]).label} {name}" if fitting and fitting[0] in Role.values() else name

    def describe(self, entry: Any, roles: Mapping[int, list[tuple[str, str]]]) -> Line:
        who = self.who(entry, roles)
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        thing = entry.object_repr or _registry.subjects.get(entry.action.split(".")[0], "记录")
        headline = next((k for k in STATE_KEYS if k in before and k in after and before[k] != after[k]), None)
        if headline:
            old, new = (self.value_text(entry, headline, s[headline]) for s in (before, after))
            sentence = f"{who} 将 {thing} 由 {old} 改为 {new}"
        else:
            sentence = f"{who} {action_label(entry.action, entry.object_type)}「{thing}」"
        custom = next((fn for prefix, fn in _registry.details.items() if entry.action.startswith(prefix)), None)
        if custom is not None:
            return Line(who, sentence, custom(entry))
        details = []
        if headline:
            details.append(f"操作：{action_label(entry.action, entry.object_type)}")
        for key, value in after.items():
            if key == headline or key in HIDDEN_KEYS:
                continue
            label = self.key_label(entry, key)
            if key in before:
                old_text = self.value_text(entry, key, before[key])
                details.append(f"{label} 由 {old_text} 改为 {self.value_text(entry, key, value)}")
            else:
                details.append(f"{label}：{self.value_text(entry, key, value)}")
        for key, value in before.items():
            if key not in after and key not in HIDDEN_KEYS:
                details.append(f"{self.key_label(entry, key)}：{self.value_text(entry, key, value)}")
        return Line(who, sentence, details)


def describe_page(viewer: Any, entries: Iterable[Any]) -> list[tuple[Any, Line]]:
    """Every row of an audit page with its Chinese description; three queries whatever the page size."""
    rows = list(entries)
    describer = Describer(viewer, rows)
    actor_ids = {e.actor_id for e in rows if e.actor_id}
    roles: dict[int, list[tuple[str, str]]] = {}
    # The actors' roles name who acted; an actor's role is no secret to the admin reading his audit rows.
    # Looked up by name: core sits below accounts and must not import it.
    membership = apps.get_model("accounts", "Membership")
    memberships = membership.objects.unscoped("the audit page names the role each actor held").filter(
        user_id__in=actor_ids
    )
    for user_id, role, prefix in memberships.values_list("user_id", "role", "unit__prefix").order_by("id"):
        roles.setdefault(user_id, []).append((role, prefix))
    return [(e, describer.describe(e, roles)) for e in rows]


def _hashable(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _datetime(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _plain(value: Any) -> str:
    """A JSON value in words: 是/否, 空, lists joined with 、, objects as “键：值”."""
    if value is None or value == "":
        return "空"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value) or "空"
    if isinstance(value, dict):
        return "；".join(f"{COMMON_KEYS.get(str(k), str(k))}：{_plain(v)}" for k, v in value.items()) or "空"
    return str(value)
