"""Configuration: defaults here, then instance/config.py, then environment variables."""
import json
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path


class Defaults:
    """Settings every installation starts from."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # A sign-in ends after this long without a request, and in any case this long after signing in.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    # Sign-in throttling, counted in the database (app/services/rate_limits.py): failed attempts on one account from
    # one client address, and from one address on any accounts, pass without waiting up to these numbers in a window;
    # after that each attempt makes the next wait LOGIN_FIRST_WAIT, doubling per attempt up to LOGIN_MAX_WAIT. An
    # account is never locked for everybody: an attempt from another address counts on its own.
    LOGIN_ACCOUNT_ATTEMPTS = 5
    LOGIN_ADDRESS_ATTEMPTS = 10
    LOGIN_WINDOW = timedelta(hours=1)
    LOGIN_FIRST_WAIT = timedelta(seconds=1)
    LOGIN_MAX_WAIT = timedelta(minutes=15)
    # Documents rendered on request (agreement PDF, a case's PDFs and archive ZIP): fetches per user per window.
    RENDER_LIMIT = 30
    RENDER_WINDOW = timedelta(minutes=1)
    # Reverse proxies in front of the app that set X-Forwarded-For and X-Forwarded-Proto (0: none, the client
    # connects directly). The client's address and https are read from the headers these proxies add, no further.
    PROXY_COUNT = 0
    # Strict-Transport-Security max-age in seconds on responses served over https; 0 sends no such header.
    HSTS_SECONDS = 0
    PUBLIC_MAX_AGE = 300  # seconds a browser or proxy may reuse a public page (app/public) without asking again
    PASSWORD_HASH_METHOD = "scrypt"
    # How long a mailed link that sets a password works: on an account without a password (the first
    # invitation), and on one that has a password (the link then resets it).
    INVITE_TOKEN_MAX_AGE = timedelta(days=7)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    # Requests to join (the public form, agreement §1): per client address and per municipality, this many pass in
    # a window; then each makes the next wait, doubling up to JOIN_MAX_WAIT. The link sent to the municipality's
    # official mailbox to confirm a request works this long.
    JOIN_REQUESTS = 3
    JOIN_WINDOW = timedelta(hours=1)
    JOIN_MAX_WAIT = timedelta(hours=6)
    JOIN_LINK_MAX_AGE = timedelta(days=7)
    # Sign-in with an organisation's identity (OpenID Connect): a list of providers, none by default (README, "Sign-in
    # with Ansattporten or Entra ID"). Each is a dict: name, label, discovery_url, client_id, client_secret, and
    # optionally scopes, authorization_details, organisation ("ansattporten" or "entra"), tenants, roles.
    OIDC_PROVIDERS = ()
    # Clock difference allowed between the provider and this server when checking an ID token's times.
    OIDC_CLOCK_SKEW = timedelta(seconds=60)
    # The code mailed to an account to tie a first sign-in to it: how long it works, and how many wrong tries end it.
    OIDC_LINK_CODE_MAX_AGE = timedelta(minutes=15)
    OIDC_LINK_CODE_ATTEMPTS = 5
    # A first sign-in tied to no account and asking for nothing is forgotten after this long (the daily tick).
    OIDC_PENDING_MAX_AGE = timedelta(days=1)
    # Mailed codes and forgotten-password links asked for from one client address: this many in a window, then each
    # makes the next wait, doubling up to MAIL_REQUEST_MAX_WAIT (one account is mailed at most MAIL_REQUESTS too).
    MAIL_REQUESTS = 3
    MAIL_REQUEST_WINDOW = timedelta(hours=1)
    MAIL_REQUEST_MAX_WAIT = timedelta(hours=6)
    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    LANGUAGES = ("nb", "nn", "en")
    # Flask-WTF translates WTForms' own messages ("Dette feltet er påkrevd.") through Flask-Babel.
    WTF_I18N_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    # Set to an ISO date (YYYY-MM-DD) to pin "today" for demos and tests.
    TODAY = None
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Kunnskapskommunen <fou@bergen.kommune.no>"
    MAIL_TIMEOUT = 10  # seconds to wait for the mail server on each step of sending one message
    BASE_URL = "http://127.0.0.1:5000"
    # Days before an invitation's reply deadline when the tick reminds those who have not answered.
    REMINDER_DAYS = (14, 3)
    # An invoiced contribution is due this many days after the invoice date; unpaid 14 days after that, one reminder.
    INVOICE_DUE_DAYS = 30
    # Uploads (scanned signed agreements) are at most 10 MB; the rest is room for the form around the file.
    MAX_CONTENT_LENGTH = 11 * 1024 * 1024
    # The certificate and key that seal fully signed agreements (PAdES): a PKCS#12 file, a path relative to the
    # instance folder (absolute works too; None: off), and its password. No file there: agreements are not sealed.
    SEAL_P12_PATH = "seal.p12"
    SEAL_P12_PASSWORD = None
    # A timestamp service (RFC 3161) to seal at PAdES level B-LTA with validation data; None: level B-B.
    SEAL_TSA_URL = None
    # The annual conference: registrations' personal data is deleted this many months after its day (counts kept);
    # the public form takes this many registrations per address and window before it makes the address wait.
    CONFERENCE_RETENTION_MONTHS = 6
    CONFERENCE_REGISTRATIONS = 5
    CONFERENCE_REGISTRATION_WINDOW = timedelta(hours=1)
    CONFERENCE_REGISTRATION_MAX_WAIT = timedelta(hours=6)


ENV_SETTINGS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "AUDIT_KEY": "AUDIT_KEY",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_USERNAME": "MAIL_USERNAME",
    "MAIL_PASSWORD": "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER": "MAIL_DEFAULT_SENDER",
    "BASE_URL": "BASE_URL",
    "KK_TODAY": "TODAY",
    "PROXY_COUNT": "PROXY_COUNT",
    "HSTS_SECONDS": "HSTS_SECONDS",
    "OIDC_PROVIDERS": "OIDC_PROVIDERS",
    "SEAL_P12_PATH": "SEAL_P12_PATH",
    "SEAL_P12_PASSWORD": "SEAL_P12_PASSWORD",
    "SEAL_TSA_URL": "SEAL_TSA_URL",
    "CONFERENCE_RETENTION_MONTHS": "CONFERENCE_RETENTION_MONTHS",
}
# The audit chain's HMAC key (AUDIT_KEY): 32 characters from `openssl rand -hex 32` hold 128 bits or more.
MIN_AUDIT_KEY_LENGTH = 32
# Read from the environment as text; these are whole numbers.
INTEGER_SETTINGS = ("MAIL_PORT", "PROXY_COUNT", "HSTS_SECONDS", "CONFERENCE_RETENTION_MONTHS")


def load(app, test_config=None):
    """Fill app.config from defaults, the instance file, the environment and test overrides."""
    app.config.from_object(Defaults)
    instance = Path(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'kunnskapskommunen.db'}"
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for env_name, key in ENV_SETTINGS.items():
            if os.environ.get(env_name):
                app.config[key] = os.environ[env_name]
        if os.environ.get("MAIL_USE_TLS"):
            app.config["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
        for key in INTEGER_SETTINGS:
            app.config[key] = int(app.config[key])
        if isinstance(app.config["OIDC_PROVIDERS"], str):
            app.config["OIDC_PROVIDERS"] = json.loads(app.config["OIDC_PROVIDERS"])
    else:
        app.config.update(test_config)
    missing = [name for name in ("SECRET_KEY", "AUDIT_KEY") if not app.config.get(name)]
    if missing and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Each server would make keys of its own: a session signed by one would be refused by the others, and the
        # audit chain hashed under several keys.
        raise RuntimeError(f"{' og '.join(missing)} mangler: med en delt database (PostgreSQL) må hver server få de "
                           "samme nøklene fra miljøet eller instance/config.py (lag dem med `openssl rand -hex 32`).")
    for name in missing:
        app.config[name] = _instance_secret(instance / name.lower())
    if len(app.config["AUDIT_KEY"]) < MIN_AUDIT_KEY_LENGTH:
        raise RuntimeError(f"AUDIT_KEY må ha minst {MIN_AUDIT_KEY_LENGTH} tegn (lag en med `openssl rand -hex 32`).")


def _instance_secret(path: Path) -> str:
    """Read a key kept in the instance folder, creating it on first start, readable by the owner only.

    The key is written whole to a private temporary file, then linked to its name, which fails if the name exists:
    when several workers start at once, the first link wins and every worker reads that one key.
    """
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
            os.link(temporary, path)
        except FileExistsError:
            pass  # another worker was first; its key stands
        finally:
            os.unlink(temporary)
    return path.read_text().strip()
