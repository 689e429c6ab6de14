"""Models of the cart slice."""
