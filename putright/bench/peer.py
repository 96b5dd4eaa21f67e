"""``putright bench run --peer django-helpdesk``: the same work on django-helpdesk, side by side.

Nothing of the peer is part of putright: its own virtual environment outside the checkout
(``~/.cache/putright-bench/peer/venv``, or ``PUTRIGHT_BENCH_PEER_DIR``), with django-helpdesk and
gunicorn installed from the package registry at pinned versions; a minimal Django project of
its own written beside its database under ``PUTRIGHT_DATA_DIR/peer`` (its own settings:
DEBUG off, SQLite in WAL mode as putright's default, email not sent); the same number of
tickets as putright has complaints, each with as many follow-ups as putright's complaints have
timeline events on average, written in bulk; served by gunicorn with putright's own server
settings (2 workers, gthread, 4 threads each).

The comparable work (PAIRS): the list of open cases, a search, viewing one, creating one
through the staff form and through the API, and the page staff land on. django-helpdesk's list
is a page whose rows come from a second request (its DataTables JSON): both are one "list" here,
as a person waits for both. Each pair is measured in alternating slices (putright, the peer,
putright, ...) so that a noisy machine slows both alike, and the ratio is the peer's time over
putright's.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError

from putright.bench import load
from putright.bench.load import Figures, Opener, Record, Session, expect, form

HELPDESK = "django-helpdesk==2.6.1"
GUNICORN = "gunicorn==23.0.0"
USERNAME = "bench"
SEARCH = "mould"


@dataclass(frozen=True)
class Pair:
    key: str
    label: str
    putright: str  # the putright page key (running.PAGES)
    peer: Callable[[PeerFound], Opener]


@dataclass
class PeerFound:
    password: str
    ticket_id: int
    queue_id: int
    api_token: str


# --- Setting the peer up ----------------------------------------------------------------------


def peer_home() -> Path:
    chosen = os.environ.get("PUTRIGHT_BENCH_PEER_DIR", "").strip()
    return Path(chosen) if chosen else Path.home() / ".cache" / "putright-bench" / "peer"


def ensure_venv(stdout: TextIO) -> Path:
    """The peer's Python, its environment made and the pinned packages installed once."""
    venv = peer_home() / "venv"
    python = venv / "bin" / "python"
    marker = venv / f"installed-{HELPDESK}-{GUNICORN}"
    if marker.exists():
        return python
    stdout.write(f"Installing {HELPDESK} and {GUNICORN} into {venv}…\n")
    stdout.flush()
    venv.parent.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "venv", str(venv)], "making the peer's environment")
    _run([str(python), "-m", "pip", "install", "-q", HELPDESK, GUNICORN], f"pip install {HELPDESK}")
    marker.write_text("")
    return python


