"""Trackii settings: one file, every deploy difference comes from the environment.

With no environment at all Trackii runs on embedded defaults (SQLite, and a SQLite-backed Celery broker
under ``var/``). ``TRACKII_ENV=production`` turns on every production safeguard and refuses to start
without the secrets a real deployment must supply. The variables are listed in README.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from trackii.crypto import load_key_ring_setting

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TRACKII_VAR_DIR", BASE_DIR / "var"))

TRACKII_ENV = os.environ.get("TRACKII_ENV", "development")
if TRACKII_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"TRACKII_ENV must be 'development' or 'production', not {TRACKII_ENV!r}.")
PRODUCTION = TRACKII_ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key() -> str:
    """A key generated once into var/ so sessions survive restarts of the development server."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "TRACKII_ENV=production needs SECRET_KEY: at least 50 random characters, not a default."
        )
elif not SECRET_KEY:
    SECRET_KEY = development_secret_key()

# Encryption at rest (docs/decisions/0001): "<id>:<key>,...,index:<key>"; the last id encrypts. Production
# refuses to start without it; development generates var/encryption_keys once.
TRACKII_ENCRYPTION_KEYS = load_key_ring_setting(var_dir=VAR_DIR, production=PRODUCTION)
# The data keys of dialogues and people, wrapped by the ring, never in a database backup (decision 0025).
TRACKII_KEYSTORE_DIR = Path(os.environ.get("TRACKII_KEYSTORE_DIR", VAR_DIR / "keystore"))

# Debug pages show settings and code: never on in production, and opt-in even in development so that
# the demo shows the same 404 page a real user would get.
DEBUG = env_bool("TRACKII_DEBUG", False) and not PRODUCTION
# Django's admin (/admin/) keeps only the Third Party's own record (docs/decisions/0013-admin.md); staff
# manage logins on /staff/accounts/. Off, /admin/ is not in the URLconf at all.
TRACKII_DJANGO_ADMIN = env_bool("TRACKII_DJANGO_ADMIN", DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "trackii.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "guardian",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "django.contrib.humanize",
    "trackii",
    "trackii.runtime",
    "trackii.audit",
    "trackii.staff",
    "trackii.sealing",
    "dialogues",
    "participants",
    "funding",
]

MIDDLEWARE = [
    # First, so that every response (redirects included) carries the request id the audit log records.
    "trackii.audit.middleware.AuditContextMiddleware",
    # What each user holds is read once per request, never kept across requests (trackii/permissions.py).
    "trackii.permissions.PermissionScopeMiddleware",
    # Each data key a request needs is unwrapped once, and forgotten with the request (trackii/datakeys.py).
    "trackii.datakeys.DataKeyScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files carry X-Frame-Options too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language, or the language cookie) until a person's own choice applies.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's own language wins over the browser's (trackii/accounts/middleware.py).
    "trackii.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "trackii.accounts.middleware.SessionLimitsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "trackii.accounts.middleware.RequireMFAMiddleware",
    "axes.middleware.AxesMiddleware",
    "dialogues.destruction.middleware.DestroyedDialogueMiddleware",  # "destroyed on …" (410), decision 0027
]

ROOT_URLCONF = "trackii.urls"
WSGI_APPLICATION = "trackii.wsgi.application"
ASGI_APPLICATION = "trackii.asgi.application"

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
                "trackii.context_processors.navigation",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'trackii.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker share the embedded database without locking out readers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query its planner thinks costly, which for the permission-filtered lists
    # here means ~40 ms of compiling to run a 1 ms query. random_page_cost 1.1 (the default, 4, is for
    # spinning disks) lets the planner fetch a list's 200 dialogues by primary key instead of reading all
    # 20,000: the heavy convenor's calendar runs in 5 ms instead of 30 (docs/benchmarks.md).
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off -c random_page_cost=1.1"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A file cache is shared by every process on the machine, unlike the per-process memory cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# --- Accounts -------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked (trackii/accounts/throttle.py).
    "trackii.accounts.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# User.email is the login but stored encrypted, so it cannot carry the database's unique constraint: its blind
# index (User.email_index) does, and every look-up by e-mail goes through that index (docs/decisions/0006).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail is the login; there is no public sign-up (see trackii.accounts.adapter).
ACCOUNT_ADAPTER = "trackii.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Trackii] "
# A reset request for an unknown address sends nothing and looks the same as for a known one.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "reset_password": "20/m/ip,5/5m/key"}
# The login lives on User alone (encrypted, found by its blind index): no allauth EmailAddress rows, which
# would hold the address in clear. allauth's own reset-token generator would write one (docs/decisions/0006).
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "django.contrib.auth.tokens.PasswordResetTokenGenerator"  # noqa: S105

