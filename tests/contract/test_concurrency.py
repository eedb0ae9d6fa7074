"""Many seats at once: numbers stay unique, exactly one claim wins, no write is lost."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from desk_app.domain.records import NewTicket, TicketFilter
from desk_app.errors import ConflictError, PermissionDenied
from desk_app.services.audit import AuditService
from tests.support import World


def test_parallel_creation_gives_unique_numbers_and_intact_chains(backend: World) -> None:
    def file_tickets(i: int) -> list[str]:
        desk = backend.desk("m_star" if i % 2 else "m_moon")
        return [
            desk.create_ticket(
                NewTicket(f"并发 {i}-{j}", "并发提交", "trade", "refund")
            ).summary.number
            for j in range(6)
        ]

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = [n for batch in pool.map(file_tickets, range(6)) for n in batch]
    assert len(numbers) == len(set(numbers)) == 36
    assert backend.desk("admin").count_tickets(TicketFilter()) == 36
    assert AuditService(backend.ctx).verify().ok


def test_one_idempotency_key_sent_at_once_from_many_seats_files_one_ticket(
    backend: World,
) -> None:
    """A retried creation can overtake the original on another connection: every answer is
    the one ticket, and no request fails because the other won the race."""
    key = str(uuid.uuid4())
    barrier = threading.Barrier(6)

    def file(i: int) -> int:
        desk = backend.desk("m_star")
        barrier.wait()
        draft = NewTicket(f"同键重试 {i}", "同一个幂等键", "trade", "refund", idempotency_key=key)
        return desk.create_ticket(draft).summary.id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(file, range(6)))
    assert len(set(ids)) == 1
    assert backend.desk("m_star").count_tickets(TicketFilter()) == 1
    assert AuditService(backend.ctx).verify().ok


def test_two_agents_claiming_at_once_exactly_one_wins(backend: World) -> None:
    t = backend.ticket()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def claim(login: str) -> None:
        desk = backend.desk(login)
        barrier.wait()
        try:
            desk.assign(t.summary.id, t.summary.version, backend.users[login])
            outcomes[login] = "won"
        except (ConflictError, PermissionDenied) as exc:
            outcomes[login] = type(exc).__name__

    threads = [threading.Thread(target=claim, args=(login,)) for login in ("a_trade", "a_trade2")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes.values()) == ["ConflictError", "won"]
    winner = next(k for k, v in outcomes.items() if v == "won")
    final = backend.desk("admin").get_ticket(t.summary.id)
    assert final.summary.owner_id == backend.users[winner]
    assert [e.kind.value for e in final.events].count("assigned") == 1


def test_parallel_replies_on_one_ticket_each_land_once_or_are_refused(backend: World) -> None:
    t = backend.ticket()
    desk_ids = ["a_trade", "a_trade2", "admin"]
    results: list[str] = []
    lock = threading.Lock()

    def answer(login: str) -> None:
        desk = backend.desk(login)
        version = t.summary.version
        for _attempt in range(20):
            try:
                fresh = desk.reply(t.summary.id, version, f"{login} 的回复")
                with lock:
                    results.append(login)
                assert fresh.summary.version > version
                return
            except ConflictError as exc:
                version = exc.current.summary.version if exc.current else version
        raise AssertionError(f"{login} never got through after 20 tries")

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(answer, desk_ids))
    bodies = [
        e.body
        for e in backend.desk("admin").get_ticket(t.summary.id).events
        if e.kind.value == "replied"
    ]
    assert sorted(bodies) == sorted(f"{x} 的回复" for x in desk_ids)
    assert AuditService(backend.ctx).verify().ok
