"""Settings, all from the environment.

With nothing set, putright runs for one person on one machine: SQLite in
``./data`` (WAL mode), debug pages off, cookies allowed over plain HTTP on
localhost. ``PUTRIGHT_ENV=production`` turns on everything ``manage.py check
--deploy`` asks for and refuses to start without a real ``SECRET_KEY``.

Variables: PUTRIGHT_ENV, SECRET_KEY, DATABASE_URL, PUTRIGHT_DATA_DIR,
ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, PUTRIGHT_DEBUG, PUTRIGHT_POLICY,
PUTRIGHT_TIME_ZONE_NATION, PUTRIGHT_SQLITE_TEST_NAME, PUTRIGHT_LANDLORD_NAME,
PUTRIGHT_EMAIL_PROVIDER (smtp, graph, file or an anymail provider's name),
PUTRIGHT_SMTP_HOST (and _PORT, _USER, _PASSWORD, _STARTTLS, _SSL),
PUTRIGHT_GRAPH_TENANT_ID (and _CLIENT_ID, _CLIENT_SECRET, _SENDER, _SAVE_TO_SENT_ITEMS,
_AUTHORITY, _URL), ANYMAIL_* (django-anymail's settings by their documented names),
PUTRIGHT_MAIL_FROM, PUTRIGHT_SIGN_IN_ATTEMPTS, PUTRIGHT_LOCKOUT_MINUTES,
PUTRIGHT_ASSETS_DIR, PUTRIGHT_TASKS (database or redis), PUTRIGHT_REDIS_URL,
PUTRIGHT_EMAIL_ATTEMPTS, PUTRIGHT_REMIND_DAYS, PUTRIGHT_SWEEP_MINUTES, PUTRIGHT_DIGEST_TIME,
PUTRIGHT_BASE_URL, PUTRIGHT_CONCERN_OUTCOME_DAYS, PUTRIGHT_TSM_READING,
PUTRIGHT_INVITATION_DAYS,
PUTRIGHT_BEHIND_PROXY, PUTRIGHT_TRUSTED_PROXIES (addresses or networks of the proxies whose
X-Forwarded-For is believed), PUTRIGHT_VISIT_IDLE_MINUTES (a customer's visit, 30 by default),
PUTRIGHT_LOG_LEVEL, PUTRIGHT_LOG_FORMAT (text, the default, or json: one JSON object a line),
PUTRIGHT_METRICS_ADDRESS (host:port of the Prometheus metrics, served apart from the site;
unset, none are served), PROMETHEUS_MULTIPROC_DIR (read by prometheus-client itself),
PUTRIGHT_OIDC_ISSUER, PUTRIGHT_OIDC_CLIENT_ID, PUTRIGHT_OIDC_CLIENT_SECRET, PUTRIGHT_OIDC_GROUPS,
PUTRIGHT_OIDC_GROUPS_CLAIM, PUTRIGHT_OIDC_SCOPES, PUTRIGHT_OIDC_PROVIDER_NAME,
PUTRIGHT_OIDC_PASSWORD_SIGN_IN, PUTRIGHT_OIDC_SIGN_ALGO, PUTRIGHT_OIDC_AUTHORIZATION_ENDPOINT
(and _TOKEN_, _JWKS_, _USERINFO_ENDPOINT), PUTRIGHT_STATIC_ROOT,
PUTRIGHT_SAR_NAMED_ROLES (issue 15, sar: the roles whose names a subject access export shows),
PUTRIGHT_AUDIT_KEY (issue 15, chainhead: a secret that signs each case's timeline chain head;
unset, the heads are unsigned and the chain does not stand against a database administrator).
PUTRIGHT_LIST_COUNT_LIMIT (issue 16, search: a list counts its matches exactly up to this many
past the page's start, 1,000 by default, and beyond says "more than").

Read by `putright serve` (issue 14, serve; putright.operations.gunicorn_conf), not here:
PUTRIGHT_ADDRESS, PUTRIGHT_WEB_WORKERS, PUTRIGHT_WEB_THREADS, PUTRIGHT_WEB_TIMEOUT,
PUTRIGHT_FORWARDED_ALLOW_IPS (and PUTRIGHT_METRICS_ADDRESS, above, for its metrics server).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import ipaddress
import json
import os
import pkgutil
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from putright.operations.logs import logging_config


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_networks(name: str, default: str = "") -> list[str]:
    """A comma-separated list of IP addresses or networks (CIDR), each checked at start-up."""
    networks = []
    for part in (piece.strip() for piece in _env(name, default).split(",")):
        if not part:
            continue
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {part!r} is not an IP address or network") from None
    return networks


def _env_bool(name: str, default: bool = False) -> bool:
    value = _env(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


def _anymail_providers() -> list[str]:
    """The email providers django-anymail can send through: its backends' module names."""
    import anymail.backends

    not_providers = {"base", "base_requests", "console", "test"}
    return sorted(
        m.name for m in pkgutil.iter_modules(anymail.backends.__path__) if m.name not in not_providers
    )


