"""Settings for the Pre-birth Tracker, read from the environment.

One file for every deployment. `DJANGO_ENV` chooses the mode:
- `development` (default): SQLite in var/, debug on, demo-friendly.
- `production`: debug off, HTTPS-only cookies and HSTS, a real SECRET_KEY,
  ALLOWED_HOSTS and DOCUMENTS_SCANNER required; `manage.py check --deploy` reports
  nothing (with DOCUMENTS_SCANNER=none, an Info that says so).
See docs/configuration.md for every variable.
"""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PREBIRTH_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = env_choice("DJANGO_ENV", "development", {"development", "production"})
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env_str(
        "SECRET_KEY", "development-only-key-never-used-in-production-0123456789abcdefghij"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "audit",
    "cases",
    "timeline",
    "dashboards",
    "meetings",
    "referrals",
    "assessments",
    "checkpoints",
    "plans",
    "postnatal",
    "visits",
    "documents",
    "history",
    "dataprotection",
    "web",
]

MIDDLEWARE = [
    "web.middleware.CleanHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "web.middleware.SessionLifetimeMiddleware",
    # After the sign-in's lifetime: no page but signing in is reached on a password alone.
    "web.middleware.TwoFactorMiddleware",
    "web.middleware.DoubleSubmissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "web.middleware.NoStoreMiddleware",
    "web.middleware.PermissionsPolicyMiddleware",
    # Last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.service",
            ],
            "builtins": ["web.templatetags.govuk"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'prebirth.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No server-side cursors: a form's choice list read through one costs three round
    # trips (DECLARE, FETCH, CLOSE) for a few rows, and they break behind a pooler.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Parameters sent apart from the statement, so psycopg prepares a statement the
    # connection runs often and PostgreSQL plans it once, not on every request (the
    # case page's joins took 5 ms to plan for 0.4 ms of work).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool(
        "DATABASE_SERVER_SIDE_BINDING", True
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock when it starts, so two changes to one
    # case queue (up to the timeout) instead of one failing with "database is locked"
    # when both read first and then try to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while the username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    # Then: refuses while an address, or a username from any address, has failed too often.
    "accounts.backends.SprayThrottleBackend",
    # Django's ModelBackend, reading the signed-in person with their agency.
    "accounts.backends.UserBackend",
]
# Five wrong passwords for one username from one address lock that pair out for
# 15 minutes; a right password resets the count.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password spraying (accounts.backends): this many failed sign-ins from one address, or
# for one username from any addresses, within the window refuse every sign-in from that
# address, or as that username, until the window has passed without them.
SIGN_IN_ADDRESS_LIMIT = env_int("SIGN_IN_ADDRESS_LIMIT", 20)
SIGN_IN_USERNAME_LIMIT = env_int("SIGN_IN_USERNAME_LIMIT", 10)
SIGN_IN_THROTTLE_MINUTES = env_int("SIGN_IN_LOCKOUT_MINUTES", 15)
AXES_VERBOSE = False
# How many reverse proxies (e.g. nginx) sit in front of the service and append the
# client's address to X-Forwarded-For. 0: use REMOTE_ADDR only (never trust the header).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The addresses (or networks) of those proxies: the header is believed only on a request
# that came from one of them, so a client reaching the service directly cannot forge it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
# Sign-in lockouts key on the same client address as the audit log.
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"
# Two-factor sign-in (django-otp): every person signs in with a password and a code
# from an authenticator app (TOTP), or one of their recovery codes. No page but the
# sign-in's own is reached on a password alone (web.middleware.TwoFactorMiddleware).
OTP_TOTP_ISSUER = env_str("TWO_FACTOR_ISSUER", "Pre-birth Tracker")
# Wrong codes wait 1, 2, 4, 8… seconds before the next is tried (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Sessions end after 30 idle minutes, after 10 hours however busy, and when the browser
# closes: case data is special-category personal data and laptops are left open in cars
# and cafés. Signed-in pages warn SESSION_WARNING_SECONDS before the idle end, with a way
# to stay signed in (web.middleware.SessionLifetimeMiddleware, static/app/timeout-warning.js).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 2 * 60)
# A request renews the session (moves its idle end on) at most once a minute, not with a
# database write on every page; the timeout warning counts from the last renewal.
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A failed form-security check gets a GOV.UK page with the way back, not a bare 403.
CSRF_FAILURE_VIEW = "web.errors.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer's health check may ask over plain HTTP: /healthz answers only "ok".
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # "__Host-": the browser keeps them only if secure, for this host alone, path "/".
    SESSION_COOKIE_NAME = "__Host-session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Failed sign-ins are in the audit log; axes' own notes are only noise.
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every PDF export's layout steps at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# The service's own settings.
SERVICE_NAME = "Pre-birth Tracker"
PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
CASES_PER_PAGE = env_int("CASES_PER_PAGE", 25)
# Retention (cases.retention, docs/data-protection.md "Retention"): how long after it
# closed a case keeps its personal data; `manage.py apply_retention` anonymises it then.
# The data controller's records policy, not the procedure's: so here, not in the protocol.
RETENTION_RULES = [
    {
        "name": "closed_cases",
        "applies_to": "closed",
        "anonymise_after_years": env_int("RETENTION_CLOSED_CASE_YEARS", 7),
    },
]
# Which procedure the deployment follows: a protocol name in protocols/ or a .toml path.
PREBIRTH_PROTOCOL = env_str("PREBIRTH_PROTOCOL", "default")
# Documents uploaded to cases (the documents app): kept outside the web root (a system
# check refuses a folder the static files or templates are served from), read only
# through the access-checked, audited download. A file's limit in megabytes.
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT", str(VAR_DIR / "documents")))
DOCUMENTS_MAX_MB = env_int("DOCUMENTS_MAX_MB", 20)
# The virus scanner every upload goes through first (documents/scanning.py): a ClamAV
# daemon, tcp://HOST:PORT or unix:///PATH, or "none". Production must say which: going
# without is a choice made on purpose, not a default (manage.py check notes it,
# documents.I001). An upload the scanner cannot check is refused.
_SCANNER = env_str("DOCUMENTS_SCANNER", None if PRODUCTION else "none").strip()
if _SCANNER != "none" and not re.fullmatch(
    r"tcp://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}|unix:///\S+", _SCANNER
):
    raise ImproperlyConfigured(
        f"Environment variable DOCUMENTS_SCANNER={_SCANNER!r} must be tcp://HOST:PORT,"
        " unix:///PATH or none"
    )
