"""matcher/store."""
