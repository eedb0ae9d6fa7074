"""schemathesis against the server's own OpenAPI document: no input may cause a server error.

The generated requests are sent as an admin and as a merchant, since their permission paths
differ. (schemathesis' lazy pytest fixture does not work with pytest 9, so the operations are
walked here and each gets its own Hypothesis run.)
"""

from __future__ import annotations

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from desk_app.services.auth import AuthService
from desk_app.services.users import UserService, actor_of
from tests.support import World

EXAMPLES = 25


def test_no_input_causes_a_server_error(served_world: World) -> None:
    base = served_world.server_url
    assert base
    spec = requests.get(f"{base}/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(spec)
    # The live stream never ends by design; it has its own tests (test_live_events.py).
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if not op.path.endswith("/stream")
    ]
    assert len(operations) >= 15  # every operation of the Desk port, plus sign-in and health

    for operation in operations:
        # Fresh API tokens per operation: fuzzing /auth/logout revokes the token it is sent with.
        headers = [_auth(served_world, login) for login in ("admin", "m_star")]
        _fuzz(operation, base, headers)


def _fuzz(operation: schemathesis.APIOperation, base: str, headers: list[dict[str, str]]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def no_server_error(case: schemathesis.Case) -> None:
        for auth in headers:
            case.call_and_validate(base_url=base, headers=auth, checks=[not_a_server_error])

    no_server_error()


def _auth(world: World, login: str) -> dict[str, str]:
    user = UserService(world.ctx).by_login(login)
    secret = AuthService(world.ctx).create_api_token(actor_of(user), user.id, "schemathesis")
    return {"Authorization": f"Bearer {secret}"}
