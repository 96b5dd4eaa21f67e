"""Walks one complaint through its plan, every step through the real services.

Each step passes ``occurred_at`` explicitly (always in the past), so the
deadlines, the timeline and what was met or missed are exactly what the
services would have recorded had each step been typed in on the day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from putright.accounts.models import Role, User
from putright.cases.demo import hooks, phrases
from putright.cases.demo.organisations import Staff
from putright.cases.demo.plans import Plan, Timing, When
from putright.cases.demo.texts import NEW_MATTERS, Template
from putright.cases.models import (
    Action,
    Complaint,
    Concern,
    ContactMethod,
    Deadline,
    Direction,
    Representative,
)
from putright.cases.policies import rules_for
from putright.cases.services import changes, concerns, declining, escalation, investigation, responses, triage
from putright.procedure.policy import PanelRole

#: How a stage 1 response is given, by the customer's preference: by phone or in writing.
RESPONSE_METHOD = {"phone": "phone", "email": "email", "letter": "letter", "text": "phone"}


@dataclass
class Cast:
    """Who handles one complaint."""

    officer: User
    frontline: User
    senior: User
    colleagues: list[User]  # other resolution officers, for a reassignment


class Walk:
    def __init__(
        self,
        complaint: Complaint,
        plan: Plan,
        *,
        staff: Staff,
        cast: Cast,
        timing: Timing,
        rng: random.Random,
        representative: Representative | None = None,
    ) -> None:
        self.c = complaint
        self.customer = complaint.customer  # kept: each step's refresh forgets the case's relations
        self.office = f"{complaint.organisation.name} office"
        self.plan = plan
        self.staff = staff
        self.cast = cast
        self.timing = timing
        self.rng = rng
        self.representative = representative
        self.handler = cast.officer
        self.actions: list[Action] = []
        self.concern: Concern | None = None
        self.children: list[tuple[Complaint, Template]] = []

    @property
    def template(self) -> Template:
        assert self.plan.template is not None
        return self.plan.template

    def run(self, times: list[dt.datetime]) -> None:
        for step, at in zip(self.plan.steps, times, strict=True):
            getattr(self, f"do_{step.kind}")(at, **step.args)
            for hook in hooks.AFTER_STEP:
                hook(self, step.kind, at)

    # Who acts for the customer when they ask for something themselves.

    def _requester(self) -> dict[str, Any]:
        if self.representative is not None:
            return {"actor": None, "on_behalf_of": self.representative.name}
        if self.rng.random() < 0.6:
            return {"actor": self.cast.frontline}
        return {"actor": None, "on_behalf_of": self.customer.full_name}

    def _outcomes(self, outcomes: list[str]) -> dict[int, tuple[str, str]]:
        points = list(self.c.points.order_by("number").values_list("pk", flat=True))
        finding = self.template.finding
        return {
            pk: (o, phrases.OUTCOME_REASONS[o].format(finding=finding))
            for pk, o in zip(points, (outcomes[i % len(outcomes)] for i in range(len(points))), strict=True)
        }

    # Triage.

    def do_accept(self, at: dt.datetime) -> None:
        triage.accept(
            self.c,
            owner=self.cast.officer,
            actor=self.cast.frontline,
            occurred_at=at,
            reasoning="It meets the definition of a complaint: dissatisfaction with our service.",
        )

    def do_resolve(self, at: dt.datetime) -> None:
        resolution = self.template.resolution
        triage.resolve_informally(self.c, resolution=resolution, actor=self.cast.frontline, occurred_at=at)

    def do_not_accept(self, at: dt.datetime, reason: str, duplicate_of: str | None = None) -> None:
        assert self.plan.excluded is not None
        triage.not_accept(
            self.c,
            reason=reason,
            explanation=self.plan.excluded[2],
            duplicate_of=duplicate_of,
            actor=self.cast.frontline,
            occurred_at=at,
        )

    def do_restriction(self, at: dt.datetime, review_in: int) -> None:
        reason, restrictions = phrases.RESTRICTION
        concerns.record_restriction(
            self.c,
            reason=reason,
            restrictions=restrictions,
            starts_on=self.timing.calendar.local(at).date(),
            review_on=timezone.localdate() + dt.timedelta(days=review_in),
            actor=self.cast.senior,
            occurred_at=at,
        )

    def do_decline(self, at: dt.datetime) -> None:  # conduct
        reason, advice = phrases.DECLINE
        declining.decline_to_investigate(
            self.c,
            reason=reason,
            legal_advice=advice,
            advice_on=self.timing.calendar.local(at).date(),
            actor=self.cast.senior,
            occurred_at=at,
        )

    # Investigating.

    def do_contact(self, at: dt.datetime, text: str) -> None:
        # Contact within the deadline is a call or a visit, or an email for those who ask for one.
        method = ContactMethod.PHONE
        if text.startswith(("Visited", "Met the customer")):
            method = ContactMethod.IN_PERSON
        elif text in phrases.FIRST_CONTACT and self.customer.preferred_contact == "email":
            method, text = ContactMethod.EMAIL, phrases.FIRST_EMAIL
        direction = Direction.INBOUND if text in phrases.INBOUND else Direction.OUTBOUND
        investigation.record_contact(
            self.c,
            method=method,
            summary=text,
            direction=direction,
            actor=self.handler,
            occurred_at=at,
            acknowledges=text in phrases.ACKNOWLEDGING,  # issue 13, ack
        )

    def do_evidence(self, at: dt.datetime, text: str) -> None:
        respond_by = self.timing.calendar.local(at).date() + dt.timedelta(days=10)
        investigation.request_evidence(
            self.c, description=text, respond_by=respond_by, actor=self.handler, occurred_at=at
        )

    def do_reassign(self, at: dt.datetime, reason: str) -> None:
        others = [u for u in self.cast.colleagues if u != self.handler]
        if not others:
            return
        new = self.rng.choice(others)
        changes.reassign(self.c, owner=new, reason=reason, actor=self.handler, occurred_at=at)
        self.handler = self.cast.officer = new

    def do_extend(self, at: dt.datetime, days: int, good: bool = False) -> None:
        due = Deadline.objects.get(complaint=self.c, name=f"stage{self.c.stage}.response").due_at
        calendar = self.timing.calendar
        new_due_on = calendar.working_day_after(calendar.local(due).date(), days)
        investigation.extend(
            self.c,
            new_due_on=new_due_on,
            reason=self.rng.choice(phrases.EXTENSION_REASONS),
            good_reason=self.rng.choice(phrases.GOOD_REASONS) if good else "",
            actor=self.handler,
            occurred_at=at,
        )

    def do_new_matter(self, at: dt.datetime, route: str) -> None:
        if route == "signpost":
            team, text = self.rng.choice(phrases.SIGNPOSTS)
            changes.raise_new_matter(
                self.c, route=route, description=text, signpost_to=team, actor=self.handler, occurred_at=at
            )
            return
        template = self.rng.choice(NEW_MATTERS)
        child = changes.raise_new_matter(
            self.c,
            route=route,
            description=template.summary,  # becomes the new complaint's summary too
            category=template.category,
            actor=self.handler,
            occurred_at=at,
        )
        assert child is not None
        self.children.append((child, template))

    def do_concern(self, at: dt.datetime) -> None:
        assert self.template.concern is not None
        kind, description = self.template.concern
        role = Role.SAFEGUARDING_LEAD if kind == "safeguarding" else Role.HEALTH_SAFETY_LEAD
        self.concern = concerns.flag_concern(
            self.c,
            kind=kind,
            description=description,
            refer_to=self.staff.lead(role),
            actor=self.handler,
            occurred_at=at,
        )

    def do_close_concern(self, at: dt.datetime) -> None:
        if self.concern is None:
            return
        outcome = phrases.CONCERN_OUTCOMES[self.concern.kind]
        lead = self.concern.referred_to or self.handler
        concerns.close_concern(self.concern, outcome=outcome, actor=lead, occurred_at=at)

    # Responding and putting things right.

    def do_respond(self, at: dt.datetime, outcomes: list[str], actions: int = 0) -> None:
        decisions = self._outcomes(outcomes)
        counts = {o: sum(1 for d, _ in decisions.values() if d == o) for o in phrases.OUTCOME_REASONS}
        preference = self.customer.preferred_contact
        written = rules_for(self.c).policy.stage(self.c.stage).written_response
        method = "email" if preference == "email" else "letter"
        if not written:  # a policy that allows it: by phone for those who prefer a call
            method = RESPONSE_METHOD[preference]
        summary = phrases.response_summary(self.template.finding, counts, actions, self.c.stage)
        responses.respond(
            self.c, outcomes=decisions, method=method, summary=summary, actor=self.handler, occurred_at=at
        )

    def do_add_action(self, at: dt.datetime, text: str, due_in: int) -> None:
        due_on = self.timing.calendar.local(at).date() + dt.timedelta(days=due_in)
        self.actions.append(
            responses.add_action(
                self.c,
                description=text,
                due_on=due_on,
                owner=self.handler,
                actor=self.handler,
                occurred_at=at,
            )
        )

    def do_complete_action(self, at: dt.datetime, index: int, note: str) -> None:
        action = self.actions[index]
        responses.complete_action(self.c, action_id=action.pk, note=note, actor=self.handler, occurred_at=at)

    def do_close(self, at: dt.datetime) -> None:
        responses.close(self.c, actor=self.handler, occurred_at=at)

    # Stage 2 and the appeal.

    def do_escalate(self, at: dt.datetime, grounds: list[str]) -> None:
        explanation = " ".join(phrases.REVIEW_GROUNDS[g] for g in grounds)
        self.handler = self.cast.senior
        escalation.escalate(
            self.c, grounds=grounds, explanation=explanation, owner=self.cast.senior, occurred_at=at,
            **self._requester(),
        )  # fmt: skip

    def do_request_appeal(self, at: dt.datetime, criteria: list[str]) -> None:
        explanation = " ".join(phrases.APPEAL_CRITERIA[c] for c in criteria)
        escalation.request_appeal(
            self.c, criteria=criteria, explanation=explanation, occurred_at=at, **self._requester()
        )

    def do_refuse_appeal(self, at: dt.datetime, reason: str) -> None:
        escalation.refuse_appeal(self.c, reason=reason, actor=self.cast.senior, occurred_at=at)

    def do_schedule_appeal(self, at: dt.datetime, meeting: When, companion: bool) -> None:
        panel = self.staff.panel
        names = {
            PanelRole.BOARD_MEMBER: panel["board_member"][0],
            PanelRole.RESIDENT: self.rng.choice(panel["resident"]),
            PanelRole.EXECUTIVE: panel["executive"][0],
        }
        name, relationship = self.rng.choice(phrases.COMPANIONS) if companion else ("", "")
        location = self.rng.choice(phrases.APPEAL_LOCATIONS).format(office=self.office)
        escalation.schedule_appeal(
            self.c,
            meeting_at=self.timing.on(self.timing.day0(self.c.received_at), meeting),
            location=location,
            panel={role: user.get_full_name() for role, user in names.items()},
            agreed_with_customer=True,
            companion_name=name,
            companion_relationship=relationship,
            actor=self.cast.senior,
            occurred_at=at,
        )

    def do_decide_appeal(self, at: dt.datetime, outcomes: list[str]) -> None:
        decisions = self._outcomes(outcomes)
        found = {d for d, _ in decisions.values()}
        overall = found.pop() if len(found) == 1 else "partially_upheld"
        escalation.decide_appeal(
            self.c,
            outcomes=decisions,
            summary=phrases.PANEL_DECISIONS[overall],
            actor=self.staff.panel["board_member"][0],
            occurred_at=at,
        )

    def do_final_response(self, at: dt.datetime) -> None:
        method = "email" if self.customer.preferred_contact == "email" else "letter"
        escalation.record_final_response(self.c, method=method, actor=self.cast.senior, occurred_at=at)

    def do_withdraw(self, at: dt.datetime, reason: str) -> None:
        changes.withdraw(self.c, reason=reason, occurred_at=at, **self._requester())