def _run(command: list[str], what: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreters, arguments we built
        command, capture_output=True, text=True, env=env, cwd=cwd, timeout=3600
    )
    if done.returncode != 0:
        raise CommandError(f"{what} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


SETTINGS = '''"""A minimal project for django-helpdesk, written by putright bench run (never committed)."""
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["PEER_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "peersite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["PEER_DATABASE"],
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/London"
STATIC_URL = "/static/"
STATIC_ROOT = HERE / "static"
MEDIA_ROOT = HERE / "media"
LOGIN_URL = "/helpdesk/login/"
LOGIN_REDIRECT_URL = "/helpdesk/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
HELPDESK_API_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False  # no pinax-teams: teams are not part of the work compared
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
'''

URLS = """from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("helpdesk/", include("helpdesk.urls", namespace="helpdesk")),
]
"""

WSGI = """import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
application = get_wsgi_application()
"""

#: Run by the peer's Python: fill it in bulk (once for a given size) and print what to measure.
FILL = """import datetime as dt, json, random, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from helpdesk.models import FollowUp, Queue, Ticket

tickets, followups, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
random.seed(2026)
user = User.objects.filter(username="bench").first()
if user is None:
    user = User.objects.create_superuser("bench", "bench@example.org", password)
staff = list(User.objects.filter(username__startswith="staff"))
if not staff:
    staff = [User.objects.create_user(f"staff{n}", f"staff{n}@example.org", password, is_staff=True)
             for n in range(20)]
queue, _ = Queue.objects.get_or_create(slug="complaints", defaults={"title": "Complaints"})
WORDS = ("repair", "damp", "mould", "roof", "leak", "heating", "boiler", "noise", "neighbour", "rent",
         "window", "door", "kitchen", "bathroom", "appointment", "missed", "call", "staff", "garden")
if Ticket.objects.count() != tickets:
    Ticket.objects.all().delete()
    now = timezone.now()
    batch = 5000
    made = 0
    while made < tickets:
        size = min(batch, tickets - made)
        rows = []
        for n in range(made, made + size):
            created = now - dt.timedelta(minutes=random.randrange(5 * 365 * 24 * 60))
            words = random.sample(WORDS, 4)
            status = random.choices([1, 2, 3, 4], [20, 2, 8, 70])[0]
            rows.append(Ticket(
                title=" ".join(words).capitalize(), queue=queue, created=created, modified=created,
                submitter_email=f"customer{n}@example.org", status=status,
                assigned_to=user if n % 3 == 0 else random.choice(staff),
                description=" ".join(random.choices(WORDS, k=40)), priority=random.randint(1, 5),
                due_date=created + dt.timedelta(days=10),
            ))
        with transaction.atomic():
            made_tickets = Ticket.objects.bulk_create(rows)
            FollowUp.objects.bulk_create(
                FollowUp(ticket=t, date=t.created + dt.timedelta(days=k), title=f"Update {k}",
                         comment=" ".join(random.choices(WORDS, k=25)), public=k % 2 == 0,
                         user=random.choice(staff))
                for t in made_tickets for k in range(followups)
            )
        made += size
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
token, _ = Token.objects.get_or_create(user=user)
ticket = Ticket.objects.filter(status=1).order_by("-created").first()
print(json.dumps({"ticket_id": ticket.pk, "queue_id": queue.pk, "api_token": token.key}))
"""


def prepare_peer(
    data_dir: Path, tickets: int, followups: int, password: str, stdout: TextIO
) -> tuple[Path, dict[str, str], PeerFound]:
    """The peer installed, its project written and filled; its Python, environment and what to measure."""
    python = ensure_venv(stdout)
    project = data_dir / "peer"
    (project / "peersite").mkdir(parents=True, exist_ok=True)
    for name, text in (("__init__.py", ""), ("settings.py", SETTINGS), ("urls.py", URLS), ("wsgi.py", WSGI)):
        (project / "peersite" / name).write_text(text)
    (project / "fill.py").write_text(FILL)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PUTRIGHT_", "DATABASE_URL"))},
        "PYTHONPATH": str(project),
        "DJANGO_SETTINGS_MODULE": "peersite.settings",
        "PEER_SECRET_KEY": secrets.token_urlsafe(50),
        "PEER_DATABASE": str(project / "peer.sqlite3"),
    }
    stdout.write(f"Filling django-helpdesk with {tickets:,} tickets, {followups} follow-ups each…\n")
    stdout.flush()
    _run(
        [str(python), "-m", "django", "migrate", "--no-input", "-v", "0"], "migrating the peer", env, project
    )
    started = time.perf_counter()
    out = _run(
        [str(python), "fill.py", str(tickets), str(followups), password], "filling the peer", env, project
    )
    stdout.write(f"  ready in {time.perf_counter() - started:.1f} s.\n")
    found = json.loads(out.strip().splitlines()[-1])
    return python, env, PeerFound(password=password, **found)


