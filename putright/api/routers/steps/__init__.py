"""One endpoint per step of the procedure, in modules that follow it.

Importing the package registers every step's endpoint on ``router``.
"""

# issue 13, tsm: correcting the stock type
from putright.api.routers.steps import (
    appeal,
    case,
    conduct,
    investigation,
    legal_hold,  # noqa: F401 (issue 15, retention: registers its endpoints)
    points,
    stock_type,  # noqa: F401 (registers its endpoint)
    triage,
)
from putright.api.routers.steps.common import router

__all__ = ["appeal", "case", "conduct", "investigation", "points", "router", "triage"]
