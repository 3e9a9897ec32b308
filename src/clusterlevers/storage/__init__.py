"""Storage adapter: saved, versioned scenarios (SQLAlchemy; SQLite by default, PostgreSQL by URL)."""
