"""Writes of learning: each is one transaction with its audit row (see ``cases.services.steps``)."""
