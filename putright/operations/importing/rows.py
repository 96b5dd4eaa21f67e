"""One row of the export checked and read into a complaint's history, or rejected with the reason.

Every check a person would make reading the row is made here, before anything is written:
a required field missing, a date that is not one, an organisation or a word the mapping
does not know, and a history the procedure could not have had (a response before the
complaint came in, a closed complaint without its response, a date in the future).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from putright.accounts.email_addresses import email_problem
from putright.accounts.models import Organisation
from putright.cases.models import Channel
from putright.cases.models.people import Tenure
from putright.operations.importing.mapping import COLUMNS, Mapping, _key
from putright.procedure.states import FINISHED, State, stage_phrase

LONDON = ZoneInfo("Europe/London")
#: A date without a time is taken as this hour, London time: within office hours.
DATE_ONLY_HOUR = 9
#: The states a complaint can be imported in: up to the stage 2 response. An appeal under way
#: is entered by hand (its panel and meeting are not in a typical export).
IMPORTABLE = frozenset(
    {
        State.RECEIVED,
        State.STAGE1,
        State.STAGE1_RESPONDED,
        State.STAGE2,
        State.STAGE2_RESPONDED,
        State.CLOSED,
        State.RESOLVED_INFORMALLY,
        State.NOT_ACCEPTED,
        State.WITHDRAWN,
    }
)
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}
CHANNELS = frozenset(Channel.values)  # an enum's ``values`` is worked out at each call
TENURES = frozenset(Tenure.values)


class Rejected(ValueError):
    """The row cannot be imported; the message says why, in words the operator can act on."""


@dataclass(frozen=True)
class Incoming:
    """A row read and checked: everything the writer needs, in putright's terms."""

    line: int
    reference: str
    organisation: Organisation
    received: dt.datetime
    channel: str
    title: str
    first_name: str
    last_name: str
    email: str
    phone: str
    tenure: str
    address: str
    postcode: str
    summary: str
    description: str
    category: str
    points: tuple[str, ...]
    state: State
    stage: int
    outcome: str
    acknowledged: dt.datetime | None
    responded: dt.datetime | None
    escalated: dt.datetime | None
    stage2_acknowledged: dt.datetime | None
    stage2_responded: dt.datetime | None
    closed: dt.datetime | None


