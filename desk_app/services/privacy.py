"""Personal data shown to staff is masked (DESIGN §3.6).

Merchants see their own organisation's text as they wrote it. Staff (agents, experts, admins)
see ID card, bank card and mobile numbers masked in lists, details and timelines; revealing a
full value will be its own audited action. Search still indexes the full text, so an agent can
find a ticket by the phone number a caller reads out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from desk_app.domain.masking import mask_text
from desk_app.domain.records import Event, TicketDetail, TicketSummary
from desk_app.domain.roles import Actor

_TEXT_PAYLOAD_KEYS = ("body", "subject", "reason")


def masks_for(actor: Actor) -> bool:
    return actor.is_staff


def summary_for(actor: Actor, summary: TicketSummary) -> TicketSummary:
    return _masked_summary(summary) if masks_for(actor) else summary


def summaries_for(actor: Actor, summaries: Iterable[TicketSummary]) -> tuple[TicketSummary, ...]:
    if not masks_for(actor):
        return tuple(summaries)
    return tuple(_masked_summary(s) for s in summaries)


def _masked_summary(summary: TicketSummary) -> TicketSummary:
    masked = mask_text(summary.subject)
    # Most subjects hold nothing to mask; copying a frozen record is the costly part of a page.
    return summary if masked == summary.subject else replace(summary, subject=masked)


def event_for(actor: Actor, event: Event) -> Event:
    if not masks_for(actor):
        return event
    payload: dict[str, Any] = dict(event.payload)
    for key in _TEXT_PAYLOAD_KEYS:
        if isinstance(payload.get(key), str):
            payload[key] = mask_text(payload[key])
    return event if payload == event.payload else replace(event, payload=payload)


def detail_for(actor: Actor, detail: TicketDetail) -> TicketDetail:
    if not masks_for(actor):
        return detail
    return replace(
        detail,
        summary=summary_for(actor, detail.summary),
        description=mask_text(detail.description),
        events=tuple(event_for(actor, e) for e in detail.events),
    )
