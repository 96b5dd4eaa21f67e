"""A page for every step of the procedure, each on its case service.

``framework`` turns a ``StepPage`` (the step, its form, what it calls) into
a view; the other modules declare the pages, grouped as the API's are.
"""
