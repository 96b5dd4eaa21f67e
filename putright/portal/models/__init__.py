from putright.portal.models.access import CaseLink
from putright.portal.models.drafts import Draft, DraftFile
from putright.portal.models.limits import RateEvent

__all__ = ["CaseLink", "Draft", "DraftFile", "RateEvent"]
