"""Writes of the reports app: each in one transaction."""
