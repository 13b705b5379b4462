"""The local SQLite store: schema, migrations and the queries the services need."""
