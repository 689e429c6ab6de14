"""Models of the observatory slice."""