# Multi-factor authentication (allauth.mfa): required for the Third Party's roles, auditors and admins
# (trackii/accounts/middleware.py), offered to everyone else. No SMS.
MFA_ADAPTER = "trackii.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Trackii"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION

# Repeated failed logins are slowed, then locked per account and per address (django-axes on the cache,
# keyed like the audit log's login hash); the admin's login goes through the same path.
# With Redis the counters live in the cache; the embedded default keeps them in the database, since a file
# cache cannot count atomically across the web server's processes.
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler" if REDIS_URL else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_FAILURE_LIMIT = int(os.environ.get("TRACKII_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("TRACKII_LOGIN_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "trackii.accounts.throttle.attempted_login"
# The address the audit log records: one reading of X-Forwarded-For behind TRACKII_TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "trackii.audit.context.client_ip"
AXES_LOCKOUT_CALLABLE = "trackii.accounts.throttle.lockout_response"
AXES_DISABLE_ACCESS_LOG = True
# The database handler also stores the query string and the form of each failed login: every field of a form
# that logs in is masked, so its table holds no address typed, password, code or page asked for
# (tests/security/test_throttling.py holds the list to the forms).
AXES_SENSITIVE_PARAMETERS = [
    "login",
    "email",
    "username",
    "password",
    "code",
    "next",
    "csrfmiddlewaretoken",
    "ip_address",
]
AXES_VERBOSE = False

# Invitation links (trackii/accounts): single use, expiring.
TRACKII_INVITATION_DAYS = int(os.environ.get("TRACKII_INVITATION_DAYS", "7"))
TRACKII_DESTROY_AFTER_MONTHS = int(os.getenv("TRACKII_DESTROY_AFTER_MONTHS") or 0) or None  # decision 0027

# guardian: no shared "anonymous" account; anonymous visitors hold no grants at all.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Counts below this are shown to funders as "fewer than N": a small number can point at a person.
TRACKII_SMALL_COUNT_THRESHOLD = int(os.environ.get("TRACKII_SMALL_COUNT_THRESHOLD", "5"))

# --- Security -------------------------------------------------------------------------------------

# Nothing loads from another host: a CDN or font host must never learn who opens which dialogue.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions live in the database, their data encrypted with the key ring (trackii/accounts/sessions.py): until
# a login is complete they hold the address typed and a new authenticator's secret. Messages are kept in the
# session too, never in a cookie: Django signs its message cookie but does not encrypt it, and messages name
# dialogues, sides and funders (docs/decisions/0006).
SESSION_ENGINE = "trackii.accounts.sessions"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A session ends after 30 idle minutes or 12 hours in all (trackii/accounts/middleware.py).
TRACKII_SESSION_IDLE_SECONDS = int(os.environ.get("TRACKII_SESSION_IDLE_SECONDS", 30 * 60))
TRACKII_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("TRACKII_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))
SESSION_COOKIE_AGE = TRACKII_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
USERSESSIONS_TRACK_ACTIVITY = False

# Uploads: small request bodies; files are checked by type and size (trackii.accounts.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
TRACKII_UPLOAD_MAX_BYTES = int(os.environ.get("TRACKII_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
TRACKII_SECURITY_CONTACT = os.environ.get("TRACKII_SECURITY_CONTACT", "")

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health checks come over plain HTTP from inside the deployment.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Static files, e-mail, language ----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production whitenoise serves straight from the source folders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

if os.environ.get("EMAIL_HOST") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
else:
    # Development: messages are printed by the process that sends them (the Celery worker, mostly).
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trackii <no-reply@trackii.invalid>")

# The interface's languages (issue 22), each named in itself for the language menu. English is the source
# text; the others are complete translations in locale/ (a test in `make test` holds them to that), compiled
# into .mo files by bin/setup-venv. A person's choice is `User.language`; before login, the browser's.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("ar", "العربية"),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every render at INFO.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # it logs every login at INFO
    },
}

# --- Audit log (trackii/audit, docs/decisions/0003-audit-chain.md) ---------------------------------------

# Proxies whose X-Forwarded-For and X-Request-ID headers are believed (addresses, comma-separated).
TRACKII_TRUSTED_PROXIES = env_list("TRACKII_TRUSTED_PROXIES", "")
# Signed checkpoints of the chain's head: in production, storage the database owner cannot write.
TRACKII_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("TRACKII_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
)
# Beat signs a checkpoint this often (and once as it starts); a chain younger than this may have none yet.
TRACKII_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("TRACKII_AUDIT_CHECKPOINT_MINUTES", "15"))
TRACKII_AUDIT_RETENTION_DAYS = int(os.environ.get("TRACKII_AUDIT_RETENTION_DAYS", "730"))
TRACKII_AUDIT_ADDRESS_DAYS = int(os.environ.get("TRACKII_AUDIT_ADDRESS_DAYS", "90"))

# --- Sealing (trackii/sealing, docs/decisions/0002-sealing.md) -------------------------------------------

# The Third Party's signing key as PKCS#12 (`manage.py create_signing_key`). Required in production; in
# development a key is created under VAR_DIR/signing/ on first use.
TRACKII_SIGNING_P12 = os.environ.get("TRACKII_SIGNING_P12", "")
TRACKII_SIGNING_P12_PASSPHRASE = os.environ.get("TRACKII_SIGNING_P12_PASSPHRASE", "")
if PRODUCTION and not TRACKII_SIGNING_P12:
    raise ImproperlyConfigured(
        "TRACKII_ENV=production needs TRACKII_SIGNING_P12 and TRACKII_SIGNING_P12_PASSPHRASE."
    )

# The pipeline (trackii/sealing/services.py): each kind of sealed document names its sealer. A worker holds
# a job for the lease (longer than the task's 5-minute limit); a queued job that no worker took is sent again
# after RESEND seconds (a Redis restart forgets queued messages).
# What the foundation asks of the domain apps, answered on the composition floor (trackii/hooks.py).
TRACKII_DOMAIN_HOOKS = "trackii.domain_hooks"
TRACKII_SEALERS = {
    "summary": "dialogues.summaries.sealing.SUMMARY_SEALER",
    "disclosure": "funding.disclosures.sealing.DISCLOSURE_SEALER",
}
TRACKII_SEAL_LEASE_SECONDS = int(os.environ.get("TRACKII_SEAL_LEASE_SECONDS", "330"))
TRACKII_SEAL_RESEND_SECONDS = int(os.environ.get("TRACKII_SEAL_RESEND_SECONDS", "60"))

# --- Celery ---------------------------------------------------------------------------------------

CELERY_EMBEDDED_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # The embedded broker: one SQLite file, one transaction per message (decision 0009).
    CELERY_EMBEDDED_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = f"sqlite:///{CELERY_EMBEDDED_DIR / 'broker.sqlite3'}"
    CELERY_BROKER_TRANSPORT = "trackii.runtime.broker:Transport"
    CELERY_RESULT_BACKEND = f"db+sqlite:///{CELERY_EMBEDDED_DIR / 'results.sqlite3'}"

CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Redis re-delivers an unacknowledged task after the visibility timeout. It must exceed the longest a task
# may run, or a slow task would be delivered twice while still running.
CELERY_VISIBILITY_TIMEOUT = 2 * CELERY_TASK_TIME_LIMIT
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
    if REDIS_URL
    else {"polling_interval": 0.1}
)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Periodic work (Celery beat).
CELERY_BEAT_SCHEDULE = {
    "audit-checkpoint": {
        "task": "trackii.audit.tasks.write_checkpoint",
        "schedule": TRACKII_AUDIT_CHECKPOINT_MINUTES * 60,
        "options": {"expires": max(TRACKII_AUDIT_CHECKPOINT_MINUTES * 60 - 60, 30)},
    },
    "audit-retention": {
        "task": "trackii.audit.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    "audit-verify": {"task": "trackii.audit.tasks.verify_chain", "schedule": crontab(hour=4, minute=0)},
    "workshop-notifications": {
        "task": "dialogues.deliver_notifications",
        "schedule": 60,
        "options": {"expires": 55},
    },
    "seal-relay": {
        "task": "trackii.sealing.relay_seal_jobs",
        "schedule": 10,
        "options": {"expires": 9},
    },
    "destruction": {"task": "dialogues.apply_destruction_retention", "schedule": crontab(45, 3)},  # 03:45
    "keystore-upkeep": {"task": "trackii.keystore_upkeep", "schedule": crontab(15, 3)},  # 03:15
    "break-glass-expiry": {
        "task": "dialogues.end_expired_break_glass",
        "schedule": 60,
        "options": {"expires": 55},
    },
}

# The checks behind /healthz: each has this long before it counts as down.
HEALTH_CHECK_TIMEOUT = float(os.environ.get("HEALTH_CHECK_TIMEOUT", "2"))
