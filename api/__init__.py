"""The thin HTTP service (FastAPI)."""