def _anymail_provider_exists(name: str) -> bool:
    return re.fullmatch(r"[a-z0-9_]+", name) is not None and name in _anymail_providers()


def _installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it (it may need settings to load)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(_env("PUTRIGHT_DATA_DIR", str(Path.cwd() / "data"))).resolve()

ENVIRONMENT = _env("PUTRIGHT_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("PUTRIGHT_ENV must be development or production")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = _env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (50+ random characters)")
    SECRET_KEY = "development-only-key-not-for-production-" + "x" * 24
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}

DEBUG = _env_bool("PUTRIGHT_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("PUTRIGHT_DEBUG must not be on in production")

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else ",".join(sorted(LOCAL_HOSTS)))
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names in production")
if not PRODUCTION and set(ALLOWED_HOSTS) - LOCAL_HOSTS:
    # A development setup (published key, plain-HTTP cookies) must never face the network.
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS names a host other than this machine: set PUTRIGHT_ENV=production "
        "(and SECRET_KEY) to serve it"
    )
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "putright.accounts",
    "putright.cases",
    "putright.api",
    "django_tasks",
    "django_tasks_db",
    "putright.comms",
    "putright.learning",
    "putright.reports",
    "putright.worker",
    "putright.design",
    "putright.web",
    "putright.portal",
    # issue 13, bench: `putright bench seed` (no models)
    "putright.bench",
    # issue 14: serving, the landlord file, importing, backups
    "putright.operations",
]

