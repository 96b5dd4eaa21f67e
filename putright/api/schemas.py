"""What the API sends back: the case record as JSON, field by field."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import SerializerFunctionWrapHandler, model_serializer


class DeadlineOut(Schema):
    name: str
    due_at: dt.datetime
    due_date: dt.date
    original_due_at: dt.datetime
    met_at: dt.datetime | None
    status: str  # open, met, missed or cancelled


class NextDeadline(Schema):
    name: str
    due_at: dt.datetime
    due_date: dt.date
    overdue: bool


class PersonRef(Schema):
    username: str
    name: str


class NoteOut(Schema):
    id: int
    text: str
    author: PersonRef
    written_at: dt.datetime
    told: list[PersonRef] = Field(description="The colleagues the note was emailed to.")


class ComplaintSummary(Schema):
    reference: str
    version: int
    organisation: str
    customer: str
    summary: str
    channel: str
    category: str
    state: str
    state_label: str
    stage: int
    owner: PersonRef | None
    received_at: dt.datetime
    next_deadline: NextDeadline | None


class ComplaintPage(Schema):
    # issue 16, search: the count stops early, so a page costs the same over a million complaints.
    count: int = Field(
        description=(
            "How many complaints match, counted exactly up to 1,000 past this page's start "
            "(PUTRIGHT_LIST_COUNT_LIMIT); when more match, one more than that (so page 1 says "
            "1,001) and `count_is_lower_bound` is true: ask for the next pages to count on."
        )
    )
    count_is_lower_bound: bool = Field(
        False, description="True when more complaints match than `count` says (it stopped early)."
    )
    page: int
    page_size: int
    results: list[ComplaintSummary]


class OutcomeOut(Schema):
    stage: int
    kind: str
    outcome: str
    reasons: str


# issue 12, points: what each point taught.
class PointLearningOut(Schema):
    theme: str | None = Field(description="The theme's key.")
    theme_label: str | None
    service_area: int | None = Field(description="The service area's id.")
    service_area_name: str | None
    root_cause: str | None = Field(description="The root cause's key (upheld or partly upheld points).")
    root_cause_name: str | None
    root_cause_note: str


class PointOut(Schema):
    id: int
    number: int
    summary: str
    outcomes: list[OutcomeOut]
    learning: PointLearningOut


class StageOut(Schema):
    number: int
    opened_at: dt.datetime
    handler: PersonRef | None
    grounds: list[str]
    request_text: str
    # issue 13, ack: when the stage was acknowledged, and how ("letter", "contact", "recorded",
    # "backfilled": the first contact, for stages before acknowledgements were recorded)
    acknowledged_at: dt.datetime | None
    acknowledged_via: str
    responded_at: dt.datetime | None
    refused_at: dt.datetime | None
    refusal_reason: str
    meeting_at: dt.datetime | None
    meeting_location: str
    panel: dict[str, str]


class ActionOut(Schema):
    id: int
    stage: int
    description: str
    owner: PersonRef | None
    due_on: dt.date
    agreed_at: dt.datetime
    completed_at: dt.datetime | None
    completion_note: str


class ConcernOut(Schema):
    id: int
    kind: str
    status: str
    description: str
    raised_at: dt.datetime
    referred_to: PersonRef | None
    referred_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome: str
    outcome_due_at: dt.datetime | None  # conduct


class RestrictionOut(Schema):
    id: int
    reason: str
    restrictions: str
    starts_on: dt.date
    review_on: dt.date
    ended_on: dt.date | None
    # conduct
    reviewed_on: dt.date | None
    review_conclusion: str
    end_reason: str
    contact_meanwhile: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    description: str
    uploaded_at: dt.datetime
    uploaded_by: str
    download: str


class LetterOut(Schema):
    id: int
    kind: str = Field(description="The point of the procedure it was written for, e.g. stage1_response.")
    kind_label: str
    stage: int
    subject: str
    recipient_name: str = Field(description="The customer, or the person acting for them with consent.")
    email: str = Field(description="Where it was emailed; empty when it goes by post.")
    status: str = Field(description="emailed, to_post (waiting to be posted) or posted.")
    status_label: str
    sent_at: dt.datetime
    sent_by: PersonRef | None
    posted_at: dt.datetime | None
    template_version: int = Field(description="The version of the letter template it was made from.")
    large_print: bool
    download: str = Field(description="Where to download the PDF as sent.")


class EventOut(Schema):
    kind: int
    kind_label: str
    stage: int
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    actor: str
    summary: str
    data: dict[str, object]


# issue 15, vuln: a disclosed vulnerability (Code 5.10), only for roles that may see them
class VulnerabilityOut(Schema):
    id: int
    kind: str
    kind_words: str
    detail: str = Field(description="Empty once the customer withdrew their consent.")
    support_needed: str
    disclosed_on: dt.date
    disclosed_via: str
    consent_given_at: dt.datetime
    consent_how: str
    consent_scope: str
    consent_withdrawn_at: dt.datetime | None
    review_on: dt.date
    reviewed_on: dt.date | None
    review_note: str


VULNERABILITIES_FIELD = Field(
    None,
    description=(
        "The customer's disclosed vulnerabilities: present only for roles that may see them "
        "(view_vulnerabilities); absent, not empty, for every other role."
    ),
)


class WithoutHiddenVulnerabilities(Schema):
    """Leaves ``vulnerabilities`` out of the JSON when the caller may not see them (None)."""

    @model_serializer(mode="wrap")
    # No return type on purpose: with one, pydantic would document that type instead of the model.
    def _leave_out_hidden(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if isinstance(data, dict) and data.get("vulnerabilities", []) is None:
            del data["vulnerabilities"]
        return data


class CustomerRef(WithoutHiddenVulnerabilities):
    id: int
    name: str
    postcode: str
    preferred_contact: str
    adjustments: list[str]
    vulnerabilities: list[VulnerabilityOut] | None = VULNERABILITIES_FIELD


class PolicyRef(Schema):
    name: str
    version: str


class StepNotNowOut(Schema):
    step: str
    reason: str = Field(description="Why the facts of the case refuse it now, in a caseworker's words.")


# issue 12, remedies


class PointRef(Schema):
    id: int
    number: int


class RemedyOut(Schema):
    id: int
    stage: int
    type: str = Field(description="apology, explanation, action, financial or other.")
    type_label: str
    description: str
    point: PointRef | None = Field(description="The point it answers, if one.")
    amount: str | None = Field(description='For money: in pounds, to the penny, e.g. "60.00".')
    purpose: str = Field(description="For money: what it is for (the Ombudsman's categories).")
    rate: str = Field(description="The compensation rate the amount was worked out from, if one.")
    units: int | None = Field(description="How many days, weeks or occasions, with the rate.")
    status: str = Field(description="offered, accepted, declined or paid.")
    offered_on: dt.date
    accepted_on: dt.date | None
    declined_on: dt.date | None
    paid_on: dt.date | None
    payment_reference: str


# issue 12, lessons
class LearningActionRef(Schema):
    id: int
    lesson: str
    status: str = Field(description="open, overdue or done")


class ComplaintOut(ComplaintSummary):
    description: str
    desired_outcome: str
    matter_date: dt.date | None
    became_aware_on: dt.date | None
    customer_record: CustomerRef
    representative: str | None
    policy: PolicyRef
    exclusion_reason: str
    triage_note: str
    signposted_to: str
    parent: str | None
    duplicate_of: str | None
    final_response_at: dt.datetime | None
    ombudsman_direct_from: dt.datetime | None
    closed_at: dt.datetime | None
    # issue 14, importer: where an imported complaint came from, and its reference there ("" if none)
    source_system: str
    source_reference: str
    # issue 15, retention: a hold keeps the case from the retention run; when its details were removed
    legal_hold_since: dt.datetime | None
    legal_hold_reason: str
    anonymised_at: dt.datetime | None
    allowed_steps: list[str]
    steps_not_now: list[StepNotNowOut]
    deadlines: list[DeadlineOut]
    stages: list[StageOut]
    points: list[PointOut]
    actions: list[ActionOut]
    flags: list[ConcernOut]
    restrictions: list[RestrictionOut]
    attachments: list[AttachmentOut]
    timeline: list[EventOut]
    # issue 12, remedies
    remedies: list[RemedyOut]
    # issue 12, lessons
    learning_actions: list[LearningActionRef] = Field(default_factory=list)
