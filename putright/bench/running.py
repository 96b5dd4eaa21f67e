"""``putright bench run``: putright served as production serves it, measured over real HTTP.

Against the current database (migrated and, when it is empty and ``--complaints N`` is given,
seeded with ``putright bench seed``'s generator), the run:

1. finds its people and cases: rachel.turner, the demo's Senior Manager of the group, who sees
   every case, and bench.fh.north.001, a Resolution Officer of one team of Flagship Homes, both
   signing in with the demo's password (``PUTRIGHT_DEMO_PASSWORD``, as the seed set it); a
   complaint of that team, a letter on it (sent through the letters service when it has none),
   a customer to log complaints for, and an API token of the manager's (revoked at the end);
2. times the deadline sweep in this process (its first run over the data, then a second that
   finds nothing new), with its queries;
3. starts ``putright serve`` (gunicorn, 2 workers, production settings: PUTRIGHT_ENV=production,
   DEBUG off, a SECRET_KEY made for the run, ALLOWED_HOSTS 127.0.0.1, X-Forwarded-For believed
   from 127.0.0.1 as behind the TLS proxy of a deployment, so each simulated customer of the
   public form comes from an address of their own and the form's rate limits count them apart)
   on a free loopback port, and ``putright worker`` beside it, their mail going to a relay of the
   run's own on loopback that accepts it at once (putright.bench.mailsink);
4. loads each page in turn for ``--seconds`` with ``--connections`` keep-alive connections
   (putright.bench.load says why this client and not wrk), then counts each page's queries by
   making the same request once more in this process under ``CaptureQueriesContext``;
5. prints a table (requests a second, p50, p95, p99 in ms, errors, queries) and writes JSON.

The figures are only as steady as the machine: on a shared one, say so beside them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from argparse import ArgumentParser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.bench import load
from putright.bench.load import Figures, Opener, Record, Session, expect, form
from putright.bench.mailsink import MailSink

#: The people the run signs in as (made by the seed, with the demo's password).
MANAGER = "rachel.turner"
OFFICER = "bench.fh.north.001"
#: The landlord whose cases, customers and team the run uses.
LANDLORD = "FH"
WORKERS = 2
#: A word the seed's complaints use, and one none does.
SEARCH = "mould"
NOTHING = "xylophone"
PEERS = ("django-helpdesk",)
#: Numbers for the simulated customers (their addresses and emails), from a random start so that a
#: second run within the public form's rate-limit window does not reuse the first one's addresses.
_addresses = count(secrets.randbelow(1 << 23) + 1)


@dataclass
class Found:
    """What the run found (or made) in the database to measure with."""

    password: str
    reference: str  # a complaint of the officer's team, that both people see
    letter_path: str
    organisation_id: int
    customer_id: int
    category: str
    api_key: str = ""
    api_token_id: int = 0


@dataclass(frozen=True)
class Page:
    """A scenario: its key (for --pages), what it measures, and how a connection runs it."""

    key: str
    label: str
    opener: Callable[[Found], Opener]
    measured: tuple[str, ...] = ()  # the names it records, when not only its key

    @property
    def names(self) -> tuple[str, ...]:
        return self.measured or (self.key,)


# --- Sessions --------------------------------------------------------------------------------


#: Signed-in sessions' cookies kept between pages, by username: a connection takes one, and gives
#: it back when it closes, so a run signs each person in once per connection, not once per page
#: (signing in hashes the password on purpose slowly).
_signed_in: dict[str, list[dict[str, str]]] = {}
_signed_in_lock = threading.Lock()


def reuse_signed_in(session: Session, key: str) -> bool:
    """Give an HTTP session a kept signed-in session of ``key`` (True), and keep it again at its close."""
    if not isinstance(session, load.HttpSession):
        return False
    with _signed_in_lock:
        kept = _signed_in.get(key)
        if kept:
            session.cookies = kept.pop()
    session.on_close = lambda s: _keep(key, s)
    return bool(session.cookies)


def sign_in(session: Session, username: str, password: str) -> None:
    if isinstance(session, load.InProcessSession):
        from putright.accounts.models import User

        session.client.force_login(User.objects.get(username=username))
        return
    if reuse_signed_in(session, username):
        return
    page = expect(session.request("GET", "/sign-in/"), 200)
    body, headers = form({"csrfmiddlewaretoken": page.csrf(), "username": username, "password": password})
    reply = session.request("POST", "/sign-in/", body, headers)
    if reply.status != 302:
        raise load.Failed(f"{username} could not sign in ({reply.status}): check PUTRIGHT_DEMO_PASSWORD")


def _keep(username: str, session: load.HttpSession) -> None:
    with _signed_in_lock:
        _signed_in.setdefault(username, []).append(dict(session.cookies))


def staff_get(who: str, key: str, path: str) -> Callable[[Found], Opener]:
    """One GET of ``path`` a turn, signed in as ``who`` ("manager" or "officer")."""

    def opener_for(found: Found) -> Opener:
        def opener(new: Callable[[], Session]) -> tuple[Session, load.Turn]:
            session = new()
            sign_in(session, MANAGER if who == "manager" else OFFICER, found.password)
            target = path.format(reference=found.reference, letter=found.letter_path)

            def turn(s: Session, record: Record) -> None:
                record(key, lambda: expect(s.request("GET", target), 200))

            return session, turn

        return opener

    return opener_for


def log_form_post(found: Found) -> Opener:
    """Open the log form (not measured), then post a new customer's complaint (measured)."""

    def opener(new: Callable[[], Session]) -> tuple[Session, load.Turn]:
        session = new()
        sign_in(session, MANAGER, found.password)

        def turn(s: Session, record: Record) -> None:
            page = expect(s.request("GET", "/work/log/"), 200)
            token = re.search(r'name="token" value="([0-9a-f]+)"', page.text)
            if token is None:
                raise load.Failed("the log form has no one-time token")
            n = next(_addresses)
            now = timezone.localtime()
            body, headers = form(
                {
                    "csrfmiddlewaretoken": page.csrf(),
                    "token": token.group(1),
                    "title": "Mrs",
                    "first_name": "Grace",
                    "last_name": f"Hopper {n}",
                    "address": "1 Cromer Road\nNorth Walsham",
                    "postcode": "NR28 0NB",
                    "email": f"grace.{n}@example.org",
                    "phone": "01692 000000",
                    "tenure": "tenant",
                    "tenancy_reference": f"T-{n}",
                    "preferred_contact": "phone",
                    "preferred_contact_time": "Weekday mornings",
                    "representative": "none",
                    "organisation": found.organisation_id,
                    "channel": "phone",
                    "received_at": now.strftime("%Y-%m-%dT%H:%M"),
                    **_date_boxes("matter_date", now.date() - dt.timedelta(days=7)),
                    **_date_boxes("became_aware_on", None),
                    "category": found.category,
                    "summary": "Leaking roof not repaired",
                    "description": "The roof has leaked since October and the repair was cancelled twice.",
                    "points": "The repair was not done\nNobody called back",
                    "desired_outcome": "Fix the roof and pay for the damaged carpet.",
                }
            )
            record("log-post", lambda: expect(s.request("POST", "/work/log/", body, headers), 302))

        return session, turn

    return opener


