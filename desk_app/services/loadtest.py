"""Large generated data sets for benchmarks and load tests: the people, then the bulk tickets."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from desk_app.db.bulk import BATCH, People, generate_tickets
from desk_app.db.schema import OrgRow, UserGroupRow, UserRow
from desk_app.domain.roles import Role
from desk_app.services.context import ServiceContext
from desk_app.services.directory import DirectoryService


def generate(
    ctx: ServiceContext, engine: Engine, count: int, *, seed: int = 1, batch: int = BATCH
) -> int:
    return generate_tickets(
        engine, count, people=ensure_people(ctx), seed=seed, batch=batch, taxonomy=ctx.taxonomy
    )


def ensure_people(ctx: ServiceContext) -> People:
    with ctx.uow() as uow:
        has_orgs = uow.session.scalar(select(func.count()).select_from(OrgRow))
    if not has_orgs:
        directory = DirectoryService(ctx)
        directory.add_user("admin_bench", "压测管理员", Role.ADMIN)
        for i in range(20):
            org = directory.add_org(f"压测商户 {i + 1:02d}")
            directory.add_user(
                f"bulk_m{i + 1:02d}", f"商户{i + 1:02d}", Role.MERCHANT, org_id=org.id
            )
        for group in ctx.taxonomy.groups:
            for j in range(3):
                role = Role.AGENT if group.tier == 1 else Role.EXPERT
                directory.add_user(
                    f"bulk_{group.code}{j + 1}", f"{group.name}{j + 1}", role, groups=[group.code]
                )
    with ctx.uow() as uow:
        s = uow.session
        creators: dict[int, int] = {}
        merchants = select(UserRow.id, UserRow.org_id).where(UserRow.role == Role.MERCHANT.value)
        for user_id, org_id in s.execute(merchants):
            if org_id is not None:
                creators.setdefault(org_id, user_id)
        owners: dict[str, list[int | None]] = {}
        for user_id, code in s.execute(select(UserGroupRow.user_id, UserGroupRow.group_code)):
            owners.setdefault(code, []).append(user_id)
        orgs = [o for o in s.scalars(select(OrgRow.id).order_by(OrgRow.id)) if o in creators]
    return People(orgs, creators, owners)
