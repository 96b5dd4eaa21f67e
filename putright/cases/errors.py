"""What a service says when it will not do what it was asked.

Each error carries a message a caseworker (or an API client) can act on. The
web pages show it beside the form; the API returns it as problem details.
"""

from __future__ import annotations


class CaseError(Exception):
    """A request about a case that was refused; nothing was changed."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotFound(CaseError):
    """Nothing the caller may see answers to this name: whether it exists elsewhere is not said."""


class CaseNotFound(NotFound):
    def __init__(self, reference: str) -> None:
        super().__init__(f"No complaint with reference {reference!r}.")
        self.reference = reference


class StaleCase(CaseError):
    """Someone else changed the case since the caller read it."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            "Someone else has changed this complaint since you opened it "
            f"(you saw version {expected}, it is now version {actual}). "
            "Reload it to see their change, then try again."
        )
        self.expected = expected
        self.actual = actual


class StepNotAllowed(CaseError):
    """The procedure does not allow the step now (the state machine's reason)."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason


class InvalidInput(CaseError):
    """A value the step cannot use, named by its field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message