DOCUMENTS_SCANNER = None if _SCANNER == "none" else _SCANNER
# Seconds to wait for the scanner (to connect, and for each step of a scan).
DOCUMENTS_SCANNER_TIMEOUT = env_int("DOCUMENTS_SCANNER_TIMEOUT", 30)

# Email: the chair's meeting invitations (meetings/invitations.py). In development (and
# the demo) printed to the console; in tests kept in memory (Django's test runner sets
# the locmem backend); in production sent by SMTP.
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[env_choice("EMAIL_BACKEND", "smtp" if PRODUCTION else "console", {"smtp", "console"})]
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds before a mail server that does not answer is given up on: the chair sees an
# error instead of a page that hangs.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# In production the defaults come from the first real host name in ALLOWED_HOSTS; with
# none ("*" only) DEFAULT_FROM_EMAIL and SERVICE_URL must be set.
_HOST = (
    next((host.lstrip(".") for host in ALLOWED_HOSTS if host.strip(".*")), None)
    if PRODUCTION
    else "localhost"
)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", f"{SERVICE_NAME} <no-reply@{_HOST}>" if _HOST else None
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The service's address as people reach it, for the links in emails and calendar events.
SERVICE_URL = env_str(
    "SERVICE_URL",
    (f"https://{_HOST}" if _HOST else None) if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")
if not SERVICE_URL.startswith("https://" if PRODUCTION else ("https://", "http://")):
    raise ImproperlyConfigured(
        f"Environment variable SERVICE_URL={SERVICE_URL!r} must be an"
        f" {'https' if PRODUCTION else 'http(s)'} address"
    )
