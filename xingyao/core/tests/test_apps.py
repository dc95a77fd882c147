"""Apps hand their kit modules to core.apps.register_parts from ready()."""

import pytest
from django.apps import apps

from xingyao.core import jobs, menu, metrics, tasks
from xingyao.core.apps import register_parts


def test_each_record_apps_parts_are_registered():
    assert {e.key for e in menu._entries.values() if e.key.startswith(("grid.", "disputes."))} >= {
        "grid.report",
        "disputes.list",
    }
    assert {m.app for m in metrics.all_metrics()} >= {"grid", "disputes"}
    assert {k.key.partition(".")[0] for k in tasks.registered()} >= {"grid", "disputes", "assessments"}
    assert {k.partition(".")[0] for k in jobs.KINDS} >= {"grid", "disputes", "assessments", "places"}


def test_a_misspelt_part_is_an_error_not_a_silent_skip():
    with pytest.raises(ValueError, match="menus"):
        register_parts(apps.get_app_config("grid"), "menus")