class Reader:
    """Reads rows against one mapping, the organisations and the policy's reasons to complain."""

    def __init__(
        self, mapping: Mapping, organisations: list[Organisation], categories: set[str], now: dt.datetime
    ) -> None:
        self.mapping = mapping
        self.organisations: dict[str, Organisation] = {}
        for organisation in organisations:
            self.organisations[_key(organisation.name)] = organisation
            self.organisations[_key(organisation.short_name)] = organisation
        self.categories = categories
        self.now = now
        self._dates: dict[str, dt.datetime] = {}

    def read(self, line: int, row: dict[str, str]) -> Incoming:
        m = self.mapping
        reference = self._text(row, "reference", required=True)
        received = self._date(row, "received", required=True)
        assert received is not None
        name = self._text(row, "customer_name", required=True)
        title, first, last = _name(name)
        points = self._points(row)
        summary = self._text(row, "summary") or (points[0] if points else "")
        if not summary:
            raise Rejected(f"missing {self._column('summary')} (a line saying what it is about)")
        state, outcome, stage = self._state(row)
        dates = {c: self._date(row, c) for c in ("acknowledged", "responded", "escalated")}
        dates |= {c: self._date(row, c) for c in ("stage2_acknowledged", "stage2_responded", "closed")}
        if stage is None:
            stage = _stage_of(state, dates)
        _check_history(state, stage, received, dates, self.now)
        return Incoming(
            line=line,
            reference=reference,
            organisation=self._organisation(row),
            received=received,
            channel=self._mapped(row, "channel", m.channels, CHANNELS, m.default_channel),
            title=title,
            first_name=first,
            last_name=last,
            email=self._email(row),
            phone=self._text(row, "customer_phone")[:40],
            tenure=self._mapped(row, "tenure", m.tenures, TENURES, m.default_tenure),
            address=self._text(row, "address"),
            postcode=self._text(row, "postcode")[:10],
            summary=summary[:200],
            description=self._text(row, "description") or summary,
            category=self._category(row),
            points=tuple(points or [summary]),
            state=state,
            stage=stage,
            outcome=outcome,
            **dates,
        )

    # -- fields --------------------------------------------------------------------------

    def _column(self, name: str) -> str:
        return f"{self.mapping.columns.get(name, name)!r}" if name in self.mapping.columns else name

    def _text(self, row: dict[str, str], name: str, *, required: bool = False) -> str:
        column = self.mapping.columns.get(name)
        value = (row.get(column) or "").strip() if column else ""
        if required and not value:
            raise Rejected(f"missing {self._column(name)} ({COLUMNS[name]})")
        return value

    def _email(self, row: dict[str, str]) -> str:
        """The customer's address, checked as every other way in checks it (issue 15, inputsec)."""
        email = self._text(row, "customer_email")
        problem = email_problem(email) if email else None
        if problem:
            raise Rejected(f"{self._column('customer_email')}: {problem}, not {email!r}")
        return email

    def _date(self, row: dict[str, str], name: str, *, required: bool = False) -> dt.datetime | None:
        text = self._text(row, name, required=required)
        if not text:
            return None
        found = self._dates.get(text)
        if found is None:
            found = self._dates[text] = self._parse_date(text, name)
        return found

    def _parse_date(self, text: str, name: str) -> dt.datetime:
        for form in self.mapping.date_formats:
            try:
                parsed = dt.datetime.strptime(text, form)  # noqa: DTZ007 - London time, set below
            except ValueError:
                continue
            if "%H" not in form:
                parsed = parsed.replace(hour=DATE_ONLY_HOUR)
            return parsed.replace(tzinfo=LONDON)
        raise Rejected(
            f"bad date {text!r} in {self._column(name)} ({COLUMNS[name]}): "
            f"expected {' or '.join(self.mapping.date_formats)}"
        )

    def _mapped(
        self, row: dict[str, str], name: str, table: dict[str, str], ours: frozenset[str], default: str
    ) -> str:
        text = self._text(row, name)
        if not text:
            if default:
                return default
            raise Rejected(f"missing {self._column(name)} ({COLUMNS[name]}) and no default in the mapping")
        found = table.get(_key(text)) or (text if text in ours else None)
        if found is None:
            raise Rejected(f"unknown {name} {text!r}: add it to [values.{name}] in the mapping")
        return found

    def _organisation(self, row: dict[str, str]) -> Organisation:
        text = self._text(row, "organisation") or self.mapping.default_organisation
        found = self.organisations.get(_key(text))
        if found is None:
            raise Rejected(f"unknown organisation {text!r}: not the short name or name of one in putright")
        return found

    def _category(self, row: dict[str, str]) -> str:
        text = self._text(row, "category")
        category = (
            (self.mapping.categories.get(_key(text)) or text) if text else self.mapping.default_category
        )
        if not category:
            raise Rejected("no category: name a category column or [defaults] category in the mapping")
        if category not in self.categories:
            raise Rejected(
                f"unknown category {category!r}: not one of the policy's reasons to complain "
                f"({', '.join(sorted(self.categories))})"
            )
        return category

    def _points(self, row: dict[str, str]) -> list[str]:
        m = self.mapping
        texts: list[str] = []
        if m.points_column:
            texts += (row.get(m.points_column) or "").split(m.points_separator)
        texts += [row.get(column) or "" for column in m.points_columns]
        return [t.strip() for t in texts if t.strip()]

    def _state(self, row: dict[str, str]) -> tuple[State, str, int | None]:
        """Their status as a state and outcome; their stage as a number, if the file says it."""
        text = self._text(row, "state", required=True)
        value = self.mapping.states.get(_key(text))
        name, outcome = (value.state, value.outcome) if value else (text, "")
        stage: int | None = None
        stage_text = self._text(row, "stage")
        if stage_text:
            stage = self.mapping.stages.get(_key(stage_text))
            if stage is None and stage_text in ("0", "1", "2"):
                stage = int(stage_text)
            if stage is None:
                raise Rejected(f"unknown stage {stage_text!r}: add it to [values.stage] in the mapping")
        if name in ("open", "responded"):
            if stage not in (1, 2):
                raise Rejected(f"status {text!r} needs the stage (1 or 2) it is {name} at")
            name = f"stage{stage}" if name == "open" else f"stage{stage}_responded"
        try:
            state = State(name)
        except ValueError:
            raise Rejected(f"unknown status {text!r}: add it to [values.state] in the mapping") from None
        if state not in IMPORTABLE:
            raise Rejected(f"state {state.value} cannot be imported: enter an appeal under way by hand")
        if not outcome:
            outcome_text = self._text(row, "outcome")
            if outcome_text:
                outcome = self.mapping.outcomes.get(_key(outcome_text), "")
                if not outcome:
                    raise Rejected(f"unknown outcome {outcome_text!r}: add it to [values.outcome]")
        return state, outcome, stage


