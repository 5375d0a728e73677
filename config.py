"""Configuration read from the environment, with defaults for the embedded demo."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class ConfigError(Exception):
    """A setting the app cannot start with; the message names the setting and what it takes."""


# Settings read wrongly at import, reported all at once by `check_settings()` when the app starts.
PROBLEMS: list[str] = []


def check_settings() -> None:
    if PROBLEMS:
        raise ConfigError("; ".join(PROBLEMS))


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        PROBLEMS.append(f"{name}={value!r}: use 1 or 0 (also true/false, yes/no, on/off)")
        return default
    return word in TRUE_WORDS


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        PROBLEMS.append(f"{name}={value!r}: must be a whole number (default {default})")
        return default


def env_list(name: str) -> list[str] | None:
    """A comma-separated list; None when the variable is unset or empty."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'talent_home.sqlite'}"
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not url.startswith(("sqlite:", "postgresql+psycopg://")):
        PROBLEMS.append(
            "DATABASE_URL must be sqlite:///PATH or postgresql://USER:PASSWORD@HOST/DATABASE, "
            f"not {url.split(':', 1)[0]!r}"
        )
        return f"sqlite:///{INSTANCE_DIR / 'talent_home.sqlite'}"
    return url


def _demo_secret_key() -> str:
    """A key kept under instance/ so that every worker of a demo server shares it."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _limiter_storage_options(uri: str) -> dict:
    """A Redis that does not answer costs a second, not a hung login, before the fallback."""
    if uri.startswith(("redis://", "rediss://")):
        return {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Seconds a pooled connection may lie unused before it is tested on its next use (app/database.py).
    DATABASE_PING_AFTER_IDLE_SECONDS = env_int("DATABASE_PING_AFTER_IDLE_SECONDS", 10)

    # Without a SECRET_KEY the app runs as the local demo, over plain http.
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", bool(os.environ.get("SECRET_KEY")))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    # Every absolute link (e-mails, feeds, QR codes, calendar_url) starts with this, never with the request's Host.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    # Flask answers 400 to a request whose Host is not listed; unset: any Host.
    TRUSTED_HOSTS = env_list("TRUSTED_HOSTS")
    # How many proxies in front set X-Forwarded-For/-Proto/-Host/-Port; 0 trusts no such header.
    PROXY_FIX = env_int("PROXY_FIX", 0)

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh", "en")

    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STORAGE_OPTIONS = _limiter_storage_options(RATELIMIT_STORAGE_URI)
    # When the storage is unreachable the limits go on in this process's memory (with a warning in
    # the log) rather than failing the request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")  # failures per account
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "50 per minute")  # per address
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "60 per minute")
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per minute")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "talent-home@localhost")
    NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
    NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8)

    # Booking rules; a room may override the length and horizon limits.
    BOOKING_STEP_MINUTES = 30
    BOOKING_MAX_DAYS_AHEAD = env_int("BOOKING_MAX_DAYS_AHEAD", 30)
    BOOKING_MIN_MINUTES = env_int("BOOKING_MIN_MINUTES", 30)
    BOOKING_MAX_MINUTES = env_int("BOOKING_MAX_MINUTES", 240)
    BOOKING_MAX_UPCOMING = env_int("BOOKING_MAX_UPCOMING", 3)
    BOOKING_MAX_HOURS_PER_WEEK = env_int("BOOKING_MAX_HOURS_PER_WEEK", 8)
    BOOKING_MAX_WEEKS = 12
    # Check-in windows (one rule, app/models/check_in_window.py). A room booking is checked in from
    # this long before its start to this long after its start; unchecked, it then becomes a no-show.
    BOOKING_CHECK_IN_OPENS_MINUTES = env_int("BOOKING_CHECK_IN_OPENS_MINUTES", 15)
    BOOKING_CHECK_IN_CLOSES_MINUTES = env_int("BOOKING_CHECK_IN_CLOSES_MINUTES", 15)
    # An event's registrations are checked in from this long before a session starts to this long after it ends.
    CHECK_IN_OPENS_MINUTES = env_int("CHECK_IN_OPENS_MINUTES", 60)
    CHECK_IN_CLOSES_MINUTES = env_int("CHECK_IN_CLOSES_MINUTES", 120)
    NO_SHOW_LIMIT = 3
    NO_SHOW_WINDOW_DAYS = 90
    SUSPENSION_DAYS = 30

    PRIVACY_NOTICE_VERSION = "2026-11"
    PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 180)
    API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    # Not the test client's Host (localhost), so tests see that links never come from the request.
    PUBLIC_BASE_URL = "https://talent-home.example"
    TRUSTED_HOSTS = None
    PROXY_FIX = 0
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    # Limits stay on so their tests see the real machinery; a test lowers them when it needs to.
    LOGIN_RATE_LIMIT = "10000 per minute"
    LOGIN_ADDRESS_RATE_LIMIT = "10000 per minute"
    REGISTER_RATE_LIMIT = "10000 per minute"
    PASSWORD_RESET_RATE_LIMIT = "10000 per minute"
    SESSION_COOKIE_SECURE = False
    MAIL_SERVER = ""
