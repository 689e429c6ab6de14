"""Models of the api slice."""
