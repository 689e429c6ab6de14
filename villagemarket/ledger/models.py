"""Models of the ledger slice."""
