"""Forms of the workspace, rendered with GOV.UK Design System markup."""
