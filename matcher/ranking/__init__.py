"""matcher/ranking."""
