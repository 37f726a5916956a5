"""matcher/ingest."""
