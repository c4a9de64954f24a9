"""Settings for SOT. Everything that differs between machines comes from the environment.

See `.env.example` for every variable. Parsing lives in `sot/env.py` and fails loudly.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sot.env import Env
from sot.logs import logging_config
from sot.security_headers import CONTENT_SECURITY_POLICY as CSP
from sot.security_headers import allowing_form_action_to

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

DEBUG = env.bool("DEBUG", default=False)

# Production refuses to start with a made-up key or an open host list.
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105  (DEBUG only)
SECRET_KEY = env.str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # Bootstrap 5 static files from the django-bootstrap-static package
    "django_htmx",
    "django_filters",
    "sot.axes_app.AxesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",  # django-axes, with a Swedish name in the admin
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "organisations",
    "catalog",
    "accounts",
    "referrals",
    "planning",
    "capacity",
    "reports",
    "actionplans",
    "settlement",
    "audit",
    "api",
    "fhir",
    "idempotency",
    "outbox",
    "demo",
]

MIDDLEWARE = [
    # First: the request id for every line below, and one access line per request (sot/logs.py).
    "sot.logs.RequestLogMiddleware",
    # Health probes are answered before anything that may read the session or the user (sot/health.py).
    "sot.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so that static files keep their caching; everything else is never stored.
    "sot.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sot.middleware.SessionIdleMiddleware",
    "sot.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session confirmed a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After CSRF, the user and the messages: a form sent twice or an API call repeated with the same
    # Idempotency-Key runs once; the repeat gets the first answer (idempotency/middleware.py).
    "idempotency.middleware.IdempotencyMiddleware",
    # NUL bytes and absurd numbers in the query string are a 400 (after the user is known: the page says why).
    "sot.middleware.HostileQueryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sot.urls"
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)  # `make bench-load` only (sot/bench.py)
WSGI_APPLICATION = "sot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# SQLite file by default so that `make run` needs nothing installed; PostgreSQL by DATABASE_URL.
DATABASES = {"default": env.database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when the transaction begins and wait for each other instead of failing
    # halfway, so row claims (capacity slots, status changes) serialise on SQLite as on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
else:
    # A database that does not answer fails a request (503) and readiness in seconds, not after TCP's timeout.
    _connect_timeout = env.int("DATABASE_CONNECT_TIMEOUT", default=3, minimum=1, maximum=60)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", _connect_timeout)
    # Prepared statements: a repeated statement is planned once per connection (README "Load"); 0 behind a pooler.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].update({"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The matching index (capacity.CapacityOffer, `offer_match`) covers its columns on PostgreSQL; SQLite keeps the
# index without them, as intended, so its warning on every command says nothing.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login while the username/address is locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    # Username and password, refused by LOCAL_LOGIN below (accounts/backends.py).
    "accounts.backends.LocalAccountBackend",
    # SITHS sign-in through the region's OpenID Connect provider (accounts/oidc.py); inert unless configured.
    "accounts.oidc.SithsBackend",
]
# Who may sign in with a local password: all (the demo, development), administrators (is_staff or
# superuser: break-glass accounts; production's default) or none (SITHS only). README, "Local accounts".
LOCAL_LOGIN = env.choice("LOCAL_LOGIN", ("all", "administrators", "none"), default="all" if DEBUG else "administrators")
# A local administrator signs in with a 6-digit TOTP code after the password, and the admin needs it.
ADMIN_REQUIRES_OTP = env.bool("ADMIN_REQUIRES_OTP", default=not DEBUG)
OTP_TOTP_ISSUER = "SOT"  # the name authenticator apps show next to the account
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # administrators see every failed login, not only lockouts
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind TRUSTED_PROXY_COUNT proxies (0: none) the client's address is read from X-Forwarded-For, so
# failures lock a username from one client's address, not from the proxy's (accounts/client_address.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0, minimum=0, maximum=10)
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_ip_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in with SITHS through the region's OpenID Connect provider (mozilla-django-oidc, accounts/oidc.py).
# On when the provider's endpoints and the client id are set; README "Sign-in with SITHS" lists every variable.
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")  # the ID token's "iss" must be this (when set)
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")  # end_session_endpoint
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")  # only ever from the environment
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
OIDC_ENABLED = bool(
    OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT
)
OIDC_RP_SIGN_ALGO = "RS256"  # the ID token's signature is checked against the provider's published keys
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # only for the id_token_hint of the provider's logout (RP-initiated logout)
OIDC_STORE_ACCESS_TOKEN = False
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10, minimum=1, maximum=60)
OIDC_CALLBACK_CLASS = "accounts.oidc.SithsCallbackView"
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.SithsAuthenticateView"
OIDC_OP_LOGOUT_URL_METHOD = "accounts.oidc.provider_logout_url"
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# Claim names, as Inera's IdP names them by default.
OIDC_CLAIM_EMPLOYEE_HSA_ID = env.str("OIDC_CLAIM_EMPLOYEE_HSA_ID", default="employeeHsaId")
OIDC_CLAIM_GIVEN_NAME = env.str("OIDC_CLAIM_GIVEN_NAME", default="givenName")
OIDC_CLAIM_FAMILY_NAME = env.str("OIDC_CLAIM_FAMILY_NAME", default="surname")
OIDC_CLAIM_COMMISSION_HSA_ID = env.str("OIDC_CLAIM_COMMISSION_HSA_ID", default="commissionHsaId")
OIDC_CLAIM_UNIT_HSA_ID = env.str("OIDC_CLAIM_UNIT_HSA_ID", default="healthCareUnitHsaId")
OIDC_CLAIM_CARE_PROVIDER_HSA_ID = env.str("OIDC_CLAIM_CARE_PROVIDER_HSA_ID", default="healthCareProviderHsaId")
OIDC_CLAIM_SYSTEM_ROLE = env.str("OIDC_CLAIM_SYSTEM_ROLE", default="systemRole")
OIDC_CLAIM_ACR = env.str("OIDC_CLAIM_ACR", default="acr")
# The weakest authentication accepted (SITHS eID is LoA 3); a weaker or missing "acr" is refused.
OIDC_REQUIRED_ACR = env.str("OIDC_REQUIRED_ACR", default="http://id.elegnamnden.se/loa/1.0/loa3")
# The assignment's system role (HSA "systemroll") → SOT role, "value=role" pairs separated by commas.
_OIDC_ROLES = {"unit_staff", "receiving_staff", "sot_representative", "health_director"}  # accounts.models.Role
OIDC_ROLE_MAP: dict[str, str] = {}
for _pair in env.list(
    "OIDC_ROLE_MAP",
    default=[
        "SOT;Vardpersonal=unit_staff",
        "SOT;Mottagning=receiving_staff",
        "SOT;Samordnare=sot_representative",
        "SOT;Direktor=health_director",
    ],
):
    _value, _sep, _role = _pair.rpartition("=")
    if not _value or _role not in _OIDC_ROLES:
        raise ImproperlyConfigured(
            f"OIDC_ROLE_MAP: {_pair!r} must be 'system role=one of {', '.join(sorted(_OIDC_ROLES))}'."
        )
    OIDC_ROLE_MAP[_value] = _role

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface in Swedish, English available. Source strings are English (Django's convention);
# Swedish lives in locale/sv and is committed compiled.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_TZ = True
# Dates are shown as ÅÅÅÅ-MM-DD in both languages.
FORMAT_MODULE_PATH = ["sot.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
_STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_STORAGE if DEBUG else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT") or BASE_DIR / "var" / "media")

FORM_RENDERER = "sot.form_renderer.FormRenderer"  # Django's, with a select that writes its options in place
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Redis is optional: with REDIS_URL, Celery uses it as broker and Django as cache; without it,
# tasks run in-process (eager) so the embedded default works fully.
REDIS_URL = env.redis_url("REDIS_URL")
# Short socket timeouts: a Redis that is down or unreachable is noticed in a second or two, never waited on.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 5}
if REDIS_URL:
    _REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
    CACHES = {"default": {"BACKEND": _REDIS_CACHE, "LOCATION": REDIS_URL, "OPTIONS": REDIS_TIMEOUTS}}
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = REDIS_TIMEOUTS
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING below, JSON and request id included
# Readiness (/healthz/ready/) reports Redis; it fails on a Redis outage only if this says so (README).
READINESS_REQUIRES_BROKER = env.bool("READINESS_REQUIRES_BROKER", default=False)

# E-mail goes through the outbox (outbox/). Without a worker (tasks in-process), each message is sent
# right after the commit that wrote it; with workers, beat runs `outbox.deliver` every so many seconds.
OUTBOX_DELIVER_ON_COMMIT = env.bool("OUTBOX_DELIVER_ON_COMMIT", default=CELERY_TASK_ALWAYS_EAGER)
OUTBOX_POLL_SECONDS = env.int("OUTBOX_POLL_SECONDS", default=15, minimum=1, maximum=3600)
# A report waiting longer than this is shown as waiting for a worker; after the second, beat queues it again.
REPORT_WAIT_NOTICE_MINUTES = env.int("REPORT_WAIT_NOTICE_MINUTES", default=2, minimum=1)
REPORT_REQUEUE_MINUTES = env.int("REPORT_REQUEUE_MINUTES", default=5, minimum=1)

# Care guarantee (vårdgaranti): days from decision to treatment. A region may set a shorter limit.
CARE_GUARANTEE_DAYS = env.int("CARE_GUARANTEE_DAYS", default=90, minimum=1, maximum=365)

_MAIL_BY_DEFAULT = "console" if DEBUG else "smtp"  # DEBUG prints e-mail; production sends it
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=f"django.core.mail.backends.{_MAIL_BY_DEFAULT}.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10, minimum=1)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sot@localhost")
# Links in e-mails point here (the only thing an e-mail says besides the reference number).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30, minimum=1) * 60
# The age above is an inactivity limit, not a fixed one: sot.middleware.SessionIdleMiddleware saves a
# signed-in session with a new expiry when its last save is this old (not on every request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Safe to click twice: how long a form token or Idempotency-Key is remembered (API answers are kept
# that long too), and how long a repeat waits for the first request to answer before a 409.
IDEMPOTENCY_TTL_HOURS = env.int("IDEMPOTENCY_TTL_HOURS", default=24, minimum=1, maximum=24 * 7)
IDEMPOTENCY_TTL = timedelta(hours=IDEMPOTENCY_TTL_HOURS)
IDEMPOTENCY_WAIT_SECONDS = env.int("IDEMPOTENCY_WAIT_SECONDS", default=10, minimum=0, maximum=60)

# REST API: personal tokens or the browser session; problem-detail errors; a rate limit per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_RATE", default="120/minute")},
    "EXCEPTION_HANDLER": "api.problems.handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SOT API",
    "DESCRIPTION": "Coordination requests between Swedish healthcare regions. Personal data only for those "
    "whose role on a request lets them see it; every read and change is in the access log.\n\n"
    "Which interface: a record system or an integration platform should use the FHIR R4 interface under "
    "/fhir/R4/ (ServiceRequest, Task, Patient, Organization, Schedule, Slot; HL7 Sweden's identifiers): one "
    "standard mapping serves every vendor and FHIR tooling reads it as it is. This REST API suits clients "
    "written for SOT itself (scripts, the regions' own tools) and covers what FHIR does not serve yet: every "
    "lifecycle step, capacity publishing, obstacles and the monthly reports. Both use the same tokens, rules, "
    "visibility, access log and rate limits.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",  # assets from our own static files, never a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
        "idempotency.schema.add_idempotency_key",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ObstacleCategoryEnum": "referrals.models.ObstacleCategory",
        "AsaClassEnum": "catalog.models.AsaClass",
        "ReferralStatusEnum": "referrals.models.ReferralStatus",
        "CareTypeEnum": "capacity.models.CareType",
    },
}

# Content-Security-Policy: everything from our own origin; no inline scripts or styles (sot/security_headers.py).
CONTENT_SECURITY_POLICY = CSP
if OIDC_OP_LOGOUT_ENDPOINT:  # the logout form's answer goes on to the provider's end-session page
    CONTENT_SECURITY_POLICY = allowing_form_action_to(CSP, OIDC_OP_LOGOUT_ENDPOINT)

# Logs: one JSON line per record (LOG_FORMAT=json, the default with DEBUG off) or plain; LOG_LEVEL.
# They carry ids and reference numbers, never personal data (sot/logs.py; README, "Health and operations").
LOGGING = logging_config(env, debug=DEBUG)
