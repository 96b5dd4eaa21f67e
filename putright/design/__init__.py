"""The look shared by the staff workspace and the public pages: GOV.UK Design System
markup for forms, the compiled styles' sources, and the favicon."""
