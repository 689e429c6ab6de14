"""Models of the payments slice."""
