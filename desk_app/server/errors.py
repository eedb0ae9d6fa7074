"""DeskError → HTTP status and a JSON body the client turns back into the same error."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from desk_app import errors
from desk_app.domain.records import TicketDetail
from desk_app.server.validation_text import message_for
from desk_app.wire import dump

log = logging.getLogger(__name__)

STATUS: dict[type[errors.DeskError], int] = {
    errors.ValidationError: 422,
    errors.NotFound: 404,
    errors.PermissionDenied: 403,
    errors.AuthError: 401,
    errors.ConflictError: 412,
    errors.IllegalTransition: 409,
    errors.StorageError: 503,
    errors.ConfigError: 500,
}


class PreconditionRequired(errors.DeskError):
    code = "precondition_required"


def status_for(exc: errors.DeskError) -> int:
    if isinstance(exc, PreconditionRequired):
        return 428
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 409  # a rule of the desk refused the request (e.g. replying to a closed ticket)


def error_body(exc: errors.DeskError) -> dict[str, object]:
    body = exc.to_dict()
    if isinstance(exc, errors.ConflictError) and isinstance(exc.current, TicketDetail):
        body["current"] = dump(TicketDetail, exc.current)
    return body


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.DeskError)
    async def _desk_error(_request: Request, exc: errors.DeskError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, errors.AuthError) else None
        return JSONResponse(error_body(exc), status_code=status_for(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields: dict[str, str] = {}
        for item in exc.errors():
            loc = [
                str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path", "header")
            ]
            fields[".".join(loc) or "request"] = message_for(item)
        message = "请求格式不正确：" + "；".join(f"{k}: {v}" for k, v in fields.items())
        return JSONResponse(
            {"code": "validation", "message": message, "fields": fields}, status_code=422
        )
