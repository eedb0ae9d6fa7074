"""HttpDesk: the Desk port over the team server's API (requests).

One session, timeouts on every call, retries with backoff on 502/503/504 and connection
errors for reads only (writes are retried by the outbox, which carries idempotency keys).
Errors come back as the same DeskError classes the services raise.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from desk_app.client.credentials import CredentialStore
from desk_app.client.sse import parse
from desk_app.domain.records import (
    Event,
    EventFeed,
    NewTicket,
    Org,
    Page,
    TicketDetail,
    TicketFilter,
    User,
)
from desk_app.domain.status import Status
from desk_app.domain.taxonomy import Taxonomy
from desk_app.errors import (
    BY_CODE,
    AuthError,
    ConflictError,
    DeskError,
    OfflineError,
    PermissionDenied,
    ValidationError,
)
from desk_app.wire import load

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 20.0
STREAM_READ_TIMEOUT = 45.0  # three of the server's 15 s keep-alive pings
STREAM_RETRY_S = 1.0


def _session(*, reads: bool) -> requests.Session:
    """Reads retry with backoff; writes fail fast and go to the outbox, which retries them with
    their idempotency keys (a blind transport retry of a POST could act twice)."""
    session = requests.Session()
    retry = Retry(
        total=3 if reads else 0,
        connect=2 if reads else 0,
        read=2 if reads else 0,
        status=3 if reads else 0,
        backoff_factor=0.2,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=8)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = "desk_app-desktop"
    return session


class HttpDesk:
    needs_password = True

    def __init__(self, base_url: str, *, credentials: CredentialStore | None = None) -> None:
        self._base = base_url.rstrip("/") + "/api/v1/"
        self._server = base_url.rstrip("/")
        self._reads = _session(reads=True)
        self._writes = _session(reads=False)
        self._credentials = credentials or CredentialStore()
        self._access: str | None = None
        self._refresh: str | None = None
        self._user: User | None = None
        self._taxonomy: Taxonomy | None = None

    @property
    def location(self) -> str:
        return self._server

    @property
    def credential_warning(self) -> str | None:
        return self._credentials.warning

    # ---- identity ------------------------------------------------------------------------

    def sign_in_options(self) -> list[User]:
        return []  # team mode: people type their login and password

    def sign_in(self, login: str, password: str = "") -> User:
        data = self._call(
            "POST", "auth/login", json={"login": login, "password": password}, auth=False
        )
        return self._accept_tokens(data)

    def resume(self, login: str) -> User | None:
        """Sign in again with the refresh token kept in the keyring, if there is one."""
        token = self._credentials.load(self._account(login))
        if not token:
            return None
        try:
            data = self._call("POST", "auth/refresh", json={"refresh_token": token}, auth=False)
        except AuthError:
            self._credentials.delete(self._account(login))
            return None
        return self._accept_tokens(data)

    def clone(self) -> HttpDesk:
        """Another desk signed in as the same user, with its own connection pool (for a second
        window or a worker that should not share the first one's connections)."""
        twin = HttpDesk(self._server, credentials=self._credentials)
        twin._access, twin._refresh, twin._user = self._access, self._refresh, self._user
        return twin

    def sign_out(self) -> None:
        if self._access:
            try:
                self._call("POST", "auth/logout")
            except DeskError:
                log.info("logout call failed; forgetting the session locally anyway")
        if self._user is not None:
            self._credentials.delete(self._account(self._user.login))
        self._access = self._refresh = None
        self._user = None

    def me(self) -> User:
        if self._user is None:
            raise PermissionDenied("请先登录")
        return self._user

    # ---- reference data ------------------------------------------------------------------

    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = Taxonomy.from_dict(self._call("GET", "taxonomy"))
        return self._taxonomy

    def staff(self) -> list[User]:
        return load(list[User], self._call("GET", "staff"))

    def orgs(self) -> list[Org]:
        return load(list[Org], self._call("GET", "orgs"))

    # ---- tickets -------------------------------------------------------------------------

    def list_tickets(self, flt: TicketFilter, cursor: str | None = None, limit: int = 50) -> Page:
        params = {**_filter_params(flt), "limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return load(Page, self._call("GET", "tickets", params=params))

    def count_tickets(self, flt: TicketFilter) -> int:
        return int(self._call("GET", "tickets/count", params=_filter_params(flt)))

    def get_ticket(self, ticket_id: int) -> TicketDetail:
        return load(TicketDetail, self._call("GET", f"tickets/{ticket_id}"))

    def events_since(self, after: int, limit: int = 500) -> list[Event]:
        return list(self.event_feed(after, limit).events)

    def event_feed(self, after: int, limit: int = 500) -> EventFeed:
        return load(
            EventFeed, self._call("GET", "events/feed", params={"after": after, "limit": limit})
        )

    def stream_events(self, after: int, stop: threading.Event) -> Iterator[Event]:
        """Live events after `after`, until `stop` is set; reconnects on its own.

        The server pings every 15 s, so a read that stays silent for STREAM_READ_TIMEOUT means the
        connection is dead and is replaced; the stream resumes from the last id it saw.
        """
        cursor = after
        while not stop.is_set():
            try:
                with self._reads.get(
                    urljoin(self._base, "events/stream"),
                    params={"after": cursor},
                    headers={
                        "Authorization": f"Bearer {self._access}",
                        "Accept": "text/event-stream",
                    },
                    stream=True,
                    timeout=(CONNECT_TIMEOUT, STREAM_READ_TIMEOUT),
                ) as response:
                    if response.status_code == 401 and self._refresh:
                        self._renew()
                        continue
                    if response.status_code >= 400:
                        raise _error(response)
                    response.encoding = "utf-8"  # SSE is always UTF-8 (the HTML standard)
                    lines = (
                        x if isinstance(x, str) else x.decode()
                        for x in response.iter_lines(decode_unicode=True)
                    )
                    for message in parse(lines):
                        if message.id and message.id.isdigit():
                            cursor = max(cursor, int(message.id))
                        if message.event == "event":
                            yield load(Event, json.loads(message.data))
                        if stop.is_set():
                            return
            except requests.RequestException:
                stop.wait(STREAM_RETRY_S)

    def create_ticket(self, draft: NewTicket) -> TicketDetail:

        body = {
            "subject": draft.subject,
            "description": draft.description,
            "category": draft.category,
            "subcategory": draft.subcategory,
            "priority": draft.priority.value if draft.priority else None,
            "org_id": draft.org_id,
            "fields": draft.fields,
        }
        headers = {"Idempotency-Key": draft.idempotency_key} if draft.idempotency_key else {}
        return load(TicketDetail, self._call("POST", "tickets", json=body, headers=headers))

    def transition(
        self, ticket_id: int, version: int, target: Status, reason: str | None = None
    ) -> TicketDetail:
        return self._write(
            "POST",
            f"tickets/{ticket_id}/transitions",
            version,
            {"target": target.value, "reason": reason},
        )

    def reply(
        self,
        ticket_id: int,
        version: int,
        body: str,
        new_status: Status | None = None,
        message_key: str | None = None,
    ) -> TicketDetail:
        payload = {"body": body, "new_status": new_status.value if new_status else None}
        return self._write("POST", f"tickets/{ticket_id}/replies", version, payload, message_key)

    def note(
        self, ticket_id: int, version: int, body: str, message_key: str | None = None
    ) -> TicketDetail:
        return self._write(
            "POST", f"tickets/{ticket_id}/notes", version, {"body": body}, message_key
        )

    def assign(self, ticket_id: int, version: int, owner_id: int | None) -> TicketDetail:
        return self._write("PUT", f"tickets/{ticket_id}/owner", version, {"owner_id": owner_id})

    # ---- plumbing ------------------------------------------------------------------------

    def _write(
        self, method: str, path: str, version: int, body: dict[str, Any], key: str | None = None
    ) -> TicketDetail:
        headers = {"If-Match": f'"v{version}"'}
        if key:
            headers["Idempotency-Key"] = key
        data = self._call(method, path, json=body, headers=headers)
        return load(TicketDetail, data)

    def _accept_tokens(self, data: dict[str, Any]) -> User:
        self._access = data["access_token"]
        self._refresh = data.get("refresh_token")
        self._user = load(User, data["user"])
        if self._refresh:
            self._credentials.save(self._account(self._user.login), self._refresh)
        return self._user

    def _account(self, login: str) -> str:
        return f"{self._server}|{login}"

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Any:
        response = self._send(method, path, params=params, json=json, headers=headers, auth=auth)
        if response.status_code == 401 and auth and self._refresh:
            self._renew()
            response = self._send(
                method, path, params=params, json=json, headers=headers, auth=auth
            )
        if response.status_code >= 400:
            raise _error(response)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
        headers: dict[str, str] | None,
        auth: bool,
    ) -> requests.Response:
        all_headers = dict(headers or {})
        if auth:
            if self._access is None:
                raise PermissionDenied("请先登录")
            all_headers["Authorization"] = f"Bearer {self._access}"
        try:
            http = self._reads if method in ("GET", "HEAD") else self._writes
            return http.request(
                method,
                urljoin(self._base, path),
                params=params,
                json=json,
                headers=all_headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            )
        except requests.RequestException as exc:
            raise OfflineError(
                f"无法连接服务器 {self._server}：请检查网络，稍后会自动重试。"
            ) from exc

    def _renew(self) -> None:
        data = self._call("POST", "auth/refresh", json={"refresh_token": self._refresh}, auth=False)
        self._accept_tokens(data)


def _filter_params(flt: TicketFilter) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if flt.statuses:
        params["status"] = [s.value for s in flt.statuses]
    if flt.categories:
        params["category"] = list(flt.categories)
    if flt.subcategories:
        params["subcategory"] = list(flt.subcategories)
    if flt.priorities:
        params["priority"] = [p.value for p in flt.priorities]
    for key in ("owner", "group", "org_id"):
        value = getattr(flt, key)
        if value is not None:
            params[key] = value
    if flt.text:
        params["q"] = flt.text
    return params


def _error(response: requests.Response) -> DeskError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = body.get("message") if isinstance(body, dict) else None
    if not message:
        message = f"服务器返回错误 {response.status_code}，请稍后重试。"
    code = body.get("code") if isinstance(body, dict) else None
    cls = BY_CODE.get(str(code), DeskError)
    if response.status_code == 428:
        return DeskError(message)
    if cls is ValidationError:
        return ValidationError(body.get("fields") or {}, message)
    if cls is ConflictError:
        current = body.get("current")
        return ConflictError(message, current=load(TicketDetail, current) if current else None)
    if response.status_code >= 500 and cls is DeskError:
        return DeskError(message)
    return cls(message)
