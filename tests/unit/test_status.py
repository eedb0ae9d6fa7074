from __future__ import annotations

import itertools

import pytest

from desk_app.domain.access import require_may_transition
from desk_app.domain.roles import Actor, Role
from desk_app.domain.status import ALLOWED, Status, check_transition
from desk_app.errors import IllegalTransition, PermissionDenied

LEGAL = [(a, b) for a, targets in ALLOWED.items() for b in targets]
ILLEGAL = [(a, b) for a in Status for b in Status if b not in ALLOWED[a]]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_allowed_transitions_pass(current: Status, target: Status) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_illegal_transitions_name_both_states(current: Status, target: Status) -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition(current, target)
    assert current.label in info.value.message


def test_closed_is_final_and_says_what_to_do() -> None:
    assert ALLOWED[Status.CLOSED] == frozenset()
    with pytest.raises(IllegalTransition, match="新建工单"):
        check_transition(Status.CLOSED, Status.OPEN)


def test_the_happy_path_of_the_timeline_is_reachable() -> None:
    path = [
        Status.NEW,
        Status.OPEN,
        Status.WAITING_CUSTOMER,
        Status.OPEN,
        Status.RESOLVED,
        Status.CLOSED,
    ]
    for a, b in itertools.pairwise(path):
        check_transition(a, b)


MERCHANT = Actor(1, "m", Role.MERCHANT, org_id=1)
AGENT = Actor(2, "a", Role.AGENT, groups=frozenset({"trade"}))


@pytest.mark.parametrize("target", [Status.CLOSED, Status.OPEN])
def test_merchant_may_confirm_or_reopen_a_resolution(target: Status) -> None:
    require_may_transition(MERCHANT, Status.RESOLVED, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.NEW, Status.RESOLVED),
        (Status.OPEN, Status.WAITING_CUSTOMER),
        (Status.NEW, Status.OPEN),
    ],
)
def test_merchant_may_not_work_the_queue(current: Status, target: Status) -> None:
    with pytest.raises(PermissionDenied):
        require_may_transition(MERCHANT, current, target)
    require_may_transition(AGENT, current, target)


def test_labels_are_the_field_words() -> None:
    assert [s.label for s in Status] == ["待处理", "处理中", "待补充", "已解决", "已关闭"]
