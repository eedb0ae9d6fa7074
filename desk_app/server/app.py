"""The FastAPI application for one server process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from sqlalchemy import Engine

from desk_app import __version__
from desk_app.db.engine import SERVER_POOL_SIZE
from desk_app.db.uow import uow_factory
from desk_app.server import errors
from desk_app.server.notify import EventNotifier
from desk_app.server.routes import router
from desk_app.server.state import ServerState
from desk_app.services.context import ServiceContext

MAX_BODY = 2_000_000  # attachments come later through their own endpoint


def create_app(engine: Engine, ctx: ServiceContext | None = None) -> FastAPI:
    state = ServerState(ctx or ServiceContext(uow_factory(engine)), engine, EventNotifier())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Endpoints run on worker threads; more of them than pooled connections would only
        # queue on the pool (or churn connections), so the two are sized together.
        to_thread.current_default_thread_limiter().total_tokens = SERVER_POOL_SIZE
        state.notifier.listen(engine)
        if state.page_reads is not None:
            await state.page_reads.open()
        try:
            yield
        finally:
            state.notifier.close()
            if state.page_reads is not None:
                await state.page_reads.close()
            state.run.close()

    app = FastAPI(
        title="desk_app API",
        version=__version__,
        description="卡盟工单工作台的团队模式接口。每个写操作都要带 If-Match（读取时的版本）。",
        lifespan=lifespan,
        max_body_size=MAX_BODY,
    )
    app.state.desk = state
    errors.install(app)
    app.include_router(router)
    return app
