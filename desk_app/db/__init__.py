"""Persistence: schema, engine set-up, migrations, unit of work and read-side queries."""
