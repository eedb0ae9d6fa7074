"""The demo data set: merchants, agents, experts and a few hundred Chinese tickets with history.

Everything goes through the real services, so every event is hash-chained and versioned like
real work; a controllable clock spreads the history over the past weeks. The text is data
(resources/demo/corpus.json), combined by a seeded random generator: the same seed gives the
same desk.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from desk_app.db.schema import UserRow
from desk_app.domain.records import NewTicket, TicketDetail
from desk_app.domain.roles import Role
from desk_app.domain.status import Status
from desk_app.domain.taxonomy import Subcategory
from desk_app.paths import resource_path
from desk_app.services.context import ServiceContext
from desk_app.services.directory import DirectoryService
from desk_app.services.tickets import TicketService
from desk_app.services.users import UserService, actor_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 45

ORGS = [("星辰卡盟", "vip"), ("月光游戏充值", "standard"), ("极速点卡铺", "standard"),
        ("云端数娱", "vip"), ("青柠卡券", "standard"), ("蓝鲸游戏商城", "standard")]  # fmt: skip
MERCHANTS = [("m_xingchen", "王小明", 0), ("m_xingchen2", "林晓", 0), ("m_yueguang", "赵丽", 1),
             ("m_jisu", "孙强", 2), ("m_yunduan", "周敏", 3), ("m_qingning", "吴芳", 4),
             ("m_lanjing", "郑凯", 5)]  # fmt: skip
STAFF = [("a_trade1", "李娜", Role.AGENT, ["trade"]), ("a_trade2", "陈晨", Role.AGENT, ["trade"]),
         ("a_account", "刘洋", Role.AGENT, ["account"]), ("a_goods", "陈静", Role.AGENT, ["goods"]),
         ("a_general", "杨帆", Role.AGENT, ["general", "account"]),
         ("x_tech", "张工", Role.EXPERT, ["tech"]), ("x_risk", "何敏", Role.EXPERT, ["risk"]),
         ("x_ops", "高远", Role.EXPERT, ["ops", "tech"]), ("admin", "管理员", Role.ADMIN, [])]  # fmt: skip
# How far each ticket's life has got, as shares of the demo queue.
OUTCOMES = [(Status.NEW, 18), (Status.OPEN, 24), (Status.WAITING_CUSTOMER, 14), (Status.RESOLVED, 20),
            (Status.CLOSED, 24)]  # fmt: skip


@dataclass(frozen=True)
class DemoOptions:
    tickets: int = 300
    seed: int = 20261123
    now: datetime | None = None


class _Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def advance(self, rng: random.Random, low_min: int, high_min: int, limit: datetime) -> None:
        self.at = min(self.at + timedelta(minutes=rng.randint(low_min, high_min)), limit)


def fill_demo(ctx: ServiceContext, options: DemoOptions) -> str:
    if not 1 <= options.tickets <= 100_000:
        raise ValueError("tickets must be between 1 and 100000")
    with ctx.uow() as uow:
        if uow.session.scalar(select(func.count()).select_from(UserRow)):
            return "数据库中已有用户，演示数据未重复填充。可直接运行 `desk` 登录。"
    rng = random.Random(options.seed)
    corpus = json.loads(resource_path("demo", "corpus.json").read_text(encoding="utf-8"))
    now = options.now or datetime.now(UTC)
    clock = _Clock(now - timedelta(days=HISTORY_DAYS))
    timed = replace(ctx, clock=clock)
    orgs = _people(ctx)
    users = UserService(ctx)
    actors = {u.login: actor_of(u) for u in users.list_users()}
    tickets = TicketService(timed)
    subs = list(ctx.taxonomy.subcategories())
    starts = sorted(_working_time(rng, now) for _ in range(options.tickets))
    statuses: Counter[str] = Counter()
    for i, start in enumerate(starts):
        sub = subs[i % len(subs)] if i < len(subs) else rng.choice(subs)
        merchant = rng.choice(MERCHANTS)

        clock.at = start
        detail = _life(
            rng, corpus, tickets, actors, sub=sub, merchant=merchant[0], clock=clock, now=now
        )
        statuses[detail.summary.status.label] += 1
    return _summary(len(orgs), statuses)


def _people(ctx: ServiceContext) -> list[int]:
    directory = DirectoryService(ctx)
    org_ids = [directory.add_org(name, tier).id for name, tier in ORGS]
    for login, name, org in MERCHANTS:
        directory.add_user(login, name, Role.MERCHANT, org_id=org_ids[org])
    for login, name, role, groups in STAFF:
        directory.add_user(login, name, role, groups=groups)
    return org_ids


def _working_time(rng: random.Random, now: datetime) -> datetime:
    day = (now - timedelta(days=rng.uniform(0.2, HISTORY_DAYS))).astimezone(SHANGHAI)
    local = day.replace(
        hour=rng.choice([9, 10, 10, 11, 14, 15, 15, 16, 17, 20, 21]), minute=rng.randint(0, 59)
    )
    return min(local.astimezone(UTC), now - timedelta(minutes=30))


def _fill(rng: random.Random, corpus: dict[str, Any], template: str) -> str:
    amount = rng.choice([30, 50, 100, 200, 300, 500, 648, 1000, 2000])
    slots = {
        "product": rng.choice(corpus["products"]),
        "channel": rng.choice(corpus["channels"]),
        "client": rng.choice(corpus["clients"]),
        "error": rng.choice(corpus["errors"]),
        "amount": amount,
        "total": amount * rng.randint(2, 30),
        "count": rng.randint(2, 60),
        "order": f"{rng.randint(2026010100, 2026112399)}{rng.randint(10000000, 99999999)}",
        "phone": f"1{rng.choice('3578')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        "idcard": "11010519491231002X",
    }
    return template.format(**slots)


def _draft(
    rng: random.Random, corpus: dict[str, Any], sub: Subcategory, start: datetime
) -> NewTicket:
    text = corpus["subcategories"][sub.key]
    subject = _fill(rng, corpus, rng.choice(text["subjects"]))
    if rng.random() < 0.15:  # the vague tickets the seeds complain about
        description = rng.choice(corpus["vague"])
    else:
        local = start.astimezone(SHANGHAI)
        lines = [
            f"发生时间：{local:%Y-%m-%d %H:%M}",
            f"具体现象：{_fill(rng, corpus, rng.choice(text['phenomena']))}",
            f"影响范围：{_fill(rng, corpus, rng.choice(text['scope']))}",
            f"操作步骤：{_fill(rng, corpus, rng.choice(text['steps']))}",
            f"已尝试的方案：{_fill(rng, corpus, rng.choice(text['tried']))}",
        ]
        if rng.random() < 0.3:
            lines.pop(rng.randrange(2, len(lines)))  # merchants often leave one out
        description = "\n".join(lines)
    return NewTicket(subject, description, sub.category, sub.code)


def _life(
    rng: random.Random,
    corpus: dict[str, Any],
    tickets: TicketService,
    actors: dict[str, Any],
    *,
    sub: Subcategory,
    merchant: str,
    clock: _Clock,
    now: datetime,
) -> TicketDetail:
    target = rng.choices([s for s, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
    t = tickets.create(actors[merchant], _draft(rng, corpus, sub, clock.at))
    if target is Status.NEW:
        return t
    staff = [a for a in actors.values() if sub.group in a.groups]
    worker = rng.choice(staff) if staff else actors["admin"]
    replies, notes = (
        corpus["agent_replies"],
        corpus["notes"].get(sub.group, corpus["notes"]["general"]),
    )
    tid = t.summary.id

    def step(low: int, high: int) -> None:
        clock.advance(rng, low, high, now)

    step(2, 90)
    t = tickets.assign(worker, tid, t.summary.version, worker.user_id)
    step(1, 20)
    if target is Status.OPEN:
        t = tickets.reply(worker, tid, t.summary.version, rng.choice(replies["progress"]))
        if rng.random() < 0.5:
            step(5, 60)
            t = tickets.note(worker, tid, t.summary.version, _fill(rng, corpus, rng.choice(notes)))
        return t
    ask = rng.choice(replies["ask_info"])
    t = tickets.reply(worker, tid, t.summary.version, ask, new_status=Status.WAITING_CUSTOMER)
    if target is Status.WAITING_CUSTOMER:
        return t
    step(10, 240)
    followup = _fill(rng, corpus, rng.choice(corpus["merchant_followups"]))
    t = tickets.reply(actors[merchant], tid, t.summary.version, followup)
    step(5, 120)
    t = tickets.note(worker, tid, t.summary.version, _fill(rng, corpus, rng.choice(notes)))
    step(10, 300)
    t = tickets.reply(worker, tid, t.summary.version, rng.choice(replies["resolve"]))
    t = tickets.transition(worker, tid, t.summary.version, Status.RESOLVED, reason="已回复解决方案")
    if target is Status.RESOLVED:
        return t
    step(30, 1440)
    return tickets.transition(actors[merchant], tid, t.summary.version, Status.CLOSED)


def _summary(orgs: int, statuses: Counter[str]) -> str:
    by_status = "，".join(f"{k} {v}" for k, v in statuses.items())
    merchants = "、".join(login for login, _, _ in MERCHANTS)
    staff = "、".join(f"{login}（{role.label}）" for login, _, role, _ in STAFF)
    return (
        f"已填充演示数据：{orgs} 个商户，{len(MERCHANTS)} 个商户账号，{len(STAFF)} 个客服/专家/管理员账号，"
        f"{sum(statuses.values())} 张工单（{by_status}）。\n"
        f"商户登录名：{merchants}\n客服登录名：{staff}\n"
        "嵌入模式下在登录窗口选择用户即可；团队模式请用 `desk user password 登录名` 设置密码。"
    )
