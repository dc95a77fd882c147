"""System checks: a published criteria set that binds an indicator to an unknown metric key fails `check
--database default` and `migrate`, instead of showing 数据来源未接入 to every village for a year."""

from __future__ import annotations

from typing import Any

from django.core import checks

from xingyao.core import metrics


def pending_migrations(database: str) -> bool:
    """Whether the database has migrations still to apply."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[database])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def check_metric_bindings(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Errors for keys no app registers (a typo, or an app that forgot its `ready()`); warnings for planned keys."""
    if not databases:  # a database check: runs only when the command names a database, as Django's own do
        return []
    found: list[checks.CheckMessage] = []
    planned: dict[str, list[metrics.Binding]] = {}
    for database in sorted(databases):
        named = metrics.bindings(database)
        unknown = [b for b in named if metrics.get(b.key) is None]
        # A pending migration may be what renames the keys: `migrate` must not be blocked from running it.
        pending = bool(unknown) and pending_migrations(database)
        for binding in unknown:
            message = f"{binding.holder} · {binding.item}：数据来源「{binding.key}」未注册"
            english = f" (no metric is registered as {binding.key!r})"
            if pending:
                found.append(
                    checks.Warning(
                        message + "；数据库尚有未执行的迁移，迁移后请再检查" + english + "; re-check after migrating",
                        obj=binding.key,
                        id="metrics.W002",
                    )
                )
                continue
            found.append(
                checks.Error(
                    message + english,
                    hint="在所属应用的 AppConfig.ready() 中用 core.metrics.register() 注册，或改正指标的数据来源"
                    " (register it in the owning app's ready(), or correct the indicator's data source)",
                    obj=binding.key,
                    id="metrics.E001",
                )
            )
        for binding in named:
            metric = metrics.get(binding.key)
            if metric is not None and not metric.connected:
                planned.setdefault(binding.key, []).append(binding)
    for key, named_by in sorted(planned.items()):
        label = metrics.get(key).label  # type: ignore[union-attr]
        found.append(
            checks.Warning(
                f"数据来源「{label}」尚未接入，{len(named_by)} 个已发布的指标引用，由村里自行填报"
                f" (metric {key!r} is planned, not connected; {len(named_by)} published indicators name it)",
                obj=key,
                id="metrics.W001",
            )
        )
    return found
