"""System checks: a published criteria set that binds an indicator to an unknown metric key fails `check
--database default` and `migrate`, instead of showing 数据来源未接入 to every village for a year."""

from __future__ import annotations

from typing import Any

from django.core import checks

from xingyao.core import metrics


def check_metric_bindings(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Errors for keys no app registers (a typo, or an app that forgot its `ready()`); warnings for planned keys."""
    if not databases:  # a database check: runs only when the command names a database, as Django's own do
        return []
    found: list[checks.CheckMessage] = []
    for database in sorted(databases):
        for binding in metrics.bindings(database):
            metric = metrics.get(binding.key)
            where = f"{binding.holder} · {binding.item}"
            if metric is None:
                found.append(
                    checks.Error(
                        f"{where}：数据来源「{binding.key}」未注册"
                        f" (published {binding.holder}, {binding.item}: no metric is registered as {binding.key!r})",
                        hint="在所属应用的 AppConfig.ready() 中用 core.metrics.register() 注册，或改正指标的数据来源"
                        " (register it in the owning app's ready(), or correct the indicator's data source)",
                        obj=binding.key,
                        id="metrics.E001",
                    )
                )
            elif not metric.connected:
                found.append(
                    checks.Warning(
                        f"{where}：数据来源「{metric.label}」（{binding.key}）尚未接入"
                        f" (published {binding.holder}, {binding.item}: metric {binding.key!r} is planned, not"
                        " connected; villages enter the value themselves)",
                        obj=binding.key,
                        id="metrics.W001",
                    )
                )
    return found
