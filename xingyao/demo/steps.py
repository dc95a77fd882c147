"""The demo's loading steps in order; each is idempotent and returns a one-line summary."""

from collections.abc import Callable

from xingyao.core.roles import Role
from xingyao.demo.assessments import load_assessments
from xingyao.demo.current import (
    load_current_assessments,
    load_current_plans,
    load_current_safety,
    load_current_work,
)
from xingyao.demo.economy import load_economy
from xingyao.demo.inspections import load_inspections
from xingyao.demo.ledgers import load_rectification, load_warnings
from xingyao.demo.livability import load_livability
from xingyao.demo.partylife import load_party_life
from xingyao.demo.safety import load_disputes, load_events, load_grid_people
from xingyao.demo.stars import REVIEW_DEPARTMENTS, load_criteria, load_plans
from xingyao.demo.tree import USERS, load_tree


def _tree() -> str:
    units, users = load_tree()
    return f"单位新增 {units} 个，用户新增 {users} 个"


STEPS: list[tuple[str, Callable[[], str]]] = [
    ("行政区划、网格与用户", _tree),
    ("2023年评定标准（示例）", load_criteria),
    ("2023年创星计划", load_plans),
    ("网格人员、村界与事件分类", load_grid_people),
    ("2023年网格事件", load_events),
    ("2023年矛盾纠纷", load_disputes),
    ("2022—2023年组织生活与发展党员", load_party_life),
    ("2023年软弱涣散村党组织整顿", load_rectification),
    ("2023年一季度一观摩", load_inspections),
    ("2022—2023年人居环境与为民服务", load_livability),
    ("2022—2023年招商项目、特色产业与集体经济", load_economy),
    ("2022—2023年度评定", load_assessments),
    ("星级预警、整改回访与创星短板整改", load_warnings),
    # The current year in progress beside 2023, dated relative to the day the demo is loaded (demo/current.py).
    ("本年度评定标准与创星计划", load_current_plans),
    ("本年度网格事件与矛盾纠纷（进行中）", load_current_safety),
    ("本年度组织生活、整改台账、企业诉求、观摩与人居环境（进行中）", load_current_work),
    ("本年度评定（进行中）", load_current_assessments),
]

# The logins `xingyao demo` prints: (username, name, what the account is for).
LOGINS: list[tuple[str, str, str]] = [(u.username, u.full_name, Role(u.role).label) for u in USERS] + [
    (username, full_name, f"部门处置员（{name}，分星部门审核）")
    for _, name, _, username, full_name in REVIEW_DEPARTMENTS
]
