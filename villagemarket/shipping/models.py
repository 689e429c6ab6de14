"""Freight templates and carriers."""
