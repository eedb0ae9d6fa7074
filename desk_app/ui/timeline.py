"""The conversation and progress timeline of one ticket, as rich text.

Everything the users typed is HTML-escaped: a merchant's "<script>" is shown, never run or
rendered. Internal notes are marked and coloured so nobody mistakes them for replies.
"""

from __future__ import annotations

from html import escape

from desk_app.domain.events import EventKind
from desk_app.domain.records import Event, TicketDetail
from desk_app.domain.status import Status
from desk_app.ui.format import STATUS_COLORS, local_time, role_label, status_label
from desk_app.ui.i18n import tr

NOTE_BG = "#fff7d6"
MERCHANT_BG = "#f0f5ff"
STAFF_BG = "#f6ffed"


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def _status(value: str) -> str:
    status = Status(value)
    return f'<b style="color:{STATUS_COLORS[status]}">{escape(status_label(status))}</b>'


def _who(e: Event) -> str:
    return f"<b>{escape(e.actor_name)}</b> <span style='color:#8c8c8c'>（{escape(role_label(e.actor_role))}）</span>"


def _when(e: Event) -> str:
    return f"<span style='color:#8c8c8c'>{local_time(e.at)}</span>"


def event_html(e: Event) -> str:
    if e.kind.is_message:
        if e.kind is EventKind.NOTE:
            bg, label = NOTE_BG, tr("内部备注 · 商户不可见")
        elif e.kind is EventKind.CUSTOMER_REPLIED:
            bg, label = MERCHANT_BG, tr("商户回复")
        else:
            bg, label = STAFF_BG, tr("客服回复")
        return (
            f"<table width='100%' cellpadding='8' style='background:{bg};margin:4px 0'><tr><td>"
            f"{_who(e)} · {escape(label)} · {_when(e)}<br>{_text(e.body or '')}</td></tr></table>"
        )
    match e.kind:
        case EventKind.CREATED:
            what = tr("创建了工单")
        case EventKind.STATUS_CHANGED:
            what = f"{tr('状态')}：{_status(e.payload['from'])} → {_status(e.payload['to'])}"
            if e.payload.get("reason"):
                what += f"（{_text(str(e.payload['reason']))}）"
        case EventKind.ASSIGNED:
            target = e.payload.get("to_name")
            what = tr("分配给 ") + escape(target) if target else tr("取消了处理人")
        case _:
            what = escape(tr(e.kind.label))
    return f"<p style='margin:2px 0'>● {_when(e)} {_who(e)} {what}</p>"


def ticket_html(detail: TicketDetail) -> str:
    parts = [
        f"<h3 style='margin:4px 0'>{tr('问题描述')}</h3>",
        f"<p>{_text(detail.description)}</p>",
        f"<p style='color:#8c8c8c'>{tr('提交人')}：{escape(detail.created_by_name)}</p>",
        f"<h3 style='margin:12px 0 4px'>{tr('处理进度')}</h3>",
    ]
    parts.extend(event_html(e) for e in detail.events)
    return "".join(parts)
