"""Models of the search slice."""
