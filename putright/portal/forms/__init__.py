"""The public pages' forms: the complaint form's questions (``complain``)."""
