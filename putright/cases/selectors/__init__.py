"""Reads: the named queries pages, the API and reports use, each with a fixed query count."""
