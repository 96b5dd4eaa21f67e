"""Reports and returns (issue 13): the dashboard, the Tenant Satisfaction Measures, the annual
complaints performance report with its self-assessment, and the quarterly board report.

Every figure is a query over the cases at the moment it is asked for, never a copy; a saved
document keeps the figures it was made from beside its PDF, so what the board saw can be shown
again exactly. The app sits above ``learning`` (themes, root causes, remedies and learning
actions are part of the figures) and below the interfaces.
"""
