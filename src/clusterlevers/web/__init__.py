"""Web adapter: the navigation panel and the JSON API (FastAPI)."""
