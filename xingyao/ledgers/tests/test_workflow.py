"""The ledger's pure rules, table by table: the item workflow, the verdict of an acceptance, supervision."""

from __future__ import annotations

import datetime as dt

import pytest

from xingyao.core.roles import Role
from xingyao.core.workflow import TransitionError
from xingyao.ledgers.workflow import WORKFLOW, Facts, Move, State, Supervision, passes, supervision, working_days_left

R = Role


@pytest.mark.parametrize(
    ("state", "move", "role", "to"),
    [
        (State.OPEN, Move.SUBMIT, R.VILLAGE_CLERK, State.SUBMITTED),
        (State.SUBMITTED, Move.PASS, R.TOWN_REVIEWER, State.ACCEPTED),
        (State.SUBMITTED, Move.FAIL, R.COUNTY_REVIEWER, State.FAILED),
        (State.FAILED, Move.REOPEN, R.TOWN_ADMIN, State.OPEN),
        (State.ACCEPTED, Move.CLOSE, R.TOWN_ADMIN, State.CLOSED),
    ],
)
def test_each_move_leads_where_the_table_says(state, move, role, to):
    assert WORKFLOW.transition(state, move, role, Facts()) == to


@pytest.mark.parametrize(
    ("state", "move", "role", "message"),
    [
        (State.OPEN, Move.CLOSE, R.TOWN_ADMIN, "这项整改整改中，不能销号：须先提请验收并验收通过"),
        (State.SUBMITTED, Move.CLOSE, R.TOWN_ADMIN, "这项整改待验收，不能销号：须先验收通过"),
        (State.FAILED, Move.CLOSE, R.COUNTY_ADMIN, "这项整改验收未通过，不能销号：须重新整改并验收通过"),
        (State.OPEN, Move.PASS, R.TOWN_REVIEWER, "这项整改整改中，不能验收通过"),
        (State.SUBMITTED, Move.PASS, R.VILLAGE_CLERK, "村级填报员（村两委）无权验收通过"),
        (State.ACCEPTED, Move.CLOSE, R.VILLAGE_CLERK, "村级填报员（村两委）无权销号"),
        (State.SUBMITTED, Move.PASS, R.LEADER, "领导账号只能查看，不能办理整改事项"),
        (State.CLOSED, Move.REOPEN, R.TOWN_ADMIN, "这项整改已销号，不能重新整改"),
    ],
)
def test_refusals_are_chinese(state, move, role, message):
    with pytest.raises(TransitionError) as refused:
        WORKFLOW.check(state, move, role, Facts())
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (Facts(worked_on_it=True), "您参与了这项整改（登记过进度或提请验收），不能验收自己的工作，请由其他人验收"),
        (Facts(of_the_village=True), "您在本村任职，不能验收本村的整改事项，请由乡镇或县里的其他人验收"),
    ],
)
@pytest.mark.parametrize("move", [Move.PASS, Move.FAIL])
def test_four_eyes_refuses_the_worker_and_the_village_itself(facts, message, move):
    with pytest.raises(TransitionError) as refused:
        WORKFLOW.check(State.SUBMITTED, move, R.TOWN_ADMIN, facts)
    assert refused.value.message == message
    assert move not in WORKFLOW.available_actions(State.SUBMITTED, R.TOWN_ADMIN, facts)


def test_four_eyes_does_not_bind_the_worker_submitting_his_own_work():
    WORKFLOW.check(State.OPEN, Move.SUBMIT, R.TOWN_ADMIN, Facts(worked_on_it=True, of_the_village=True))


@pytest.mark.parametrize(
    ("score", "satisfied", "dissatisfied", "passed"),
    [
        (70, 0, 0, True),  # a site check: the score alone
        (69, 0, 0, False),
        (100, 10, 10, True),  # half dissatisfied is not more than half
        (100, 10, 11, False),  # more than half dissatisfied fails whatever the score
        (95, 0, 1, False),
        (69, 30, 0, False),
        (0, 0, 0, False),
    ],
)
def test_an_acceptance_passes_at_70_unless_more_than_half_are_dissatisfied(score, satisfied, dissatisfied, passed):
    assert passes(score, satisfied, dissatisfied) is passed


# 2023-09-29 … 2023-10-06 was the 中秋·国庆 holiday; 2023-10-07 (Saturday) and 2023-10-08 (Sunday) were make-up days.
@pytest.mark.parametrize(
    ("today", "due", "left", "level"),
    [
        (dt.date(2023, 6, 5), dt.date(2023, 6, 12), 5, Supervision.NORMAL),  # Monday → next Monday
        (dt.date(2023, 6, 7), dt.date(2023, 6, 12), 3, Supervision.NORMAL),
        (dt.date(2023, 6, 8), dt.date(2023, 6, 12), 2, Supervision.YELLOW),  # Thursday: Friday, Monday left
        (dt.date(2023, 6, 12), dt.date(2023, 6, 12), 0, Supervision.YELLOW),  # the due date itself
        (dt.date(2023, 6, 13), dt.date(2023, 6, 12), -1, Supervision.RED),
        (dt.date(2023, 6, 10), dt.date(2023, 6, 9), -1, Supervision.RED),  # the Saturday after a Friday due date
        (dt.date(2023, 9, 28), dt.date(2023, 10, 9), 3, Supervision.NORMAL),  # across the holiday: 10-7, 10-8, 10-9
        (dt.date(2023, 9, 28), dt.date(2023, 10, 7), 1, Supervision.YELLOW),
    ],
)
def test_supervision_counts_working_days_left(today, due, left, level):
    assert working_days_left(today, due) == left
    assert supervision(State.OPEN, left) == level


@pytest.mark.parametrize("state", [State.SUBMITTED, State.ACCEPTED, State.CLOSED])
def test_an_item_no_longer_being_worked_is_not_supervised(state):
    assert supervision(state, -30) == Supervision.NORMAL


def test_a_failed_item_stays_supervised_until_reopened():
    assert supervision(State.FAILED, -1) == Supervision.RED