def public_form(found: Found) -> Opener:
    """A new customer (own cookies, own address) answers every page of the public form and sends it.

    Each page is opened (measured as public-page) and answered (public-answer); the send is
    public-send. The address comes through X-Forwarded-For, as from the proxy in front.
    """

    def opener(new: Callable[[], Session]) -> tuple[Session, load.Turn]:
        session = new()

        def turn(s: Session, record: Record) -> None:
            n = next(_addresses)
            _fresh(s, f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
            answers = _public_answers(found, n)
            path = expect(s.request("GET", "/complain/"), 302).location
            for _ in range(20):
                if path.startswith("/complain/check-your-answers/"):
                    break
                slug = path.strip("/").split("/")[-1]
                if slug not in answers:
                    raise load.Failed(f"the public form asked {slug!r}, which the run cannot answer")
                page = record("public-page", lambda p=path: expect(s.request("GET", p), 200))  # type: ignore[misc]
                body, headers = form({"csrfmiddlewaretoken": page.csrf(), **answers[slug]})
                reply = record(
                    "public-answer",
                    lambda p=path, b=body, h=headers: expect(s.request("POST", p, b, h), 302),  # type: ignore[misc]
                )
                path = reply.location
            check = expect(s.request("GET", "/complain/check-your-answers/"), 200)
            body, headers = form({"csrfmiddlewaretoken": check.csrf()})
            sent = record(
                "public-send",
                lambda: expect(s.request("POST", "/complain/check-your-answers/", body, headers), 302),
            )
            if not sent.location.startswith("/complain/sent/"):
                raise load.Failed(f"the send went to {sent.location}, not the confirmation")

        return session, turn

    return opener


def _fresh(session: Session, address: str) -> None:
    """Forget the last customer's cookies and come from a new address."""
    if isinstance(session, load.HttpSession):
        session.cookies.clear()
        session.headers["X-Forwarded-For"] = address
    elif isinstance(session, load.InProcessSession):
        session.client.cookies.clear()
        # In this process there is no proxy: the address is the client's own. From 127.0.0.1
        # every run's query count would be one more send from one address, refused (429) after
        # a few runs within the hour, leaving the public form's queries uncounted.
        session.client.defaults["REMOTE_ADDR"] = address


def _public_answers(found: Found, n: int) -> dict[str, dict[str, Any]]:
    happened = timezone.localdate() - dt.timedelta(days=6)
    return {
        "who": {"who": "tenant"},
        "name": {"first_name": "Ada", "last_name": f"Lovelace {n}"},
        "address": {"line_1": "1 Cromer Road", "line_2": "", "town": "North Walsham", "postcode": "NR28 0NB"},
        "contact": {
            "email": f"ada.{n}.{secrets.token_hex(3)}@example.org",
            "phone": "",
            "preferred": "email",
            "preferred_time": "Mornings",
        },
        "help": {"kinds": ["large_print"]},
        "landlord": {"organisation": found.organisation_id},
        "about": {"category": found.category},
        "what-went-wrong": {
            "summary": "Roof leak not repaired",
            "description": "The roof has leaked since October and nobody came to fix it.",
        },
        "when": {**_date_boxes("matter_date", happened), **_date_boxes("became_aware_on", None)},
        "put-right": {"desired_outcome": "Repair the roof and redecorate the bedroom."},
        "evidence": {"action": "continue"},
    }


def _date_boxes(name: str, day: dt.date | None) -> dict[str, str]:
    return {f"{name}-{part}": str(getattr(day, part)) if day else "" for part in ("day", "month", "year")}


def api(key: str, method: str, path: str) -> Callable[[Found], Opener]:
    """The API with the manager's token: a read of ``path``, or (POST) logging a complaint."""

    def opener_for(found: Found) -> Opener:
        def opener(new: Callable[[], Session]) -> tuple[Session, load.Turn]:
            session = new()
            bearer = {"Authorization": f"Bearer {found.api_key}"}
            target = path.format(reference=found.reference)

            def turn(s: Session, record: Record) -> None:
                if method == "GET":
                    record(key, lambda: expect(s.request("GET", target, headers=bearer), 200))
                    return
                body = json.dumps(
                    {
                        "organisation": LANDLORD,
                        "customer_id": found.customer_id,
                        "channel": "email",
                        "category": found.category,
                        "summary": "Repair appointment missed",
                        "description": "Nobody came to the appointment on Tuesday and nobody called.",
                        "points": ["The appointment was missed", "Nobody called to say so"],
                    }
                ).encode()
                headers = {**bearer, "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
                record(key, lambda: expect(s.request("POST", target, body, headers), 201))

            return session, turn

        return opener

    return opener_for


PAGES: tuple[Page, ...] = (
    Page("home", "home, Senior Manager (every case)", staff_get("manager", "home", "/work/")),
    Page(
        "home-officer", "home, Resolution Officer (one team)", staff_get("officer", "home-officer", "/work/")
    ),
    Page("list", "list, first page, Senior Manager", staff_get("manager", "list", "/work/complaints/")),
    Page(
        "list-officer",
        "list, first page, Resolution Officer",
        staff_get("officer", "list-officer", "/work/complaints/"),
    ),
    Page(
        "list-filtered",
        "list filtered to stage 1",
        staff_get("manager", "list-filtered", "/work/complaints/?state=stage1"),
    ),
    Page(
        "list-sorted",
        "list sorted by customer",
        staff_get("manager", "list-sorted", "/work/complaints/?sort=customer"),
    ),
    Page(
        "list-search",
        f'list searched for "{SEARCH}"',
        staff_get("manager", "list-search", f"/work/complaints/?q={SEARCH}"),
    ),
    Page(
        "list-search-none",
        f'list searched for a word nothing has ("{NOTHING}")',
        staff_get("manager", "list-search-none", f"/work/complaints/?q={NOTHING}"),
    ),
    Page("case", "case page", staff_get("manager", "case", "/work/complaints/{reference}/")),
    Page("team", "team page, Senior Manager", staff_get("manager", "team", "/work/team/")),
    Page(
        "team-officer", "team page, Resolution Officer", staff_get("officer", "team-officer", "/work/team/")
    ),
    Page("log-form", "log form", staff_get("manager", "log-form", "/work/log/")),
    Page("log-post", "log form, POST (a new customer's complaint)", log_form_post),
    Page("reports", "reports dashboard", staff_get("manager", "reports", "/work/reports/")),
    Page("tsm", "TSM report", staff_get("manager", "tsm", "/work/reports/tsm/")),
    Page("letter-pdf", "a letter's PDF", staff_get("manager", "letter-pdf", "{letter}")),
    Page("public-start", "public start page", lambda found: _public_get("public-start", "/")),
    Page(
        "public-form",
        "public form: each page opened, answered, then sent",
        public_form,
        ("public-page", "public-answer", "public-send"),
    ),
    Page("api-list", "API list, first page", api("api-list", "GET", "/api/v1/complaints")),
    Page("api-read", "API read one", api("api-read", "GET", "/api/v1/complaints/{reference}")),
    Page("api-create", "API create", api("api-create", "POST", "/api/v1/complaints")),
)
LABELS = {
    **{page.key: page.label for page in PAGES},
    "public-page": "public form, a page (GET)",
    "public-answer": "public form, a page answered (POST)",
    "public-send": "public form, the submit",
    "sweep": "deadline sweep (in-process)",
    "sweep-again": "deadline sweep again, straight after (in-process)",
}


def _public_get(key: str, path: str) -> Opener:
    def opener(new: Callable[[], Session]) -> tuple[Session, load.Turn]:
        def turn(s: Session, record: Record) -> None:
            record(key, lambda: expect(s.request("GET", path), 200))

        return new(), turn

    return opener


# --- The run ---------------------------------------------------------------------------------


class Run:
    help = (
        "Serve putright as production does (putright serve, 2 workers, and the worker) on a free "
        "loopback port and measure every staff page, the public form, the API, a letter's PDF and "
        "the deadline sweep over real HTTP: requests a second, p50/p95/p99, errors and queries per "
        "request. Seeds an empty database first when given --complaints."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--complaints", type=int, help="seed this many complaints first when the database has none"
        )
        parser.add_argument("--seconds", type=float, default=10, help="load each page this long (default 10)")
        parser.add_argument(
            "--connections", type=int, default=4, help="concurrent keep-alive connections (default 4)"
        )
        parser.add_argument("--json", dest="json_path", help="write the figures to this file as JSON")
        parser.add_argument(
            "--pages",
            nargs="+",
            metavar="PAGE",
            help="only these (default all, and the sweep): " + ", ".join([p.key for p in PAGES] + ["sweep"]),
        )
        parser.add_argument("--port", type=int, help="serve on this loopback port (default: a free one)")
        parser.add_argument("--peer", choices=PEERS, help="also measure a peer side by side")

    def run(self, options: dict[str, Any], stdout: Any) -> None:
        options = {**options, "stdout": stdout}
        if settings.PRODUCTION:
            raise CommandError("putright bench run refuses a production database (PUTRIGHT_ENV=production).")
        if options["seconds"] <= 0 or options["connections"] < 1:
            raise CommandError("--seconds must be above 0 and --connections at least 1")
        chosen = _chosen(options["pages"])
        phases: dict[str, float] = {}
        began = time.perf_counter()
        complaints = prepare_database(options["complaints"], stdout)
        found = find(stdout)
        phases["database"] = time.perf_counter() - began
        results: dict[str, Figures] = {}
        side: list[dict[str, Any]] = []
        try:
            if options["peer"]:
                from putright.bench import peer

                began = time.perf_counter()
                peer_setup = peer.prepare_peer(
                    Path(settings.DATA_DIR), complaints, _events_per_complaint(), found.password, stdout
                )
                phases["peer setup"] = time.perf_counter() - began
            if "sweep" in chosen:
                results.update(time_sweep())
            pages = [page for page in PAGES if page.key in chosen]
            if pages or options["peer"]:
                port = options["port"] or free_port()
                began = time.perf_counter()
                with serving(port, Path(settings.DATA_DIR), stdout):
                    phases["start"] = time.perf_counter() - began
                    began = time.perf_counter()
                    for page in pages:
                        stdout.write(f"  {page.label}…\n")
                        stdout.flush()
                        results.update(measure(page, found, port, options["seconds"], options["connections"]))
                    phases["pages"] = time.perf_counter() - began
                    if options["peer"]:
                        began = time.perf_counter()
                        side = _side_by_side(peer_setup, found, port, options)
                        phases["side by side"] = time.perf_counter() - began
        finally:
            _revoke(found)
        report = summary(results, complaints, options)
        report["phases_seconds"] = {name: round(value, 1) for name, value in phases.items()}
        stdout.write(table(report))
        if side:
            from putright.bench.peer import ratio_table

            report["peer"] = {"name": "django-helpdesk 2.6.1", "pairs": side}
            stdout.write(ratio_table(side))
        stdout.write(
            "Took "
            + ", ".join(f"{value:.0f} s for {name}" for name, value in report["phases_seconds"].items())
            + " (database: migrate, seed, find).\n"
        )
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(report, indent=2) + "\n")
            stdout.write(f"Wrote {options['json_path']}.\n")


def _events_per_complaint() -> int:
    from putright.cases.models import Complaint, TimelineEvent

    return max(1, round(TimelineEvent.objects.count() / max(1, Complaint.objects.count())))


def _side_by_side(peer_setup: Any, found: Found, port: int, options: dict[str, Any]) -> list[dict[str, Any]]:
    from putright.bench import peer

    python, env, peer_found = peer_setup
    peer_port = free_port()
    log = Path(settings.DATA_DIR) / "logs" / "bench-peer.log"
    by_key = {page.key: page for page in PAGES}
    with peer.serving_peer(python, env, peer_port, log):
        return peer.side_by_side(
            lambda key: by_key[key].opener(found),
            peer_found,
            port,
            peer_port,
            options["seconds"],
            options["connections"],
            options["stdout"],
        )


def _chosen(pages: list[str] | None) -> set[str]:
    every = {page.key for page in PAGES} | {"sweep"}
    if not pages:
        return every
    unknown = sorted(set(pages) - every)
    if unknown:
        raise CommandError(f"no page {', '.join(unknown)}: choose from {', '.join(sorted(every))}")
    return set(pages)


def prepare_database(complaints: int | None, stdout: TextIO) -> int:
    """Migrate, seed an empty database when asked; the number of complaints it holds."""
    from putright.bench.seeding import seed
    from putright.cases.bulk import vacuum_and_analyse
    from putright.cases.models import Complaint

    call_command("migrate", interactive=False, verbosity=0)
    existing = Complaint.objects.count()
    if existing:
        if complaints and complaints != existing:
            stdout.write(
                f"The database already has {existing:,} complaints: measuring those, not {complaints:,}.\n"
            )
        return existing
    if not complaints:
        raise CommandError("the database has no complaints: give --complaints N to seed it first")
    if complaints < 1:
        raise CommandError("--complaints must be at least 1")
    stdout.write(f"Seeding {complaints:,} complaints ({connection.vendor})…\n")
    filled = seed(complaints, progress=sys.stderr)
    stdout.write(f"  {filled.rate:,.0f} complaints a second; {vacuum_and_analyse()}.\n")
    return complaints


def find(stdout: TextIO) -> Found:
    """The people, case, letter, customer and API token the run measures with."""
    from putright.accounts.models import Organisation, User
    from putright.accounts.tokens import create_token
    from putright.bench.seeding import PASSWORD_VARIABLE
    from putright.cases.demo import DEFAULT_PASSWORD
    from putright.cases.models import Complaint, Customer
    from putright.cases.policies import current_policy
    from putright.comms.models import Letter

    password = os.environ.get(PASSWORD_VARIABLE) or DEFAULT_PASSWORD
    people = {u.username: u for u in User.objects.filter(username__in=[MANAGER, OFFICER])}
    for username in (MANAGER, OFFICER):
        user = people.get(username)
        if user is None:
            raise CommandError(f"no {username} in the database: seed it with putright bench seed")
        if not user.check_password(password):
            raise CommandError(
                f"{username} does not sign in with the seed's password: set {PASSWORD_VARIABLE}"
            )
    officer = people[OFFICER]
    organisation = Organisation.objects.get(short_name=LANDLORD)
    complaint = (
        Complaint.objects.filter(organisation=organisation, owner__team=officer.team)
        .exclude(customer=None)
        .order_by("-received_at")
        .first()
    ) or Complaint.objects.filter(organisation=organisation).order_by("-received_at").first()
    if complaint is None:
        raise CommandError(f"no complaint of {LANDLORD} to measure the case page with")
    # A letter whose PDF is in this data folder: one sent by a run with another data folder over
    # the same database (a PostgreSQL one, say) is in the database but not on this disk.
    letters = Letter.objects.filter(complaint=complaint).exclude(pdf="").order_by("pk")
    letter = next((each for each in letters if each.pdf.storage.exists(each.pdf.name)), None)
    if letter is None:
        letter = _send_letter(complaint, people[MANAGER])
    customer = Customer.objects.filter(organisation=organisation).order_by("pk").first()
    if customer is None:
        raise CommandError(f"no customer of {LANDLORD} to log complaints for")
    token, key = create_token(
        user=people[MANAGER], name=f"bench run {timezone.now():%Y-%m-%d %H:%M:%S}", created_by=None
    )
    stdout.write(
        f"Measuring as {MANAGER} (every case) and {OFFICER} (one team); case {complaint.reference}.\n"
    )
    return Found(
        password=password,
        reference=complaint.reference,
        letter_path=f"/work/complaints/{complaint.reference}/letters/{letter.pk}/pdf/",
        organisation_id=organisation.pk,
        customer_id=customer.pk,
        category=current_policy().policy.eligibility.reasons_to_complain[0].key,
        api_key=key,
        api_token_id=token.pk,
    )


def _send_letter(complaint: Any, user: Any) -> Any:
    """A letter sent through the letters service, as staff send one (its PDF made once): the first
    kind the case's facts allow now (the acknowledgement while a stage is open; after the stage's
    response, the response letter or another)."""
    from putright.cases.errors import InvalidInput
    from putright.comms.letters.availability import available
    from putright.comms.letters.letter_context import load
    from putright.comms.letters.services import letters

    for kind in available(load(complaint.pk)):
        draft = letters.draft(complaint, kind)
        try:
            return letters.send_letter(
                complaint.pk,
                kind,
                subject=draft.subject,
                body=draft.body,
                template_id=draft.template.pk,
                actor=user,
            )
        except InvalidInput:
            continue  # a kind that needs more than its template's words (a blank to fill)
    raise CommandError(f"no letter can be sent on {complaint.reference} now, to measure a letter's PDF")


def _revoke(found: Found) -> None:
    from putright.accounts.models import ApiToken
    from putright.accounts.tokens import revoke_token

    token = ApiToken.objects.filter(pk=found.api_token_id).first()
    if token is not None:
        revoke_token(token)


def time_sweep() -> dict[str, Figures]:
    """The deadline sweep in this process: its first run over the data, then one with nothing new."""
    from putright.comms.reminders.sweep import sweep

    figures = {}
    for name in ("sweep", "sweep-again"):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            done = sweep()
            elapsed = time.perf_counter() - started
        sent = ", ".join(f"{k} {v:,}" for k, v in sorted(done.items())) or "nothing due"
        figures[name] = Figures(
            name, latencies=[elapsed], seconds=elapsed, queries=len(captured.captured_queries), note=sent
        )
    return figures


def measure(page: Page, found: Found, port: int, seconds: float, connections: int) -> dict[str, Figures]:
    """Load one page over HTTP, then count its queries in this process."""
    opener = page.opener(found)
    try:
        figures = load.run_load(
            opener, lambda: load.HttpSession("127.0.0.1", port), connections=connections, seconds=seconds
        )
    except load.Failed as error:  # no connection could even start (e.g. signing in was refused)
        figures = {
            name: Figures(name, errors=1, first_error=str(error), seconds=seconds) for name in page.names
        }
    try:
        queries = load.count_queries(opener, load.InProcessSession)
    except load.Failed as error:
        queries = {}
        for name in page.names:
            figures.setdefault(name, Figures(name)).note = f"queries not counted: {error}"
    for name in page.names:
        kept = figures.setdefault(name, Figures(name, seconds=seconds))
        kept.queries = queries.get(name)
    if "connection" in figures:  # requests that failed below HTTP (a refused or dropped connection)
        figures[f"{page.key}-connection"] = figures.pop("connection")
    return figures


# --- The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_environment(port: int, smtp_port: int) -> dict[str, str]:
    """This process's environment with production's settings for a service on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    env.update(
        PUTRIGHT_ENV="production",
        PUTRIGHT_DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        PUTRIGHT_DATA_DIR=str(settings.DATA_DIR),
        PUTRIGHT_SSL_REDIRECT="false",  # TLS is the proxy's, in front
        PUTRIGHT_TRUSTED_PROXIES="127.0.0.1",  # X-Forwarded-For from "the proxy"
        PUTRIGHT_BASE_URL=f"http://127.0.0.1:{port}",
        # Mail to the run's own relay on loopback (putright.bench.mailsink), which accepts it at once.
        PUTRIGHT_SMTP_HOST="127.0.0.1",
        PUTRIGHT_SMTP_PORT=str(smtp_port),
        PUTRIGHT_SMTP_STARTTLS="false",
        PUTRIGHT_MAIL_FROM="complaints@example.org",
        PYTHONUNBUFFERED="1",
    )
    return env  # DATABASE_URL as this process has it (unset: SQLite in PUTRIGHT_DATA_DIR)


@contextmanager
def serving(port: int, data_dir: Path, stdout: TextIO) -> Iterator[None]:
    """``putright serve`` (2 workers) and ``putright worker`` until the block ends, with a mail relay."""
    with MailSink() as relay:
        yield from _serving(port, data_dir, stdout, relay)
        stdout.write(f"The mail relay accepted {relay.accepted:,} emails from the worker.\n")


def _serving(port: int, data_dir: Path, stdout: TextIO, relay: MailSink) -> Iterator[None]:
    env = production_environment(port, relay.port)
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "putright"]
    processes: list[subprocess.Popen[bytes]] = []
    started = time.perf_counter()
    try:
        with (logs / "bench-worker.log").open("wb") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter, arguments we built
                    [*command, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
                )
            )
        server_log = logs / "bench-server.log"
        with server_log.open("wb") as log:
            server = subprocess.Popen(  # noqa: S603 - our own interpreter, arguments we built
                [*command, "serve", "--address", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes.append(server)
        _wait_for(server, f"http://127.0.0.1:{port}/health", server_log)
        stdout.write(
            f"Serving at http://127.0.0.1:{port} (production settings, {WORKERS} workers; "
            f"ready in {time.perf_counter() - started:.1f} s; logs in {logs}).\n"
        )
        wait_for_quiet_worker(stdout)
        yield
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(processes):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def wait_for_quiet_worker(stdout: TextIO, timeout: float = 900, poll: float = 2) -> None:
    """Wait until the worker has sent every email due and run every task ready.

    The first sweep over a seeded database queues thousands of reminders (14,000 at 100,000
    complaints), and a new worker runs its daily jobs at once. Measured meanwhile, every page
    that writes would queue behind the worker's writes (SQLite has one writer), and the figures
    would be the backlog's, not the pages'. A landlord's worker is idle almost all the time."""
    began = time.monotonic()
    shown = began
    quiet = 0
    while quiet < 2:  # twice in a row: a task just finished may have queued the next
        waiting = _worker_backlog()
        quiet = quiet + 1 if waiting == 0 else 0
        now = time.monotonic()
        if now - began > timeout:
            stdout.write(
                f"  the worker still had {waiting:,} emails and tasks after {timeout:.0f} s; measuring\n"
            )
            return
        if waiting and now - shown >= 15:
            stdout.write(f"  waiting for the worker: {waiting:,} emails and tasks to go\n")
            stdout.flush()
            shown = now
        time.sleep(poll)
    if time.monotonic() - began > 2 * poll + 1:
        stdout.write(f"The worker's backlog was done in {time.monotonic() - began:.0f} s.\n")


def _worker_backlog() -> int:
    from putright.comms.models import EmailStatus, OutboundEmail

    now = timezone.now()
    due = OutboundEmail.objects.filter(
        status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=now
    ).count()
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return due
    from django_tasks_db.models import DBTaskResult

    return due + DBTaskResult.objects.ready().count()


def _wait_for(server: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(
                f"putright serve exited ({server.returncode}):\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 # nosec B310 (our own loopback URL)
                return
        except OSError:
            time.sleep(0.3)
    raise CommandError(
        f"putright serve did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}"
    )


# --- The report ------------------------------------------------------------------------------


def summary(results: dict[str, Figures], complaints: int, options: dict[str, Any]) -> dict[str, Any]:
    order = [name for page in PAGES for name in page.names]
    order = ["sweep", "sweep-again", *order]
    order += sorted(set(results) - set(order))  # connections that failed, by page
    rows = []
    for name in order:
        if name in results:
            row = results[name].as_json()
            row["key"], row["label"] = name, LABELS.get(name, name)
            rows.append(row)
    return {
        "when": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "complaints": complaints,
        "seconds_per_page": options["seconds"],
        "connections": options["connections"],
        "server": {"command": "putright serve", "workers": WORKERS, "settings": "production"},
        "machine": {
            "cores": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "pages": rows,
    }


def table(report: dict[str, Any]) -> str:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:,.1f}"

    lines = [
        "",
        (
            f"putright bench run: {report['complaints']:,} complaints on {report['database']}, "
            f"{report['connections']} connections, {report['seconds_per_page']:g} s a page, "
            f"load average {report['machine']['load_average'][0]} on {report['machine']['cores']} cores"
        ),
        "",
        f"{'page':<52}{'req/s':>9}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}{'queries':>9}",
    ]
    for row in report["pages"]:
        rate = "-" if row["requests_per_second"] is None else f"{row['requests_per_second']:,.1f}"
        queries = "-" if row["queries"] is None else str(row["queries"])
        lines.append(
            f"{row['label'][:51]:<52}{rate:>9}{ms(row['p50_ms']):>10}{ms(row['p95_ms']):>10}"
            f"{ms(row['p99_ms']):>10}{row['errors']:>8}{queries:>9}"
        )
    errors = [row for row in report["pages"] if row["errors"]]
    for row in errors:
        lines.append(f"  {row['key']}: {row['first_error'][:300]}")
    for row in report["pages"]:
        if row["note"] and row["key"].startswith("sweep"):
            lines.append(f"  {row['key']}: {row['note']}")
    return "\n".join(lines) + "\n"
