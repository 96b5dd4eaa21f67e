"""The staff workspace: server-rendered pages on the case services, with htmx."""
