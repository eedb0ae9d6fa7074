"""Setting up organisations and users (admin tasks, the demo data set and tests)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from desk_app.db.schema import OrgRow, UserGroupRow, UserRow
from desk_app.domain.records import Org
from desk_app.domain.roles import Role
from desk_app.errors import ValidationError
from desk_app.services.context import ServiceContext


class DirectoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def add_org(self, name: str, tier: str = "standard") -> Org:
        clean = " ".join(name.split())
        if not 1 <= len(clean) <= 120:
            raise ValidationError({"name": "商户名称应为 1 到 120 个字"})
        with self._ctx.uow(write=True) as uow:
            if uow.session.scalar(select(OrgRow.id).where(OrgRow.name == clean)) is not None:
                raise ValidationError({"name": f"商户「{clean}」已存在"})
            row = OrgRow(name=clean, tier=tier)
            uow.session.add(row)
            uow.session.flush()
            org = Org(row.id, row.name, row.tier)
            uow.commit()
            return org

    def add_user(
        self,
        login: str,
        name: str,
        role: Role,
        *,
        org_id: int | None = None,
        groups: Iterable[str] = (),
    ) -> int:
        login = login.strip()
        errors: dict[str, str] = {}
        if not login or len(login) > 64 or any(c.isspace() for c in login):
            errors["login"] = "登录名应为 1 到 64 个字符，且不含空格"
        if not name.strip():
            errors["name"] = "姓名不能为空"
        if role is Role.MERCHANT and org_id is None:
            errors["org_id"] = "商户账号必须属于一个商户组织"
        if role.is_staff and org_id is not None:
            errors["org_id"] = "客服账号不属于商户组织"
        codes = list(dict.fromkeys(groups))
        for code in codes:
            try:
                self._ctx.taxonomy.group(code)
            except ValidationError:
                errors["groups"] = f"未知的技能组「{code}」"
        if errors:
            raise ValidationError(errors)
        with self._ctx.uow(write=True) as uow:
            s = uow.session
            if s.scalar(select(UserRow.id).where(UserRow.login == login)) is not None:
                raise ValidationError({"login": f"登录名「{login}」已被使用"})
            row = UserRow(
                login=login, name=name.strip(), role=role.value, org_id=org_id, active=True
            )
            s.add(row)
            s.flush()
            s.add_all(UserGroupRow(user_id=row.id, group_code=c) for c in codes)
            uow.commit()
            return row.id