@contextmanager
def serving_peer(python: Path, env: dict[str, str], port: int, log: Path) -> Iterator[None]:
    """django-helpdesk under gunicorn with putright serve's settings (2 workers, gthread, 4 threads)."""
    command = [
        str(python), "-m", "gunicorn", "peersite.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--worker-class", "gthread", "--threads", "4", "--timeout", "60",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - the peer's own interpreter, arguments we built
            command, env=env, cwd=env["PYTHONPATH"], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None:
                raise CommandError(f"the peer's gunicorn exited:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                session = load.HttpSession("127.0.0.1", port)
                session.request("GET", "/helpdesk/login/")
                session.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise CommandError("the peer did not answer within 180 s") from None
                time.sleep(0.3)
        yield
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


# --- The peer's scenarios ---------------------------------------------------------------------


def sign_in_peer(session: Session, password: str) -> None:
    from putright.bench.running import reuse_signed_in

    if reuse_signed_in(session, "peer:" + USERNAME):
        return
    page = expect(session.request("GET", "/helpdesk/login/"), 200)
    body, headers = form({"csrfmiddlewaretoken": page.csrf(), "username": USERNAME, "password": password})
    expect(session.request("POST", "/helpdesk/login/", body, headers), 302)


def _signed_in(turn_for: Callable[[PeerFound], load.Turn]) -> Callable[[PeerFound], Opener]:
    def opener_for(found: PeerFound) -> Opener:
        def opener(new: Callable[[], Session]) -> tuple[Session, load.Turn]:
            session = new()
            sign_in_peer(session, found.password)
            return session, turn_for(found)

        return opener

    return opener_for


DATATABLES = re.compile(r"datatables_ticket_list/([A-Za-z0-9+/=_-]+)")


def _list(path: str) -> Callable[[PeerFound], load.Turn]:
    """The list page, then the rows its table asks for (one wait for a person)."""

    def turn_for(found: PeerFound) -> load.Turn:
        def turn(s: Session, record: Record) -> None:
            def both() -> load.Reply:
                page = expect(s.request("GET", path), 200)
                query = DATATABLES.search(page.text)
                if query is None:
                    raise load.Failed("the ticket list names no DataTables query")
                rows = f"/helpdesk/datatables_ticket_list/{query.group(1)}?draw=1&start=0&length=25"
                return expect(s.request("GET", rows), 200)

            record("peer", both)

        return turn

    return turn_for


def _get(path: str) -> Callable[[PeerFound], load.Turn]:
    def turn_for(found: PeerFound) -> load.Turn:
        target = path.format(ticket=found.ticket_id)

        def turn(s: Session, record: Record) -> None:
            record("peer", lambda: expect(s.request("GET", target), 200))

        return turn

    return turn_for


def _create_form(found: PeerFound) -> load.Turn:
    def turn(s: Session, record: Record) -> None:
        page = expect(s.request("GET", "/helpdesk/tickets/submit/"), 200)
        body, headers = form(
            {
                "csrfmiddlewaretoken": page.csrf(),
                "queue": found.queue_id,
                "title": "Leaking roof not repaired",
                "body": "The roof has leaked since October and the repair was cancelled twice.",
                "priority": 3,
                "submitter_email": f"grace.{secrets.token_hex(4)}@example.org",
                "assigned_to": "",
                "due_date": "",
            }
        )
        record("peer", lambda: expect(s.request("POST", "/helpdesk/tickets/submit/", body, headers), 302))

    return turn


def _create_api(found: PeerFound) -> Opener:
    def opener(new: Callable[[], Session]) -> tuple[Session, load.Turn]:
        session = new()
        headers = {"Authorization": f"Token {found.api_token}", "Content-Type": "application/json"}

        def turn(s: Session, record: Record) -> None:
            body = json.dumps(
                {
                    "queue": found.queue_id,
                    "title": "Repair appointment missed",
                    "description": "Nobody came to the appointment on Tuesday and nobody called.",
                    "submitter_email": "customer@example.org",
                    "priority": 3,
                }
            ).encode()
            record("peer", lambda: expect(s.request("POST", "/helpdesk/api/tickets/", body, headers), 201))

        return session, turn

    return opener


PAIRS: tuple[Pair, ...] = (
    Pair("list", "list of open cases", "list", _signed_in(_list("/helpdesk/tickets/"))),
    Pair("search", f'search "{SEARCH}"', "list-search", _signed_in(_list(f"/helpdesk/tickets/?q={SEARCH}"))),
    Pair("view", "view one case", "case", _signed_in(_get("/helpdesk/tickets/{ticket}/"))),
    Pair("create-form", "create through the staff form", "log-post", _signed_in(_create_form)),
    Pair("create-api", "create through the API", "api-create", _create_api),
    Pair("home", "home page / dashboard", "home", _signed_in(_get("/helpdesk/dashboard/"))),
)


def side_by_side(
    putright_opener: Callable[[str], Opener],
    found: PeerFound,
    putright_port: int,
    peer_port: int,
    seconds: float,
    connections: int,
    stdout: TextIO,
) -> list[dict[str, Any]]:
    """Each pair in alternating slices; the figures of both and the ratios."""
    rows = []
    for pair in PAIRS:
        stdout.write(f"  side by side: {pair.label}…\n")
        stdout.flush()
        ours, theirs = Figures(pair.putright), Figures("peer")
        rounds = max(2, round(seconds))
        for _ in range(rounds):
            for kept, opener, port in (
                (ours, putright_opener(pair.putright), putright_port),
                (theirs, pair.peer(found), peer_port),
            ):
                got = load.run_load(
                    opener,
                    lambda p=port: load.HttpSession("127.0.0.1", p),  # type: ignore[misc]
                    connections=connections,
                    seconds=seconds / rounds,
                )
                for name, figures in got.items():
                    if name in (kept.name, "connection"):
                        kept.latencies += figures.latencies
                        kept.errors += figures.errors
                        kept.first_error = kept.first_error or figures.first_error
                        kept.seconds += figures.seconds if name != "connection" else 0
        a, b = ours.as_json(), theirs.as_json()
        rows.append(
            {
                "key": pair.key,
                "label": pair.label,
                "putright": a,
                "peer": b,
                "ratio_p50": _ratio(b["p50_ms"], a["p50_ms"]),
                "ratio_p95": _ratio(b["p95_ms"], a["p95_ms"]),
            }
        )
    return rows


def _ratio(peer: float | None, ours: float | None) -> float | None:
    return None if not peer or not ours else round(peer / ours, 2)


def ratio_table(rows: list[dict[str, Any]]) -> str:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:,.1f}"

    lines = [
        "",
        "Side by side with django-helpdesk 2.6.1 (interleaved slices; ratio = helpdesk's time / putright's)",
        "",
        (
            f"{'work':<34}{'putright p50':>13}{'p95':>9}{'helpdesk p50':>13}{'p95':>9}"
            f"{'× p50':>8}{'× p95':>8}{'errors':>8}"
        ),
    ]
    for row in rows:
        a, b = row["putright"], row["peer"]
        lines.append(
            f"{row['label']:<34}{ms(a['p50_ms']):>13}{ms(a['p95_ms']):>9}{ms(b['p50_ms']):>13}"
            f"{ms(b['p95_ms']):>9}{ms(row['ratio_p50']):>8}{ms(row['ratio_p95']):>8}"
            f"{a['errors'] + b['errors']:>8}"
        )
    for row in rows:
        for side in ("putright", "peer"):
            if row[side]["errors"]:
                lines.append(f"  {row['key']} ({side}): {row[side]['first_error'][:300]}")
    return "\n".join(lines) + "\n"
