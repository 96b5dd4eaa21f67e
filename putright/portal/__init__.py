"""The public side: the complaint form, and the customer's view of their case."""