MIDDLEWARE = [
    # issue 14, observe: first, so it times and counts what every other middleware does too.
    "putright.operations.middleware.ObserveRequestsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "putright.security.RequestSizeLimitMiddleware",
    "putright.security.ContentSecurityPolicyMiddleware",
    "putright.security.NoStoreMiddleware",  # issue 15, inputsec: staff pages, exports and the API
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "putright.api.middleware.ApiProblemsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# issue 14, serve: static files from the web process itself (`putright serve` runs
# collectstatic first), compressed (gzip and Brotli) and cached for ever, since their names
# carry a hash: no front proxy is needed. After the CSP middleware, so that static files carry
# the policy too. Without a manifest (a developer's runserver, the test suite) files keep
# their plain names outside production: putright.operations.staticfiles.
MIDDLEWARE.insert(
    MIDDLEWARE.index("putright.security.ContentSecurityPolicyMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "putright.operations.staticfiles.CompressedHashedStorage"},
}

ROOT_URLCONF = "putright.urls"
WSGI_APPLICATION = "putright.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "putright.web.context.workspace",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = _env("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "putright.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while one writer writes; IMMEDIATE takes the
        # write lock at the start of a transaction, so two concurrent steps on
        # one case queue up instead of failing half-way with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # issue 16, overhead: keep each thread's connection between requests, as on PostgreSQL.
        # A new one per request opened the file, set the pragmas, read the schema and started
        # with an empty page cache: 3 to 8 ms of every staff page at 100,000 complaints. In WAL
        # mode an idle connection holds no snapshot, so it keeps no writer or checkpoint waiting.
        config["CONN_MAX_AGE"] = 60
        # A file, not memory, so that tests with threads share one database.
        test_name = _env("PUTRIGHT_SQLITE_TEST_NAME", str(DATA_DIR / "test.sqlite3"))
        config["TEST"] = {"NAME": test_name}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        _without_jit(config)
    return config


def _without_jit(config: dict[str, object]) -> None:
    """PostgreSQL without JIT compilation (issue 13, speed): the reports' grouped queries cost
    enough to trigger it, and compiling them took longer than running them (2.3 s of 11 s for
    one query over 1,000,000 complaints; 5.6 s without). Kept apart from any other options the
    URL gives."""
    options = config.setdefault("OPTIONS", {})
    assert isinstance(options, dict)
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# issue 16: some indexes carry extra columns (INCLUDE) so PostgreSQL, production's database, can
# answer counts from the index alone; SQLite builds them on their key columns and ignores the rest,
# which serves it as before. Django warns of that on every command (models.W040), to no purpose.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# issue 14, serve: PUTRIGHT_STATIC_ROOT, for a container image that collects them when it is built.
STATIC_ROOT = Path(_env("PUTRIGHT_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
# issue 14, serve: WhiteNoise looks here when each process starts; an empty folder until
# collectstatic fills it, rather than a warning in every process that has not run it.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Compiled by scripts/assets from the pinned npm packages (govuk-frontend, htmx).
STATICFILES_DIRS = [Path(_env("PUTRIGHT_ASSETS_DIR", str(BASE_DIR.parent / "build" / "static")))]
MEDIA_ROOT = DATA_DIR / "media"
# Forms render with the project's templates (GOV.UK Design System markup).
# The project's templates, with the commonest widgets made in Python: putright.design.widgets.
FORM_RENDERER = "putright.design.forms.PythonWidgetsRenderer"

# Signing in. Staff sign in with a password; administrators must also use a
# code from an authenticator app (TOTP), which other staff may turn on.
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:sign-in"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(_env("PUTRIGHT_SIGN_IN_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(_env("PUTRIGHT_LOCKOUT_MINUTES", "30")))
# Lock a username from the address the guesses come from: a stranger elsewhere
# cannot lock a caseworker out, and a housing office's staff, who share one
# address, are not locked out together by one person's mistyping.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page says when the account opens again; guesses while it is
# locked are refused without moving that time on.
AXES_LOCKOUT_CALLABLE = "putright.web.views.auth.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# issue 15, portalsec: one way to find the client's address, for the lockout and the public rate
# limits alike: X-Forwarded-For is believed only from PUTRIGHT_TRUSTED_PROXIES (comma-separated
# addresses or networks, e.g. "127.0.0.1,10.0.0.0/8"). PUTRIGHT_BEHIND_PROXY alone trusts a proxy
# on this machine (127.0.0.1 and ::1). See putright.accounts.addresses and docs/security.md.
AXES_CLIENT_IP_CALLABLE = "putright.accounts.addresses.client_address"
PUTRIGHT_TRUSTED_PROXIES = _env_networks(
    "PUTRIGHT_TRUSTED_PROXIES", "127.0.0.1,::1" if _env_bool("PUTRIGHT_BEHIND_PROXY") else ""
)
# issue 14, oidc: staff sign in with their organisation's account (OpenID Connect; Microsoft
# Entra ID first). On when a client id and an issuer (or the endpoints) are set; see
# docs/going-live/oidc.md. The groups file maps the provider's groups to roles and organisations.
PUTRIGHT_OIDC_ISSUER = _env("PUTRIGHT_OIDC_ISSUER").rstrip("/")
PUTRIGHT_OIDC_CLIENT_ID = _env("PUTRIGHT_OIDC_CLIENT_ID")
PUTRIGHT_OIDC_CLIENT_SECRET = _env("PUTRIGHT_OIDC_CLIENT_SECRET")
PUTRIGHT_OIDC_AUTHORIZATION_ENDPOINT = _env("PUTRIGHT_OIDC_AUTHORIZATION_ENDPOINT")
PUTRIGHT_OIDC_TOKEN_ENDPOINT = _env("PUTRIGHT_OIDC_TOKEN_ENDPOINT")
PUTRIGHT_OIDC_JWKS_ENDPOINT = _env("PUTRIGHT_OIDC_JWKS_ENDPOINT")
PUTRIGHT_OIDC_USERINFO_ENDPOINT = _env("PUTRIGHT_OIDC_USERINFO_ENDPOINT")
PUTRIGHT_OIDC_GROUPS = _env("PUTRIGHT_OIDC_GROUPS")
PUTRIGHT_OIDC_GROUPS_CLAIM = _env("PUTRIGHT_OIDC_GROUPS_CLAIM", "groups")
PUTRIGHT_OIDC_PROVIDER_NAME = _env("PUTRIGHT_OIDC_PROVIDER_NAME", "Microsoft")
# Who may still use a password while OIDC is on: "administrators" (the default: the local
# administrator is the way in when the provider is down, and a leaver disabled at the provider
# cannot come back by an old password) or "everyone".
PUTRIGHT_OIDC_PASSWORD_SIGN_IN = _env("PUTRIGHT_OIDC_PASSWORD_SIGN_IN", "administrators")
if PUTRIGHT_OIDC_PASSWORD_SIGN_IN not in {"administrators", "everyone"}:
    raise ImproperlyConfigured("PUTRIGHT_OIDC_PASSWORD_SIGN_IN must be 'administrators' or 'everyone'")
_OIDC_ON = bool(PUTRIGHT_OIDC_CLIENT_ID and (PUTRIGHT_OIDC_ISSUER or PUTRIGHT_OIDC_AUTHORIZATION_ENDPOINT))
if _OIDC_ON:
    if not (PUTRIGHT_OIDC_CLIENT_SECRET and PUTRIGHT_OIDC_GROUPS):
        raise ImproperlyConfigured(
            "PUTRIGHT_OIDC_CLIENT_ID is set: also set PUTRIGHT_OIDC_CLIENT_SECRET and PUTRIGHT_OIDC_GROUPS"
        )
    AUTHENTICATION_BACKENDS.append("putright.accounts.oidc.backend.OidcBackend")
# mozilla-django-oidc's own settings (the endpoints come from putright.accounts.oidc.provider).
OIDC_RP_CLIENT_ID = PUTRIGHT_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = PUTRIGHT_OIDC_CLIENT_SECRET
OIDC_RP_SIGN_ALGO = _env("PUTRIGHT_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = _env("PUTRIGHT_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "web:oidc-callback"
OIDC_TIMEOUT = 10
OIDC_REDIRECT_FIELD_NAME = "next"
# A refusal by the provider's groups is not a password guess: django-axes does not count it.
AXES_WHITELIST_CALLABLE = "putright.accounts.oidc.backend.not_a_password"
OTP_TOTP_ISSUER = _env("PUTRIGHT_LANDLORD_NAME", "putright")
PASSWORD_RESET_TIMEOUT = 60 * 60  # an hour
# issue 14, landlord: how long the link in an invitation from ``putright setup`` works.
PUTRIGHT_INVITATION_DAYS = int(_env("PUTRIGHT_INVITATION_DAYS", "14"))

# The landlord's name on every page (their colour is set at build time: scripts/assets).
PUTRIGHT_LANDLORD_NAME = _env("PUTRIGHT_LANDLORD_NAME", "Flagship Group")
# ... and on its letters, whose letterhead takes the colour at run time.
PUTRIGHT_BRAND_COLOUR = _env("PUTRIGHT_BRAND_COLOUR", "#00665e")
if not re.fullmatch(r"#[0-9a-fA-F]{6}", PUTRIGHT_BRAND_COLOUR):
    raise ImproperlyConfigured(
        f"PUTRIGHT_BRAND_COLOUR must be a colour like #00665e, not {PUTRIGHT_BRAND_COLOUR}"
    )

# Email: every message is written to the outbox table in the transaction that
# causes it (EMAIL_BACKEND) and delivered by the worker through the route
# PUTRIGHT_EMAIL_PROVIDER names (PUTRIGHT_DELIVERY_BACKEND):
# - "smtp": any SMTP relay (PUTRIGHT_SMTP_*), chosen by itself when only PUTRIGHT_SMTP_HOST is set;
# - "graph": Microsoft 365 through the Graph API (PUTRIGHT_GRAPH_*), for tenants without password SMTP;
# - an email provider's API through django-anymail, by its backend's name (postmark, mailgun,
#   sendgrid, amazon_ses, brevo, mailjet, sparkpost, resend, ...), with anymail's own settings given
#   as environment variables of the names anymail documents (ANYMAIL_POSTMARK_SERVER_TOKEN is
#   ANYMAIL["POSTMARK_SERVER_TOKEN"]): a provider's page in anymail's docs is then all one reads;
# - "file": development, each delivered message a file in PUTRIGHT_DATA_DIR/mail (the default).
# issue 14, mail
EMAIL_BACKEND = "putright.comms.email.outbox.OutboxBackend"
EMAIL_HOST = _env("PUTRIGHT_SMTP_HOST")
PUTRIGHT_EMAIL_PROVIDER = _env("PUTRIGHT_EMAIL_PROVIDER", "smtp" if EMAIL_HOST else "file").lower()
if PUTRIGHT_EMAIL_PROVIDER == "smtp":
    if not EMAIL_HOST:
        raise ImproperlyConfigured("PUTRIGHT_EMAIL_PROVIDER=smtp needs PUTRIGHT_SMTP_HOST to name the relay")
    PUTRIGHT_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(_env("PUTRIGHT_SMTP_PORT", "587"))
    EMAIL_HOST_USER = _env("PUTRIGHT_SMTP_USER")
    EMAIL_HOST_PASSWORD = _env("PUTRIGHT_SMTP_PASSWORD")
    EMAIL_USE_TLS = _env_bool("PUTRIGHT_SMTP_STARTTLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = _env_bool("PUTRIGHT_SMTP_SSL", default=EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 20
elif PUTRIGHT_EMAIL_PROVIDER == "graph":
    PUTRIGHT_DELIVERY_BACKEND = "putright.comms.email.graph.GraphBackend"
    PUTRIGHT_GRAPH_TENANT_ID = _env("PUTRIGHT_GRAPH_TENANT_ID")
    PUTRIGHT_GRAPH_CLIENT_ID = _env("PUTRIGHT_GRAPH_CLIENT_ID")
    PUTRIGHT_GRAPH_CLIENT_SECRET = _env("PUTRIGHT_GRAPH_CLIENT_SECRET")
    _missing = [
        f"PUTRIGHT_GRAPH_{name}"
        for name in ("TENANT_ID", "CLIENT_ID", "CLIENT_SECRET")
        if not _env(f"PUTRIGHT_GRAPH_{name}")
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"PUTRIGHT_EMAIL_PROVIDER=graph needs {', '.join(_missing)} (the app registration's)"
        )
    #: The mailbox that sends (the app's ApplicationAccessPolicy allows it); each message's From when unset.
    PUTRIGHT_GRAPH_SENDER = _env("PUTRIGHT_GRAPH_SENDER")
    PUTRIGHT_GRAPH_SAVE_TO_SENT_ITEMS = _env_bool("PUTRIGHT_GRAPH_SAVE_TO_SENT_ITEMS", default=True)
    PUTRIGHT_GRAPH_AUTHORITY = _env("PUTRIGHT_GRAPH_AUTHORITY", "https://login.microsoftonline.com").rstrip(
        "/"
    )
    PUTRIGHT_GRAPH_URL = _env("PUTRIGHT_GRAPH_URL", "https://graph.microsoft.com/v1.0").rstrip("/")
elif PUTRIGHT_EMAIL_PROVIDER == "file":
    if PRODUCTION:
        raise ImproperlyConfigured(
            "PUTRIGHT_SMTP_HOST must name the SMTP relay in production, or PUTRIGHT_EMAIL_PROVIDER "
            "choose graph or an email provider's API: production mail cannot go to files"
        )
    PUTRIGHT_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
elif _anymail_provider_exists(PUTRIGHT_EMAIL_PROVIDER):
    PUTRIGHT_DELIVERY_BACKEND = f"anymail.backends.{PUTRIGHT_EMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = {
        name.removeprefix("ANYMAIL_"): value.strip()
        for name, value in os.environ.items()
        if name.startswith("ANYMAIL_") and value.strip()
    }
else:
    raise ImproperlyConfigured(
        f"PUTRIGHT_EMAIL_PROVIDER must be smtp, graph, file or one of django-anymail's providers "
        f"({', '.join(_anymail_providers())}), not {PUTRIGHT_EMAIL_PROVIDER!r}"
    )
#: How many times the worker tries to deliver a message before it is shown as failed on the case.
PUTRIGHT_EMAIL_ATTEMPTS = int(_env("PUTRIGHT_EMAIL_ATTEMPTS", "8"))

# Background work: the Django tasks framework. The database queue (the same
# database, nothing more to run) by default; Redis when scaled out.
_TASKS = _env("PUTRIGHT_TASKS", "database")
if _TASKS == "redis":
    # issue 14, mail: the Redis queue's packages are an optional extra.
    if not all(_installed(module) for module in ("django_tasks_rq", "django_rq")):
        raise ImproperlyConfigured(
            "PUTRIGHT_TASKS=redis needs the Redis queue's packages, which are an optional extra: "
            "pip install 'putright[redis]'"
        )
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": _env("PUTRIGHT_REDIS_URL", "redis://127.0.0.1:6379/0")}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif _TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured("PUTRIGHT_TASKS must be 'database' or 'redis'")

# Reminders: a deadline is "due soon" this many working days before it falls;
# the daily digest goes out at this London time on working days.
# Links in emails the worker sends (no request to take the address from).
PUTRIGHT_BASE_URL = _env("PUTRIGHT_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if not PUTRIGHT_BASE_URL:
    raise ImproperlyConfigured("PUTRIGHT_BASE_URL must give the service's address (https://…) in production")
PUTRIGHT_REMIND_DAYS = int(_env("PUTRIGHT_REMIND_DAYS", "2"))
# issue 16, search: how far past a page's start a list counts before it says "more than".
PUTRIGHT_LIST_COUNT_LIMIT = int(_env("PUTRIGHT_LIST_COUNT_LIMIT", "1000"))
if PUTRIGHT_LIST_COUNT_LIMIT < 1:
    raise ImproperlyConfigured("PUTRIGHT_LIST_COUNT_LIMIT must be at least 1")
PUTRIGHT_SWEEP_MINUTES = int(_env("PUTRIGHT_SWEEP_MINUTES", "15"))
PUTRIGHT_DIGEST_TIME = dt.time.fromisoformat(_env("PUTRIGHT_DIGEST_TIME", "07:00"))
# conduct: the working days a safeguarding or health and safety lead has to record what became of
# a concern referred to them (the procedure sets none; the sweep reminds them from then on).
PUTRIGHT_CONCERN_OUTCOME_DAYS = int(_env("PUTRIGHT_CONCERN_OUTCOME_DAYS", "5"))

DEFAULT_FROM_EMAIL = _env("PUTRIGHT_MAIL_FROM", "" if PRODUCTION else "complaints@localhost")
if not DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured("PUTRIGHT_MAIL_FROM must give the address email is sent from in production")

# The procedure: a built-in policy name ("flagship", "code-2024") or a file path.
# issue 14, landlord: without one, the policy ``putright setup`` wrote for the landlord
# (DATA_DIR/policy.toml: their policy with their closure days), else the flagship.
LANDLORD_POLICY_FILE = DATA_DIR / "policy.toml"
PUTRIGHT_POLICY = _env("PUTRIGHT_POLICY") or (
    str(LANDLORD_POLICY_FILE) if LANDLORD_POLICY_FILE.is_file() else "flagship"
)

# issue 13, tsm: how the Tenant Satisfaction Measures read the Code where it leaves a choice: a
# preset's name ("regulator", the default, or "strict") or a JSON object of the fields of
# putright.procedure.tsm.TsmReading; read in one place (putright.reports.tsm.reading_in_force).
_TSM_READING = _env("PUTRIGHT_TSM_READING", "regulator")
PUTRIGHT_TSM_READING: str | dict[str, bool] = _TSM_READING
if _TSM_READING.startswith("{"):
    try:
        PUTRIGHT_TSM_READING = json.loads(_TSM_READING)
    except json.JSONDecodeError as bad:
        raise ImproperlyConfigured(f"PUTRIGHT_TSM_READING is not valid JSON: {bad}") from None

# Security. Production gets the full set; development keeps cookies usable over
# plain HTTP on localhost and nothing else relaxed.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 9  # a working day (staff; a customer's visit is its own cookie)
# issue 15, portalsec: a customer's visit to their case ends when the browser closes or after
# this many minutes without a page (putright.portal.access).
PUTRIGHT_VISIT_IDLE_MINUTES = int(_env("PUTRIGHT_VISIT_IDLE_MINUTES", "30"))
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Messages (such as a new API key, shown once) stay on the server, not in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SECURE = PRODUCTION or _env_bool("PUTRIGHT_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("PUTRIGHT_SSL_REDIRECT", default=True)
    if _env_bool("PUTRIGHT_BEHIND_PROXY"):
        # Only behind a proxy that always sets this header itself: otherwise a client could.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

# issue 14, observe: plain text by default; PUTRIGHT_LOG_FORMAT=json writes one JSON object a
# line (time, level, logger, message and the request's method, path, status, duration, user id).
PUTRIGHT_LOG_FORMAT = _env("PUTRIGHT_LOG_FORMAT", "text")
if PUTRIGHT_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"PUTRIGHT_LOG_FORMAT must be text or json, not {PUTRIGHT_LOG_FORMAT!r}")
LOGGING = logging_config(json=PUTRIGHT_LOG_FORMAT == "json", level=_env("PUTRIGHT_LOG_LEVEL", "INFO"))
# The Prometheus metrics' own address (host:port), for operators only: never the site's.
PUTRIGHT_METRICS_ADDRESS = _env("PUTRIGHT_METRICS_ADDRESS")

# Evidence uploads: the largest file accepted, in bytes (default 10 MB).
PUTRIGHT_MAX_UPLOAD_BYTES = int(_env("PUTRIGHT_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = PUTRIGHT_MAX_UPLOAD_BYTES + 1024 * 1024
# The largest request of any kind: an upload and its form, with room to spare.
PUTRIGHT_MAX_REQUEST_BYTES = PUTRIGHT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# issue 15, sar: the roles whose names a subject access export discloses; staff of any other
# role appear by their job title (or role), their names redacted and the redaction listed.
PUTRIGHT_SAR_NAMED_ROLES = _env_list("PUTRIGHT_SAR_NAMED_ROLES", "senior_manager,manager,administrator")

# issue 15, chainhead: signs each case's stored chain head (HMAC-SHA256); empty = unsigned
PUTRIGHT_AUDIT_KEY = _env("PUTRIGHT_AUDIT_KEY")
