"""What staff write on a case as it goes along: contacts, extensions, reviews, appeals."""

from __future__ import annotations

FIRST_CONTACT = (
    (
        "Called the customer to introduce myself, went through the points of complaint and agreed what they "
        "would like to happen. Confirmed the date they will have our response."
    ),
    (
        "Spoke to the customer, acknowledged the complaint and checked I had understood each point. "
        "Agreed to visit to see the problem."
    ),
    (
        "Left a voicemail, then reached the customer later in the day. Went through the complaint and "
        "explained how stage 1 works and when to expect our response."
    ),
)
#: The first contact with a customer who asked to be emailed.
FIRST_EMAIL = (
    "Emailed the customer, as they asked, acknowledging the complaint and setting out the points as I "
    "understand them, with the date of our response and my direct phone number."
)

FOLLOW_UP = (
    "Visited the property with the surveyor and took photographs of the problem.",
    "Update call: explained what we have found so far and that the contractor's report is due this week.",
    "The customer rang to ask for an update; told them where the investigation is up to.",
    "The customer called with more details of when the problem started.",
)
#: Contacts the customer started rather than us.
INBOUND = frozenset(text for text in FOLLOW_UP if text.startswith("The customer"))

REVIEW_CONTACT = (
    (
        "Called the customer to understand why they are unhappy with the stage 1 response. They feel the "
        "compensation offered does not reflect the time it took. Agreed to look at the whole case again."
    ),
    "Met the customer at home to hear their concerns about the stage 1 outcome and see the work done so far.",
    (
        "Spoke to the customer and their daughter; agreed the points the review will look at and the date of "
        "the written response."
    ),
)
#: issue 13, ack: the first contact of a stage, in which the complaint (or the review) is acknowledged.
ACKNOWLEDGING = frozenset({*FIRST_CONTACT, FIRST_EMAIL, *REVIEW_CONTACT})

EVIDENCE = (
    "Photographs of the damage and any receipts for costs you have paid",
    "The dates and times of the missed appointments, and any texts you received",
    "Copies of your Universal Credit statements for the last three months",
    "The diary sheets or notes you kept",
    "Your occupational therapist's letter, if you have a copy",
)

EXTENSION_REASONS = (
    "We are waiting for the surveyor's report and need it to respond on the repair points.",
    "The contractor has not yet sent the records of its visits, which we need to answer fully.",
    "The officer involved is on leave until next week and we need their account.",
    "We need to check the call recordings, which takes longer to retrieve.",
)

GOOD_REASONS = (
    "The specialist survey could not be booked sooner; the customer agreed to the new date.",
    "The customer asked us to wait until they are home from hospital before we respond.",
)

REASSIGN_REASONS = (
    "Balancing the team's caseload.",
    "The officer is on long-term leave.",
    "Moved to an officer who knows the estate.",
)

#: The customer's reasons for a stage 2 review, by the policy's grounds (a)-(d).
REVIEW_GROUNDS = {
    "a": "The stage 1 response came late and nobody told me why.",
    "b": "The compensation offered does not cover what I lost, and the repair is still not right.",
    "c": "The officer dealing with my complaint was dismissive when I called.",
    "d": "Nobody kept me updated; I had to chase for every answer.",
}

#: The customer's reasons for an appeal, by the policy's criteria (a)-(c).
APPEAL_CRITERIA = {
    "a": "The review did not answer my point about the damage to my belongings.",
    "b": "The work agreed at the review has still not been done, or was done badly.",
    "c": "The review response came after the 20 working days without any explanation.",
}

APPEAL_REFUSALS = (
    (
        "Every action agreed at the review has been completed and checked with the customer, and the request "
        "does not show that any of the appeal criteria are met."
    ),
    (
        "The points raised were each answered at the review, the agreed works are complete and the responses "
        "were on time: none of the appeal criteria is met."
    ),
)

APPEAL_LOCATIONS = (
    "Video call",
    "Meeting room 2, {office}",
    "Community room near the customer's home",
)

COMPANIONS = (
    ("Sandra Wright", "Sister"),
    ("Joe Mensah", "Son"),
    ("Pauline Reed", "Tenants' association chair"),
)

PANEL_DECISIONS = {
    "upheld": "The panel upheld the appeal: the review did not put things right and further redress is due.",
    "partially_upheld": "The panel partly upheld the appeal and agreed further action on one point.",
    "not_upheld": "The panel found the review's decision fair and reasonable and did not uphold the appeal.",
}

OUTCOME_REASONS = {
    "upheld": "We agree we got this wrong. {finding}",
    "partially_upheld": "We agree with part of this point. {finding}",
    "not_upheld": "Having checked our records we do not agree that we were at fault on this point.",
}

WITHDRAWALS = (
    "The customer says the matter has now been sorted out.",
    "The customer no longer wishes to pursue the complaint.",
    "The customer has moved away and asked us to close the complaint.",
    "",
)

COMPLETION_NOTES = (
    "Done; the customer confirmed they are happy with the work.",
    "Completed and checked by the surveyor.",
    "Payment made to the customer's rent account.",
    "Done. Photographs on file.",
    "Completed as agreed; the customer was told by phone.",
)

CONCERN_OUTCOMES = {
    "safeguarding": "Safeguarding lead spoke to the customer; support plan agreed and referral to the "
    "local authority made with consent.",
    "health_and_safety": "Hazard inspected and made safe; risk assessment recorded.",
}

#: A new matter raised during a case that is not a complaint: where it was signposted.
SIGNPOSTS = (
    ("Repairs", "The customer also reported a broken window catch, a new repair."),
    ("Rent and Income team", "The customer asked about setting up a payment plan."),
    ("Tenancy Services", "The customer asked about adding their partner to the tenancy."),
)

RESTRICTION = (
    "Repeated abusive and threatening calls to front-line staff, recorded on three occasions.",
    "Contact in writing only, to a single named officer, for three months.",
)
# conduct: the decision not to investigate (procedure section 8): the reason, and the legal advice
DECLINE = (
    "Threats of violence to the investigating officer by phone and in writing, after a written warning.",
    "Our solicitors advised that we may decline to investigate and restrict contact.",
)

DUPLICATE_EXPLANATION = (
    "The customer's earlier complaint {reference} about the same matter is already being dealt with; "
    "this contact has been added to that case."
)


def response_summary(finding: str, counts: dict[str, int], actions: int, stage: int) -> str:
    """What the response says, in short: the outcome, what we found, what happens next."""
    upheld, partly, not_upheld = counts["upheld"], counts["partially_upheld"], counts["not_upheld"]
    if upheld and not (partly or not_upheld):
        opening = "We upheld the complaint and apologise."
    elif upheld or partly:
        opening = f"We upheld {upheld + partly} of {upheld + partly + not_upheld} points, in whole or part."
    else:
        opening = "We did not uphold the complaint, and explained why on each point."
    found = f" {finding}" if upheld or partly else ""
    plan = f" We agreed {actions} action{'s' if actions != 1 else ''} to put things right." if actions else ""
    if stage == 1:
        after = " If still unhappy, the customer can ask for a review by a Senior Manager."
    else:
        after = (
            " This is our final response; the customer can appeal to the Tenants Experience Group, go "
            "to a designated person, or to the Housing Ombudsman after eight weeks."
        )
    return opening + found + plan + after
