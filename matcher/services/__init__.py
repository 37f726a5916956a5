"""matcher/services."""
