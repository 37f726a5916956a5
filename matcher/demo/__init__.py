"""matcher/demo."""
