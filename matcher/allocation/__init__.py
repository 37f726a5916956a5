"""matcher/allocation."""
