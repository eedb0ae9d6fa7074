"""The HTTP API itself: status codes, headers, sign-in rules, every endpoint with every role."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from desk_app.services.auth import MAX_FAILURES, AuthService
from desk_app.services.users import UserService, actor_of
from tests.support import PASSWORD, World


def api(world: World, path: str) -> str:
    assert world.server_url
    return f"{world.server_url}/api/v1/{path}"


def token(world: World, login: str) -> str:
    r = requests.post(
        api(world, "auth/login"), json={"login": login, "password": PASSWORD}, timeout=10
    )
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def call(world: World, method: str, path: str, login: str | None, **kw: Any) -> requests.Response:
    headers = kw.pop("headers", {})
    if login:
        headers["Authorization"] = f"Bearer {token(world, login)}"
    return requests.request(method, api(world, path), headers=headers, timeout=10, **kw)


def test_health_needs_no_sign_in(served_world: World) -> None:
    r = requests.get(api(served_world, "health"), timeout=5)
    assert r.status_code == 200 and r.json()["database"] == "ok"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "me"),
        ("GET", "tickets"),
        ("GET", "tickets/count"),
        ("GET", "tickets/1"),
        ("GET", "taxonomy"),
        ("GET", "staff"),
        ("GET", "orgs"),
        ("GET", "events"),
        ("GET", "events/feed"),
        ("POST", "tickets"),
        ("POST", "tickets/1/replies"),
        ("POST", "tickets/1/notes"),
        ("POST", "tickets/1/transitions"),
        ("PUT", "tickets/1/owner"),
    ],
)
def test_every_endpoint_wants_a_token(served_world: World, method: str, path: str) -> None:
    r = requests.request(method, api(served_world, path), json={}, timeout=5)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == "Bearer"
    assert r.json()["code"] == "unauthenticated"
    bad = requests.request(
        method,
        api(served_world, path),
        json={},
        headers={"Authorization": "Bearer nope"},
        timeout=5,
    )
    assert bad.status_code == 401


ROLES = ["m_star", "m_moon", "a_trade", "a_goods", "x_tech", "admin"]
# What each role gets from each endpoint, on a ticket of 星辰卡盟 in the trade group.
MATRIX: dict[str, dict[str, int]] = {
    "GET ticket": {
        "m_star": 200,
        "m_moon": 404,
        "a_trade": 200,
        "a_goods": 404,
        "x_tech": 404,
        "admin": 200,
    },
    "reply": {
        "m_star": 200,
        "m_moon": 404,
        "a_trade": 200,
        "a_goods": 404,
        "x_tech": 404,
        "admin": 200,
    },
    "note": {
        "m_star": 403,
        "m_moon": 403,
        "a_trade": 200,
        "a_goods": 404,
        "x_tech": 404,
        "admin": 200,
    },
    "assign": {
        "m_star": 403,
        "m_moon": 403,
        "a_trade": 200,
        "a_goods": 404,
        "x_tech": 404,
        "admin": 200,
    },
    "transition": {
        "m_star": 403,
        "m_moon": 404,
        "a_trade": 200,
        "a_goods": 404,
        "x_tech": 404,
        "admin": 200,
    },
    "staff": {
        "m_star": 403,
        "m_moon": 403,
        "a_trade": 200,
        "a_goods": 200,
        "x_tech": 200,
        "admin": 200,
    },
    "list": {
        "m_star": 200,
        "m_moon": 200,
        "a_trade": 200,
        "a_goods": 200,
        "x_tech": 200,
        "admin": 200,
    },
}


@pytest.mark.parametrize("login", ROLES)
def test_every_endpoint_with_every_role(served_world: World, login: str) -> None:
    w = served_world
    got: dict[str, int] = {}
    t = w.ticket()
    tid, v = t.summary.id, t.summary.version
    etag = {"If-Match": f'"v{v}"'}
    got["GET ticket"] = call(w, "GET", f"tickets/{tid}", login).status_code
    got["note"] = call(
        w, "POST", f"tickets/{tid}/notes", login, json={"body": "备注"}, headers=dict(etag)
    ).status_code
    t = w.ticket()
    tid, etag = t.summary.id, {"If-Match": f'"v{t.summary.version}"'}
    got["reply"] = call(
        w, "POST", f"tickets/{tid}/replies", login, json={"body": "回复"}, headers=dict(etag)
    ).status_code
    t = w.ticket()
    tid, etag = t.summary.id, {"If-Match": f'"v{t.summary.version}"'}
    got["assign"] = call(
        w,
        "PUT",
        f"tickets/{tid}/owner",
        login,
        json={"owner_id": w.users["a_trade"]},
        headers=dict(etag),
    ).status_code
    t = w.ticket()
    tid, etag = t.summary.id, {"If-Match": f'"v{t.summary.version}"'}
    got["transition"] = call(
        w, "POST", f"tickets/{tid}/transitions", login, json={"target": "open"}, headers=dict(etag)
    ).status_code
    got["staff"] = call(w, "GET", "staff", login).status_code
    r = call(w, "GET", "tickets", login)
    got["list"] = r.status_code
    assert got == {k: v[login] for k, v in MATRIX.items()}
    visible = {x["org_name"] for x in r.json()["items"]}
    if login == "m_moon":
        assert visible == set()
    if login.startswith(("a_goods", "x_")):
        assert visible == set()


def test_writes_need_the_version_they_read(served_world: World) -> None:
    w = served_world
    t = w.ticket()
    path = f"tickets/{t.summary.id}/replies"
    missing = call(w, "POST", path, "a_trade", json={"body": "x"})
    assert missing.status_code == 428 and "If-Match" in missing.json()["message"]
    garbled = call(w, "POST", path, "a_trade", json={"body": "x"}, headers={"If-Match": "banana"})
    assert garbled.status_code == 422
    ok = call(
        w,
        "POST",
        path,
        "a_trade",
        json={"body": "x"},
        headers={"If-Match": f'"v{t.summary.version}"'},
    )
    assert ok.status_code == 200
    assert ok.headers["ETag"] == f'"v{ok.json()["summary"]["version"]}"'
    stale = call(
        w,
        "POST",
        path,
        "a_trade2",
        json={"body": "y"},
        headers={"If-Match": f'"v{t.summary.version}"'},
    )
    assert stale.status_code == 412
    body = stale.json()
    assert (
        body["code"] == "conflict"
        and body["current"]["summary"]["version"] == ok.json()["summary"]["version"]
    )


def test_get_carries_the_etag(served_world: World) -> None:
    t = served_world.ticket()
    r = call(served_world, "GET", f"tickets/{t.summary.id}", "admin")
    assert r.headers["ETag"] == f'"v{t.summary.version}"'


def test_creation_is_idempotent_over_http(served_world: World) -> None:
    body = {
        "subject": "重复提交",
        "description": "网络抖动",
        "category": "trade",
        "subcategory": "refund",
    }
    headers = {"Idempotency-Key": "same-key-123"}
    tok = token(served_world, "m_star")
    first = requests.post(
        api(served_world, "tickets"),
        json=body,
        headers={**headers, "Authorization": f"Bearer {tok}"},
        timeout=5,
    )
    again = requests.post(
        api(served_world, "tickets"),
        json=body,
        headers={**headers, "Authorization": f"Bearer {tok}"},
        timeout=5,
    )
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["summary"]["number"] == again.json()["summary"]["number"]


def test_validation_errors_name_fields(served_world: World) -> None:
    r = call(
        served_world,
        "POST",
        "tickets",
        "m_star",
        json={"subject": "", "description": "", "category": "x", "subcategory": "y"},
    )
    assert r.status_code == 422
    assert set(r.json()["fields"]) >= {"subject", "description"}
    r = call(
        served_world,
        "POST",
        "tickets",
        "m_star",
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["code"] == "validation"
    r = call(served_world, "GET", "tickets", "admin", params={"limit": 0})
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status.0"),
        ({"status": ["new", "nope"]}, "status.1"),
        ({"limit": "many"}, "limit"),
        ({"owner": "x" * 50}, "owner"),
        ({"colour": "red"}, "colour"),
        ({"q": "一 二 三 四 五 六 七 八 九"}, "q"),  # more search terms than the index takes
    ],
)
def test_bad_queue_queries_name_the_parameter(
    served_world: World, params: dict[str, Any], field: str
) -> None:
    for path in ("tickets", "tickets/count"):
        r = call(served_world, "GET", path, "admin", params=params)
        assert r.status_code == 422, r.text
        assert field in r.json()["fields"], r.json()
        # Said in the user's language, not pydantic's English.
        assert re.search(r"[\u4e00-\u9fff]", r.json()["fields"][field]), r.json()
        assert "Input" not in r.json()["message"]


def test_a_queue_filter_the_database_refuses_is_a_422(served_world: World) -> None:
    # PostgreSQL refuses NUL in text; the queue page is read by the driver itself (db/driver.py)
    r = call(served_world, "GET", "tickets", "admin", params={"subcategory": "a\x00b"})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation"


def test_queue_query_takes_repeated_statuses(served_world: World) -> None:
    served_world.ticket()
    open_ones = {"status": ["new", "open"], "limit": 5}
    r = call(served_world, "GET", "tickets", "admin", params=open_ones)
    assert r.status_code == 200 and len(r.json()["items"]) == 1
    r = call(served_world, "GET", "tickets/count", "admin", params={"status": ["closed"]})
    assert r.status_code == 200 and r.json() == 0


def test_openapi_documents_the_queue_filters(served_world: World) -> None:
    doc = requests.get(f"{served_world.server_url}/openapi.json", timeout=10).json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/tickets"]["get"]["parameters"]}
    assert {"status", "q", "cursor", "limit", "owner"} <= set(params)
    assert params["status"]["schema"]["type"] == "array"
    assert "new" in params["status"]["schema"]["items"]["enum"]
    # The queue reads parse their Authorization header themselves; it is still documented,
    # as on every endpoint that takes the actor as a dependency.
    for path in ("/api/v1/tickets", "/api/v1/tickets/count", "/api/v1/me"):
        header = [p for p in doc["paths"][path]["get"]["parameters"] if p["in"] == "header"]
        assert [p["name"] for p in header] == ["authorization"], path


def test_queue_reads_refuse_a_missing_or_foreign_token(served_world: World) -> None:
    for path in ("tickets", "tickets/count"):
        url = api(served_world, path)
        assert requests.get(url, timeout=5).status_code == 401
        r = requests.get(url, headers={"Authorization": "Basic abc"}, timeout=5)
        assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
        r = requests.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=5)
        assert r.status_code == 401


def test_huge_bodies_are_refused(served_world: World) -> None:
    r = call(
        served_world,
        "POST",
        "tickets",
        "m_star",
        json={
            "subject": "大",
            "description": "x" * 3_000_000,
            "category": "trade",
            "subcategory": "refund",
        },
    )
    assert r.status_code == 413


def test_lockout_after_repeated_failures(served_world: World) -> None:
    url = api(served_world, "auth/login")
    for _ in range(MAX_FAILURES):
        r = requests.post(url, json={"login": "a_goods", "password": "wrong-password"}, timeout=10)
        assert r.status_code == 401 and "错误" in r.json()["message"]
    locked = requests.post(url, json={"login": "a_goods", "password": PASSWORD}, timeout=10)
    assert locked.status_code == 401 and "锁定" in locked.json()["message"]
    # Other accounts are not affected; an unknown login says the same as a wrong password.
    assert (
        requests.post(url, json={"login": "a_trade", "password": PASSWORD}, timeout=10).status_code
        == 200
    )
    unknown = requests.post(url, json={"login": "ghost", "password": "whatever1"}, timeout=10)
    assert unknown.json()["message"] == "登录名或密码错误"


def test_refresh_rotates_and_logout_revokes(served_world: World) -> None:
    w = served_world
    login = requests.post(
        api(w, "auth/login"), json={"login": "m_star", "password": PASSWORD}, timeout=10
    ).json()
    refreshed = requests.post(
        api(w, "auth/refresh"), json={"refresh_token": login["refresh_token"]}, timeout=10
    )
    assert refreshed.status_code == 200
    reused = requests.post(
        api(w, "auth/refresh"), json={"refresh_token": login["refresh_token"]}, timeout=10
    )
    assert reused.status_code == 401  # a refresh token is spent once
    new_access = refreshed.json()["access_token"]
    auth = {"Authorization": f"Bearer {new_access}"}
    assert requests.get(api(w, "me"), headers=auth, timeout=5).json()["login"] == "m_star"
    assert requests.post(api(w, "auth/logout"), headers=auth, timeout=5).status_code == 204
    assert requests.get(api(w, "me"), headers=auth, timeout=5).status_code == 401


def test_api_tokens_work_for_scripts(served_world: World) -> None:
    w = served_world
    admin = actor_of(UserService(w.ctx).by_login("admin"))
    secret = AuthService(w.ctx).create_api_token(admin, w.users["a_trade"], "夜间导出脚本")
    r = requests.get(
        api(w, "tickets/count"), headers={"Authorization": f"Bearer {secret}"}, timeout=5
    )
    assert r.status_code == 200
    agent = actor_of(UserService(w.ctx).by_login("a_trade"))
    with pytest.raises(Exception, match="管理员"):
        AuthService(w.ctx).create_api_token(agent, w.users["admin"], "越权")
