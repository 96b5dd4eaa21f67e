"""Shared fixtures: organisations, staff and customers, made through the real models and services."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


def london(text: str) -> dt.datetime:
    """A London wall-clock time, e.g. london("2026-12-23 16:30")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def sign_in_with_code(client, user):
    """Sign a test client in as someone who has also given a code from an authenticator app:
    the admin site asks everyone for one, and the workspace asks administrators."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def org(db):
    return make_org()


def make_org():
    """Victory Housing Trust, a landlord of the Flagship Group (the ``org`` fixture, also made once
    for a whole module by tests that share their cases)."""
    from putright.accounts.models import Organisation, OrganisationKind

    # The group's phone number and email address: its landlord leaves its own blank and prints the
    # group's (a letter that would print a blank is refused, comms.letters.blanks).
    group = Organisation.objects.create(
        name="Flagship Group",
        short_name="FG",
        kind=OrganisationKind.GROUP,
        homes=0,
        phone="0808 157 0001",
        email="complaints@flagship-group.example",
    )
    return Organisation.objects.create(
        name="Victory Housing Trust",
        short_name="VHT",
        kind=OrganisationKind.LANDLORD,
        parent=group,
        homes=5000,
    )


@pytest.fixture
def team(org):
    return make_team(org)


def make_team(org):
    from putright.accounts.models import Team

    return Team.objects.create(name="Learning and Resolution Team", organisation=org)


def _user(username, role, team=None, org=None):
    from putright.accounts.models import User

    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        first_name=username.title(),
        last_name="Staff",
        role=role,
        team=team,
    )
    if org is not None:
        user.organisations.add(org)
    return user


@pytest.fixture
def officer(org, team):
    from putright.accounts.models import Role

    return _user("olivia", Role.RESOLUTION_OFFICER, team, org)


@pytest.fixture
def second_officer(org, team):
    from putright.accounts.models import Role

    return _user("oscar", Role.RESOLUTION_OFFICER, team, org)


@pytest.fixture
def senior(org, team):
    from putright.accounts.models import Role

    return _user("sam", Role.SENIOR_MANAGER, team, org)


@pytest.fixture
def frontline(org, team):
    from putright.accounts.models import Role

    return _user("fran", Role.CUSTOMER_SERVICES, team, org)


@pytest.fixture
def customer(org):
    return make_customer(org)


def make_customer(org):
    from putright.cases.services.customers import create_customer

    return create_customer(
        organisation=org,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        phone="01603 000000",
        postcode="nr28 0nb",
    )


@pytest.fixture
def log(org, customer, frontline):
    """Log a complaint received at a London time: log("2026-03-02 10:00", points=[...])."""
    return complaint_logger(org, customer, frontline)


def complaint_logger(org, customer, frontline):
    """The ``log`` fixture's function, for the customer, logged by front-line staff."""
    from putright.cases.services.intake import log_complaint

    def make(received: str, *, points=("The repair was not done", "Nobody called back"), **extra):
        fields = {
            "organisation": org,
            "customer": customer,
            "channel": "phone",
            "received_at": london(received),
            "summary": "Leaking roof not repaired",
            "description": "The roof has leaked since January and the repair was cancelled twice.",
            "points": list(points),
            "category": "service_failure",
            "actor": frontline,
        }
        fields.update(extra)
        return log_complaint(**fields)

    return make


# A real SMTP server on loopback --------------------------------------------------------


class SmtpServer:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts.

    ``stop()`` takes it down (connections are refused, as from a mail server
    that is down) and ``start()`` brings it back on the same port. Addresses at
    ``refused.example`` are refused for good (550), as an unknown mailbox is.
    """

    REFUSED_DOMAIN = "@refused.example"

    def __init__(self) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.host = "127.0.0.1"
        #: (envelope sender, envelope recipients, parsed message), in the order they arrived.
        self.received: list[tuple[str, list[str], object]] = []
        #: The parsed messages (email.message.EmailMessage) alone, in the order they arrived.
        self.messages: list = []
        #: The client's end (address, port) of the connection each message came on: one per connection.
        self.connections: list[tuple[str, int]] = []
        #: Close a connection after it has carried this many messages, as some relays do (None: never).
        self.messages_per_connection: int | None = None
        self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address.lower().endswith(self.REFUSED_DOMAIN):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        import email
        from email import policy

        parsed = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        self.messages.append(parsed)
        self.connections.append(session.peer)
        return "250 Message accepted for delivery"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 (aiosmtpd's name)
        limit = self.messages_per_connection
        if limit and self.connections.count(session.peer) >= limit:
            # As Postfix's smtpd_client_message_rate_limit answers, and hangs up.
            server.transport.close()
            return "421 4.7.0 Too many messages on this connection, closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(settings):
    """A running SmtpServer, and the worker's delivery pointed at it (the outbox is not switched on:
    tests that send through Django's mail also set ``settings.EMAIL_BACKEND = OUTBOX``)."""
    server = SmtpServer()
    server.start()
    settings.PUTRIGHT_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


#: Django's EMAIL_BACKEND in production (pytest-django swaps in locmem for tests).
OUTBOX = "putright.comms.email.outbox.OutboxBackend"
#: Runs a task as soon as it is enqueued: the outbox's nudge after commit then delivers at once.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def delivered_mail(settings, smtp_server):
    """The messages the worker delivers to a real SMTP server, as soon as their step commits.

    Everything goes the production road: Django's mail to the outbox, the
    nudge after commit, the delivery task (run at once), SMTP on loopback.
    """
    settings.EMAIL_BACKEND = OUTBOX
    settings.TASKS = IMMEDIATE_TASKS
    return smtp_server.messages


@pytest.fixture(params=["code-2024", "flagship"])
def shipped_policy(request, settings):
    """Each policy putright ships, in force in turn: the main journeys must run under every one."""
    from putright.procedure import loader

    assert sorted(loader.BUILTIN) == ["code-2024", "flagship"], "parametrize over every shipped policy"
    with policy_in_force(settings, request.param):
        yield loader.load(request.param).policy


@contextmanager
def policy_in_force(settings, name_or_path: str):
    """Put a built-in policy (by name) or a policy file in force, forgetting the one loaded before.

    The one way the tests swap the policy: ``shipped_policy``, ``code_2024`` and the tests
    that put an edited policy file in force all use it.
    """
    from putright.cases import policies

    settings.PUTRIGHT_POLICY = str(name_or_path)
    policies._load.cache_clear()
    try:
        yield
    finally:
        policies._load.cache_clear()


@pytest.fixture(autouse=True)
def _default_learning_lists(request):
    """A transactional test's database is emptied after it, and with it what the data migrations
    loaded (the default themes and root causes): each such test starts with them again."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from putright.learning.defaults import load_default_lists
    from putright.learning.models import RootCause, Theme

    if not Theme.objects.exists():
        load_default_lists(Theme, RootCause)


# issue 13, speed
@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Every test makes its staff with a cheap hasher: the production one (PBKDF2, a million rounds) takes
    a second of CPU per password, and the suite makes thousands. Signing in still checks the password."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# end issue 13, speed


# issue 14, serve: pages in tests name static files plainly, as the development server and the
# live server of the browser tests serve them, even when a data folder holds a manifest from
# an earlier `putright serve` (whose hashed names they would not find).
@pytest.fixture(autouse=True, scope="session")
def plain_static_file_names():
    from django.test import override_settings

    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain):
        yield
