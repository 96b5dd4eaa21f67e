from putright.portal.models.access import CaseLink
from putright.portal.models.drafts import Draft, DraftFile
from putright.portal.models.limits import RateEvent
from putright.portal.models.pages import PageKind, PublicPage

__all__ = ["CaseLink", "Draft", "DraftFile", "PageKind", "PublicPage", "RateEvent"]
