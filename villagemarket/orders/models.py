"""Models of the orders slice."""
