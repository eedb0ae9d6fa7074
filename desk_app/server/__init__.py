"""Team mode: the HTTP API (FastAPI) over the same services, usually on PostgreSQL."""
