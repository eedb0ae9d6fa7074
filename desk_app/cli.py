"""The `desk` command: the window by default; demo data, audit and more as subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desk_app import __version__
from desk_app.errors import DeskError
from desk_app.paths import data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk",
        description="desk_app 卡盟工单工作台。不带子命令时打开窗口。",
    )
    parser.add_argument("--version", action="version", version=f"desk_app {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="数据目录（默认：系统的用户数据目录；也可用环境变量 DESK_DATA_DIR）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="记录调试日志")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="打开窗口（默认）")
    demo = sub.add_parser("demo", help="向数据库填充演示数据（无需窗口）")
    demo.add_argument("--tickets", type=int, default=300, help="演示工单数量（默认 300）")
    demo.add_argument("--seed", type=int, default=20261123, help="随机种子，相同种子生成相同数据")
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
        return _gui(directory, verbose=args.verbose)
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


def _gui(directory: Path, *, verbose: bool) -> int:
    from desk_app.app import local_desk, setup_logging
    from desk_app.ui.main import run_gui

    log_path = setup_logging(directory, verbose=verbose)
    return run_gui(lambda: local_desk(directory), log_path=log_path)
