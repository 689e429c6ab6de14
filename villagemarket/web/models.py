"""Models of the web slice."""
