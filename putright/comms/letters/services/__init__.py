"""Writes: letters and their templates. Each is one transaction with its timeline event."""
