"""The case record, split by topic; everything is importable from here."""

from putright.cases.models.complaints import Channel, Complaint, Point, PolicyRecord
from putright.cases.models.conduct import InvestigationDeclined
from putright.cases.models.copied import ComplaintCopy, copied_from
from putright.cases.models.evidence import Attachment
from putright.cases.models.notes import CaseNote
from putright.cases.models.people import (
    AdjustmentKind,
    ContactPreference,
    Customer,
    ReasonableAdjustment,
    Representative,
    RepresentativeKind,
    Restriction,
    Tenure,
)
from putright.cases.models.retention import RetentionPeriod
from putright.cases.models.stages import (
    AcknowledgedVia,
    AppealHearing,
    Deadline,
    DeadlineStatus,
    Extension,
    PointOutcome,
    Response,
    ResponseKind,
    Stage,
)
from putright.cases.models.timeline import ChainHead, EventKind, TimelineEvent
from putright.cases.models.vulnerabilities import (  # issue 15, vuln
    CONSENT_SCOPE,
    DisclosedVia,
    Vulnerability,
    VulnerabilityKind,
)
from putright.cases.models.work import (
    Action,
    Concern,
    ConcernStatus,
    Contact,
    ContactMethod,
    Direction,
    EvidenceRequest,
)

__all__ = [
    "CONSENT_SCOPE",
    "AcknowledgedVia",
    "Action",
    "AdjustmentKind",
    "AppealHearing",
    "Attachment",
    "CaseNote",
    "ChainHead",
    "Channel",
    "Complaint",
    "ComplaintCopy",
    "Concern",
    "ConcernStatus",
    "Contact",
    "ContactMethod",
    "ContactPreference",
    "Customer",
    "Deadline",
    "DeadlineStatus",
    "Direction",
    "DisclosedVia",
    "EventKind",
    "EvidenceRequest",
    "Extension",
    "InvestigationDeclined",
    "Point",
    "PointOutcome",
    "PolicyRecord",
    "ReasonableAdjustment",
    "Representative",
    "RepresentativeKind",
    "Response",
    "ResponseKind",
    "Restriction",
    "RetentionPeriod",
    "Stage",
    "Tenure",
    "TimelineEvent",
    "Vulnerability",
    "VulnerabilityKind",
    "copied_from",
]
