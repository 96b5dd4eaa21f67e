"""Who may do what, and whose complaints they may see.

Two questions, asked of every page and endpoint:

- ``visible_organisation_ids(user)``: the organisations whose complaints the
  user may see: those they belong to and every company below them (a member of
  Flagship Group sees its subsidiaries). Administrators see all.
- ``can(user, capability)``: whether the user's role allows the action. The
  table below is the whole policy; DESIGN.md's users, as capabilities.

A case outside a user's organisations is "not found", never "forbidden", so
that its existence is not confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from putright.accounts.models import Organisation, Role, User
from putright.procedure.states import Step


class Capability(StrEnum):
    VIEW_CASES = "view_cases"
    LOG_COMPLAINT = "log_complaint"
    MANAGE_CUSTOMERS = "manage_customers"
    TRIAGE = "triage"
    RECORD_CONTACT = "record_contact"
    INVESTIGATE = "investigate"  # evidence, extensions, actions, attachments
    RESPOND_STAGE1 = "respond_stage1"
    RESPOND_STAGE2 = "respond_stage2"
    CLOSE = "close"
    ESCALATE = "escalate"  # record the customer's request for a review or an appeal
    MANAGE_APPEAL = "manage_appeal"  # refuse, or arrange the meeting
    DECIDE_APPEAL = "decide_appeal"  # record the panel's decision and the final response
    WITHDRAW = "withdraw"
    REASSIGN = "reassign"
    RAISE_NEW_MATTER = "raise_new_matter"
    FLAG_CONCERN = "flag_concern"
    MANAGE_CONCERNS = "manage_concerns"  # refer and close
    RECORD_RESTRICTION = "record_restriction"
    VIEW_STAFF = "view_staff"
    # Write, send and mark as posted; retry an email that failed. Which letters: those of the steps
    # the role may take (the table is comms.rights.LETTER_RIGHTS).
    SEND_LETTERS = "send_letters"
    EDIT_TEMPLATES = "edit_templates"  # the words of every letter: administrators only
    # conduct: the decision not to investigate (procedure section 8), taken after legal advice
    DECLINE_TO_INVESTIGATE = "decline_to_investigate"
    # Slice "team" (issue 11): internal notes on a case, staff only (not the view-only managers).
    WRITE_NOTES = "write_notes"
    # Arrange (or rearrange) the appeal meeting: a Senior Manager, or a member of the panel itself.
    ARRANGE_APPEAL = "arrange_appeal"
    # learning (issue 12): a point's theme, service area and root cause, set from triage on
    RECORD_LEARNING = "record_learning"
    RECORD_REMEDY = "record_remedy"  # offer a remedy; record it accepted, declined or paid
    MANAGE_LEARNING_ACTIONS = "manage_learning_actions"  # lessons and changes: add, link, complete
    DRAFT_YOU_SAID = "draft_you_said"  # draft "You said, we did" entries
    APPROVE_YOU_SAID = "approve_you_said"  # approve others' entries and publish a quarter
    MANAGE_LEARNING_LISTS = "manage_learning_lists"  # themes, service areas, root causes
    # reports (issue 13): the dashboard, the TSM and the documents for the board and the Ombudsman
    VIEW_REPORTS = "view_reports"
    PREPARE_REPORTS = "prepare_reports"  # make the annual and board reports, write their evidence text
    MANAGE_HOMES = "manage_homes"  # homes owned per organisation, stock type and year
    # issue 15, sar: a customer's subject access export (everything held about them, as a zip)
    SUBJECT_ACCESS = "subject_access"
    # issue 15, retention: place and lift a legal hold (a Senior Manager, and administrators)
    PLACE_LEGAL_HOLD = "place_legal_hold"
    # issue 15, vuln: disclosed vulnerabilities (Code 5.10), special category data: only the roles
    # that handle the customer's complaints see them, and record them (see VULNERABILITY_ROLES)
    VIEW_VULNERABILITIES = "view_vulnerabilities"
    RECORD_VULNERABILITIES = "record_vulnerabilities"
    # issue 15, anonymise: a customer's right to erasure (every complaint anonymised, and them)
    ERASE_PERSONAL_DATA = "erase_personal_data"


_FRONT_LINE = {
    Capability.VIEW_CASES,
    Capability.LOG_COMPLAINT,
    Capability.MANAGE_CUSTOMERS,
    Capability.TRIAGE,
    Capability.RECORD_CONTACT,
    Capability.ESCALATE,
    Capability.WITHDRAW,
    Capability.RAISE_NEW_MATTER,
    Capability.FLAG_CONCERN,
    # Front-line staff write the letters of the steps they take (the acknowledgement, the
    # informal resolution, "not accepted", the record of a contact); each role writes the
    # letters of its own steps (comms.rights), never another's.
    Capability.SEND_LETTERS,
    Capability.WRITE_NOTES,
    # learning: themes are set at triage
    Capability.RECORD_LEARNING,
    # issue 15, vuln: front-line staff hear a disclosure first and record it with consent;
    # every role that handles the complaint after them (officer, senior) inherits both
    Capability.VIEW_VULNERABILITIES,
    Capability.RECORD_VULNERABILITIES,
}
_OFFICER = _FRONT_LINE | {
    Capability.INVESTIGATE,
    Capability.RESPOND_STAGE1,
    Capability.CLOSE,
    Capability.REASSIGN,
    Capability.VIEW_STAFF,
    # learning
    Capability.RECORD_REMEDY,
    Capability.MANAGE_LEARNING_ACTIONS,
    Capability.DRAFT_YOU_SAID,
}
_SENIOR = _OFFICER | {
    Capability.RESPOND_STAGE2,
    Capability.MANAGE_APPEAL,
    Capability.ARRANGE_APPEAL,
    Capability.RECORD_RESTRICTION,
    Capability.MANAGE_CONCERNS,
    # conduct
    Capability.DECLINE_TO_INVESTIGATE,
    # learning: a manager approves "You said, we did" and publishes the quarter
    Capability.APPROVE_YOU_SAID,
    # reports: a Senior Manager answers for the figures and prepares the documents
    Capability.VIEW_REPORTS,
    Capability.PREPARE_REPORTS,
    # issue 15, sar: a Senior Manager answers a subject access request (and administrators)
    Capability.SUBJECT_ACCESS,
    # issue 15, retention: a Senior Manager answers for keeping a case past its retention
    Capability.PLACE_LEGAL_HOLD,
    # issue 15, anonymise: a Senior Manager answers a request for erasure (and administrators)
    Capability.ERASE_PERSONAL_DATA,
}
_LEAD = {
    Capability.VIEW_CASES,
    Capability.FLAG_CONCERN,
    Capability.MANAGE_CONCERNS,
    Capability.VIEW_STAFF,
    Capability.WRITE_NOTES,
}

#: issue 15, vuln: not the manager or board (figures, not people), not the appeal panel (which
#: may include a resident and a board member; what the customer needs at the meeting is a
#: reasonable adjustment, which the panel sees), not the health and safety lead, not an
#: administrator.
VULNERABILITY_CAPABILITIES = frozenset({Capability.VIEW_VULNERABILITIES, Capability.RECORD_VULNERABILITIES})

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CUSTOMER_SERVICES: frozenset(_FRONT_LINE),
    Role.RESOLUTION_OFFICER: frozenset(_OFFICER),
    Role.SENIOR_MANAGER: frozenset(_SENIOR),
    # The panel records its meeting and its decision, and the final response, so writes its letter.
    Role.PANEL_MEMBER: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.ARRANGE_APPEAL,
            Capability.DECIDE_APPEAL,
            Capability.SEND_LETTERS,
            Capability.WRITE_NOTES,
        }
    ),
    # issue 15, vuln: the safeguarding lead acts on what makes a customer vulnerable; the health
    # and safety lead acts on hazards in the home, which a vulnerability does not change
    Role.SAFEGUARDING_LEAD: frozenset(
        _LEAD | {Capability.VIEW_VULNERABILITIES, Capability.RECORD_VULNERABILITIES}
    ),
    Role.HEALTH_SAFETY_LEAD: frozenset(_LEAD),
    # The manager or board member reads the reports and prepares the board's documents.
    Role.MANAGER: frozenset(
        {Capability.VIEW_CASES, Capability.VIEW_STAFF, Capability.VIEW_REPORTS, Capability.PREPARE_REPORTS}
    ),
    # issue 15, vuln: an administrator runs the system, not the complaints: no vulnerabilities
    Role.ADMINISTRATOR: frozenset(Capability) - VULNERABILITY_CAPABILITIES,
}


def capabilities(user: User) -> frozenset[Capability]:
    if not user.is_active:
        return frozenset()
    return ROLE_CAPABILITIES.get(user.role, frozenset())


def can(user: User, capability: Capability) -> bool:
    return capability in capabilities(user)


def sees_everything(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMINISTRATOR)


#: Where a user object keeps what it read of the organisation table, for as long as it lives.
_PARENTS = "_putright_organisation_parents"
_VISIBLE = "_putright_visible_organisation_ids"


def _parents(user: User) -> dict[int, int | None]:
    """Every organisation's parent: one read of the (small) table, kept on the user object.

    A request loads its own User, so what is kept lasts one request (or one
    API call) and cannot go stale across requests. Code that keeps a User
    object while it changes organisations must fetch the user again.
    """
    parents: dict[int, int | None] | None = getattr(user, _PARENTS, None)
    if parents is None:
        parents = _read_parents()
        setattr(user, _PARENTS, parents)
    return parents


def _read_parents() -> dict[int, int | None]:
    return dict(Organisation.objects.values_list("pk", "parent_id"))


def visible_organisation_ids(user: User) -> frozenset[int] | None:
    """The organisations whose cases the user may see; None means every one.

    Worked out once per user object (two queries), then kept on it: a page asks
    this several times, and a request loads a fresh User, so it never goes stale
    across requests.
    """
    if sees_everything(user):
        return None
    if not user.is_active:
        return frozenset()
    visible: frozenset[int] | None = getattr(user, _VISIBLE, None)
    if visible is None:
        visible = organisations_below(_parents(user), user.organisations.values_list("pk", flat=True))
        setattr(user, _VISIBLE, visible)
    return visible


def organisations_below(parents: dict[int, int | None], roots: Iterable[int]) -> frozenset[int]:
    """The roots and every organisation under them."""
    children: dict[int, list[int]] = {}
    for pk, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    seen: set[int] = set()
    frontier = list(roots)
    while frontier:
        pk = frontier.pop()
        if pk not in seen:
            seen.add(pk)
            frontier.extend(children.get(pk, []))
    return frozenset(seen)


def organisation_and_parents(organisation_id: int, user: User | None = None) -> list[int]:
    """The organisation and every group above it: staff of any of them work for it.

    Given the member of staff asking, read from the organisation table as they
    have already read it (no further query once their visible organisations are
    known); without one (a customer's request), read afresh.
    """
    parents = _parents(user) if user is not None else _read_parents()
    chain: list[int] = []
    current: int | None = organisation_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


_STEP_CAPABILITY = {
    Step.ACCEPT: Capability.TRIAGE,
    Step.RESOLVE_INFORMALLY: Capability.TRIAGE,
    Step.NOT_ACCEPT: Capability.TRIAGE,
    Step.RECORD_CONTACT: Capability.RECORD_CONTACT,
    Step.REQUEST_EVIDENCE: Capability.INVESTIGATE,
    Step.ADD_EVIDENCE: Capability.RECORD_CONTACT,
    Step.ADD_ACTION: Capability.INVESTIGATE,
    Step.COMPLETE_ACTION: Capability.INVESTIGATE,
    Step.CLOSE: Capability.CLOSE,
    Step.ESCALATE: Capability.ESCALATE,
    Step.REQUEST_APPEAL: Capability.ESCALATE,
    Step.REFUSE_APPEAL: Capability.MANAGE_APPEAL,
    Step.SCHEDULE_APPEAL: Capability.ARRANGE_APPEAL,
    Step.DECIDE_APPEAL: Capability.DECIDE_APPEAL,
    Step.RECORD_FINAL_RESPONSE: Capability.DECIDE_APPEAL,
    Step.WITHDRAW: Capability.WITHDRAW,
    Step.REASSIGN: Capability.REASSIGN,
    Step.RAISE_NEW_MATTER: Capability.RAISE_NEW_MATTER,
    Step.FLAG_CONCERN: Capability.FLAG_CONCERN,
    Step.REFER_CONCERN: Capability.MANAGE_CONCERNS,
    Step.CLOSE_CONCERN: Capability.MANAGE_CONCERNS,
    Step.RECORD_RESTRICTION: Capability.RECORD_RESTRICTION,
    # points (issue 11): the points are investigated; the summary is set at triage
    Step.ADD_POINT: Capability.INVESTIGATE,
    Step.EDIT_POINT: Capability.INVESTIGATE,
    Step.SPLIT_POINT: Capability.INVESTIGATE,
    Step.EDIT_SUMMARY: Capability.TRIAGE,
    # conduct
    Step.REVIEW_RESTRICTION: Capability.RECORD_RESTRICTION,
    Step.RENEW_RESTRICTION: Capability.RECORD_RESTRICTION,
    Step.END_RESTRICTION: Capability.RECORD_RESTRICTION,
    Step.DECLINE_TO_INVESTIGATE: Capability.DECLINE_TO_INVESTIGATE,
    # learning
    Step.RECORD_LEARNING: Capability.RECORD_LEARNING,
    Step.ADD_REMEDY: Capability.RECORD_REMEDY,
    Step.UPDATE_REMEDY: Capability.RECORD_REMEDY,
    Step.LINK_LEARNING_ACTION: Capability.MANAGE_LEARNING_ACTIONS,
    # issue 13, ack: acknowledging is part of the first contact with the customer
    Step.ACKNOWLEDGE: Capability.RECORD_CONTACT,
    # issue 13, tsm: whoever may triage (everyone who investigates may too) corrects the stock type
    Step.CORRECT_STOCK_TYPE: Capability.TRIAGE,
    # issue 15, retention
    Step.PLACE_LEGAL_HOLD: Capability.PLACE_LEGAL_HOLD,
    Step.LIFT_LEGAL_HOLD: Capability.PLACE_LEGAL_HOLD,
}


def step_capability(step: Step, stage: int) -> Capability:
    """The capability a step needs; responding and extending at stage 2 is a Senior Manager's."""
    if step in (Step.RESPOND, Step.EXTEND):
        return Capability.RESPOND_STAGE2 if stage >= 2 else Capability.RESPOND_STAGE1
    return _STEP_CAPABILITY[step]


def can_take(user: User, step: Step, stage: int) -> bool:
    return can(user, step_capability(step, stage))
