"""One endpoint per step of the procedure, in modules that follow it.

Importing the package registers every step's endpoint on ``router``.
"""

from putright.api.routers.steps import appeal, case, conduct, investigation, points, triage
from putright.api.routers.steps.common import router

__all__ = ["appeal", "case", "conduct", "investigation", "points", "router", "triage"]