def _name(text: str) -> tuple[str, str, str]:
    """ "Mrs Jane Smith" as title, first name and last name; "Smith, Jane" too."""
    if "," in text:
        last, _, first = text.partition(",")
        text = f"{first.strip()} {last.strip()}"
    words = text.split()
    title = words.pop(0) if len(words) > 1 and words[0].rstrip(".").casefold() in TITLES else ""
    if len(words) == 1:
        return title, "", words[0][:100]
    return title, " ".join(words[:-1])[:100], words[-1][:100]


def _stage_of(state: State, dates: dict[str, dt.datetime | None]) -> int:
    """The stage reached, where the file does not say: from the state, or from the dates."""
    if state in (State.RECEIVED, State.RESOLVED_INFORMALLY, State.NOT_ACCEPTED):
        return 0
    if state in (State.STAGE2, State.STAGE2_RESPONDED):
        return 2
    if state in (State.STAGE1, State.STAGE1_RESPONDED):
        return 1
    return 2 if dates["escalated"] or dates["stage2_responded"] else 1


#: Dates a complaint in each state has (must) and cannot have yet (must not), at its stage.
_MUST = {
    State.STAGE1_RESPONDED: ("responded",),
    State.STAGE2: ("responded", "escalated"),
    State.STAGE2_RESPONDED: ("responded", "escalated", "stage2_responded"),
    State.RESOLVED_INFORMALLY: ("closed",),
    State.NOT_ACCEPTED: ("closed",),
    State.WITHDRAWN: ("closed",),
}
_LATER = {
    0: ("acknowledged", "responded", "escalated", "stage2_acknowledged", "stage2_responded"),
    1: ("escalated", "stage2_acknowledged", "stage2_responded"),
    2: (),
}


def _check_history(
    state: State, stage: int, received: dt.datetime, dates: dict[str, dt.datetime | None], now: dt.datetime
) -> None:
    """Refuse a history the procedure could not have had: each step in order, none still to come."""
    if received > now:
        raise Rejected(f"received {received:%d/%m/%Y} is in the future")
    if state in (State.RECEIVED, State.RESOLVED_INFORMALLY, State.NOT_ACCEPTED) and stage != 0:
        raise Rejected(f"state {state.value} is decided at triage, not at stage {stage}")
    if state not in (State.RECEIVED, State.RESOLVED_INFORMALLY, State.NOT_ACCEPTED) and stage == 0:
        raise Rejected(f"state {state.value} needs stage 1 or 2, not triage")
    must = list(_MUST.get(state, ()))
    if state == State.CLOSED:
        must += ["responded", "closed"] + (["escalated", "stage2_responded"] if stage == 2 else [])
    if state == State.WITHDRAWN and stage == 2:
        must.append("escalated")
    must_not = list(_LATER[stage])
    if state not in (State.CLOSED, *FINISHED):
        must_not.append("closed")
    if state == State.WITHDRAWN:
        must_not.append("responded" if stage == 1 else "stage2_responded")
    if state in (State.STAGE1, State.STAGE2):
        must_not.append("responded" if stage == 1 else "stage2_responded")
    for name in must:
        if dates[name] is None:
            raise Rejected(
                f"state {state.value} at {stage_phrase(stage)} needs {COLUMNS[name]}, which is empty"
            )
    for name in must_not:
        if dates[name] is not None:
            raise Rejected(f"state {state.value} at {stage_phrase(stage)} cannot have {COLUMNS[name]}")
    _check_order(received, dates, now)


_ORDER = (
    ("acknowledged", "received"),
    ("responded", "received"),
    ("escalated", "responded"),
    ("stage2_acknowledged", "escalated"),
    ("stage2_responded", "escalated"),
    ("closed", "received"),
    ("closed", "responded"),
    ("closed", "stage2_responded"),
)


def _check_order(received: dt.datetime, dates: dict[str, dt.datetime | None], now: dt.datetime) -> None:
    known = {"received": received, **dates}
    for name, value in dates.items():
        if value is not None and value > now:
            raise Rejected(f"{COLUMNS[name]} {value:%d/%m/%Y} is in the future")
    for later, earlier in _ORDER:
        after, before = known[later], known[earlier]
        if after is not None and before is not None and after.date() < before.date():
            raise Rejected(
                f"{COLUMNS[later]} {after:%d/%m/%Y} is before {COLUMNS[earlier]} {before:%d/%m/%Y}"
            )
