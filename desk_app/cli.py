"""The `desk` command: the window by default; demo data, audit and more as subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from desk_app import __version__
from desk_app.cli_parser import DeskArgumentParser
from desk_app.domain.roles import Role
from desk_app.errors import DeskError
from desk_app.paths import data_dir, database_file


def build_parser() -> argparse.ArgumentParser:
    parser = DeskArgumentParser(
        prog="desk",
        description="desk_app 卡盟工单工作台。不带子命令时打开窗口。",
    )
    parser.add_argument(
        "--version", action="version", version=f"desk_app {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="数据目录（默认：系统的用户数据目录；也可用环境变量 DESK_DATA_DIR）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="记录调试日志")
    parser.add_argument(
        "--server",
        metavar="URL",
        help="连接团队服务器（如 http://desk.example:8765），而不是本机数据库",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="打开窗口（默认）")
    demo = sub.add_parser("demo", help="向数据库填充演示数据（无需窗口）")
    demo.add_argument("--tickets", type=int, default=300, help="演示工单数量（默认 300）")
    demo.add_argument("--seed", type=int, default=20261123, help="随机种子，相同种子生成相同数据")
    serve = sub.add_parser("serve", help="运行团队服务器（HTTP API）")
    serve.add_argument("--config", type=Path, help="TOML 配置文件")
    serve.add_argument(
        "--database-url",
        help="数据库地址，如 postgresql+psycopg://user@host/desk（默认：数据目录中的 SQLite）",
    )
    serve.add_argument("--host", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, help="端口（默认 8765）")
    serve.add_argument("--workers", type=int, help="工作进程数（默认 1；多于 1 需要 PostgreSQL）")
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_const",
        const=False,
        help="不逐条记录请求（前面的代理已记录时）",
    )
    serve.add_argument(
        "--statement-timeout",
        dest="statement_timeout_s",
        type=int,
        metavar="SECONDS",
        help="单条查询最长秒数，超时即取消（默认 30；0 为不限）",
    )
    serve.add_argument("--migrate", action="store_true", help="启动前把数据库结构升级到最新版本")
    serve.add_argument("--migrate-only", action="store_true", help="只升级数据库结构，然后退出")

    user = sub.add_parser("user", help="管理用户（团队服务器的数据库）")
    user.add_argument("--database-url", help="数据库地址（默认：数据目录中的 SQLite）")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="新建用户；密码从标准输入读取")
    add.add_argument("login")
    add.add_argument("--name", required=True, help="显示的姓名")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--org", help="商户组织名称（商户必填；不存在时创建）")
    add.add_argument("--group", action="append", default=[], help="技能组代码，可重复")
    password = user_sub.add_parser("password", help="设置密码；新密码从标准输入读取")
    password.add_argument("login")

    audit = sub.add_parser("audit", help="审计记录")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit_sub.add_parser("verify", help="校验每张工单的事件哈希链，发现断链时以非零状态退出")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    directory = data_dir(args.data_dir)
    try:
        if args.command == "demo":
            return _demo(directory, args.tickets, args.seed)
        if args.command == "audit":
            return _audit_verify(directory)
        if args.command in ("serve", "user"):
            try:
                return (
                    _serve(directory, args) if args.command == "serve" else _user(directory, args)
                )
            except ModuleNotFoundError as exc:
                print(
                    f"desk: 缺少团队服务器组件（{exc.name}）。请安装：pip install -e '.[server]'",
                    file=sys.stderr,
                )
                return 2
        return _gui(directory, verbose=args.verbose, server=args.server)
    except DeskError as exc:
        print(f"desk: {exc.message}", file=sys.stderr)
        return 2


def _demo(directory: Path, tickets: int, seed: int) -> int:
    from desk_app.app import open_embedded
    from desk_app.services.demo import DemoOptions, fill_demo

    if not 1 <= tickets <= 100_000:
        print("desk: --tickets 应在 1 到 100000 之间", file=sys.stderr)
        return 2
    ctx, _engine = open_embedded(directory)
    summary = fill_demo(ctx, DemoOptions(tickets=tickets, seed=seed))
    print(summary)
    return 0


def _audit_verify(directory: Path) -> int:
    from desk_app.app import open_embedded
    from desk_app.services.audit import AuditService

    ctx, _engine = open_embedded(directory)
    report = AuditService(ctx).verify()
    if report.ok:
        print(f"审计通过：{report.tickets} 张工单，{report.events} 条事件，哈希链完整。")
        return 0
    print(f"审计失败：{len(report.broken)} 张工单的哈希链断裂。", file=sys.stderr)
    print(f"第一处断链：{report.broken[0].describe()}", file=sys.stderr)
    for link in report.broken[1:20]:
        print(f"  另见：{link.describe()}", file=sys.stderr)
    return 1


def _gui(directory: Path, *, verbose: bool, server: str | None) -> int:
    from desk_app.app import local_desk, setup_logging
    from desk_app.ui.main import run_gui

    log_path = setup_logging(directory, verbose=verbose)
    if server:
        from desk_app.app import team_desk

        return run_gui(lambda _upgrading: team_desk(directory, server), log_path=log_path)
    return run_gui(lambda upgrading: local_desk(directory, on_upgrade=upgrading), log_path=log_path)


def _database_url(directory: Path, url: str | None) -> str:
    return url or f"sqlite:///{database_file(directory)}"


def _serve(directory: Path, args: argparse.Namespace) -> int:
    from desk_app.config import load_settings
    from desk_app.server.main import serve

    settings = load_settings(
        args.config,
        database_url=args.database_url,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        statement_timeout_s=args.statement_timeout_s,
    )
    if not settings.database_url:
        directory.mkdir(parents=True, exist_ok=True)
        settings = replace(settings, database_url=_database_url(directory, None))
    if args.migrate_only:
        from desk_app.db.migrate import open_server_database

        open_server_database(settings.database_url, migrate=True).dispose()
        print("数据库结构已是最新版本。")
        return 0
    serve(settings, migrate=args.migrate)
    return 0


def _user(directory: Path, args: argparse.Namespace) -> int:
    from desk_app.db.migrate import open_server_database
    from desk_app.db.uow import uow_factory
    from desk_app.services.auth import AuthService, check_password_policy
    from desk_app.services.context import ServiceContext
    from desk_app.services.directory import DirectoryService
    from desk_app.services.users import UserService

    url = _database_url(directory, args.database_url)
    if url.startswith("sqlite"):
        directory.mkdir(parents=True, exist_ok=True)
    ctx = ServiceContext(uow_factory(open_server_database(url, migrate=url.startswith("sqlite"))))
    secret = sys.stdin.readline().rstrip("\r\n")
    check_password_policy(
        secret
    )  # before anything is created, so a refusal leaves no half-made user
    if args.user_command == "add":
        directory_service = DirectoryService(ctx)
        org_id = None
        if args.org:
            existing = [o for o in UserService(ctx).orgs_all() if o.name == args.org]
            org_id = existing[0].id if existing else directory_service.add_org(args.org).id
        user_id = directory_service.add_user(
            args.login, args.name, Role(args.role), org_id=org_id, groups=args.group
        )
        AuthService(ctx).set_password(user_id, secret)
        print(f"已创建用户 {args.login}（{Role(args.role).label}）。")
        return 0
    user = UserService(ctx).by_login(args.login)
    AuthService(ctx).set_password(user.id, secret)
    print(f"已更新 {args.login} 的密码。")
    return 0
