"""Sign-in with an organisation's identity provider: OpenID Connect through Authlib's Flask client.

The authorization code flow with PKCE (S256); Authlib keeps state, nonce and code verifier in the session, checks
the state on the way back and validates the ID token: its signature with the keys the provider publishes (a key id
it does not know fetches the keys again, once: key rotation), issuer, audience, expiry and nonce. Beyond that this
module checks the issuer the authorization response names (RFC 9207: a response from another provider than the one
asked is a mix-up) and uses each nonce once.
"""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, request, url_for
from joserfc.errors import JoseError

from app.services import rate_limits

# A used nonce is refused for this long; an ID token's own lifetime is shorter.
NONCE_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Provider:
    """One configured provider (an entry of OIDC_PROVIDERS)."""

    name: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: str = "openid profile"
    authorization_details: str | None = None  # JSON, sent as it is (Ansattporten)
    organisation: str | None = None  # where the token names the organisation: "ansattporten" or "entra"
    tenants: tuple[tuple[str, str], ...] = ()  # Entra ID: tenant id -> organisation number
    roles_claim: str | None = None
    roles_map: tuple[tuple[str, str], ...] = ()  # a value of the roles claim -> a role of this app

    @classmethod
    def from_config(cls, entry: dict) -> "Provider":
        roles = entry.get("roles") or {}
        details = entry.get("authorization_details")
        return cls(name=entry["name"], label=entry["label"], discovery_url=entry["discovery_url"],
                   client_id=entry["client_id"], client_secret=entry["client_secret"],
                   scopes=entry.get("scopes", cls.scopes),
                   authorization_details=json.dumps(details) if details else None,
                   organisation=entry.get("organisation"),
                   tenants=tuple(sorted((entry.get("tenants") or {}).items())),
                   roles_claim=roles.get("claim"), roles_map=tuple(sorted((roles.get("map") or {}).items())))


class SignInRefused(Exception):
    """The provider's answer is not a sign-in: `reason` is a short code for the audit log and the server log
    (never a token, a code or a claim's value)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignIn:
    """A validated sign-in: the provider's subject, the claims of the ID token and the token itself (kept in the
    session for signing out at the provider)."""

    provider: Provider
    subject: str
    claims: dict
    id_token: str


def configured() -> list[Provider]:
    return [Provider.from_config(entry) for entry in current_app.config["OIDC_PROVIDERS"]]


def named(name: str) -> Provider:
    """The configured provider of this name; 404 for any other."""
    found = next((provider for provider in configured() if provider.name == name), None)
    if found is None:
        abort(404)
    return found


def _registry() -> dict:
    """Authlib's clients for this app, one per provider, made anew when the provider's settings change (each keeps
    the provider's metadata and keys it fetched)."""
    return current_app.extensions.setdefault("oidc_clients", {})


def client(provider: Provider):
    registry = _registry()
    made = registry.get(provider.name)
    if made is None or made[0] != provider:
        oauth = OAuth(current_app._get_current_object())
        made = registry[provider.name] = (provider, oauth.register(
            provider.name, client_id=provider.client_id, client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256", "default_timeout": 10}))
    return made[1]


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def form_origins() -> list[str]:
    """Where a form of this site may lead: each provider's origin, and those of its sign-in and sign-out endpoints
    once its metadata has been read."""
    registry = _registry()
    found = set()
    for provider in configured():
        made = registry.get(provider.name)
        metadata = made[1].server_metadata if made is not None and made[0] == provider else {}
        found |= {_origin(provider.discovery_url), _origin(metadata.get("authorization_endpoint")),
                  _origin(metadata.get("end_session_endpoint"))}
    return sorted(found - {None})


def callback_url(provider: Provider) -> str:
    return url_for("identity.callback", name=provider.name, _external=True)


def start(provider: Provider):
    """The redirect to the provider's sign-in, with state, nonce and a PKCE challenge kept in the session."""
    extra = {"authorization_details": provider.authorization_details} if provider.authorization_details else {}
    try:
        return client(provider).authorize_redirect(callback_url(provider), **extra)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        current_app.logger.warning("OpenID provider %s unreachable: %s", provider.name, type(error).__name__)
        raise SignInRefused("provider_unreachable") from error


def finish(provider: Provider) -> SignIn:
    """Check the authorization response at the callback and redeem its code: the validated sign-in, or
    SignInRefused."""
    if request.args.get("error"):
        raise SignInRefused("provider_error")
    app_client = client(provider)
    try:
        metadata = app_client.load_server_metadata()
        _check_issuer(metadata)
        token = app_client.authorize_access_token(
            claims_options={"iss": {"essential": True, "values": [metadata["issuer"]]},
                            "aud": {"essential": True, "values": [provider.client_id]},
                            "sub": {"essential": True}},
            leeway=int(current_app.config["OIDC_CLOCK_SKEW"].total_seconds()))
    except SignInRefused:
        raise
    except (AuthlibBaseError, JoseError) as error:
        raise SignInRefused(_reason(error)) from error
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as error:
        raise SignInRefused("provider_unreachable") from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("no_id_token")
    _use_nonce(provider, claims["nonce"])
    return SignIn(provider, str(claims["sub"]), dict(claims), token["id_token"])


def _check_issuer(metadata: dict) -> None:
    """RFC 9207: the response names the issuer that sent it; another than the one this flow went to is a mix-up. A
    provider that says it always names itself must."""
    issuer = request.args.get("iss")
    if issuer is None and metadata.get("authorization_response_iss_parameter_supported"):
        raise SignInRefused("issuer_missing")
    if issuer is not None and issuer != metadata["issuer"]:
        raise SignInRefused("issuer_mismatch")


def _reason(error: Exception) -> str:
    """What was wrong, as a short code: the state, the code's redemption, or the ID token (its signature, key or a
    claim, named)."""
    name = getattr(error, "error", None) or type(error).__name__
    claim = getattr(error, "claim", None)
    return f"{name}:{claim}" if claim else str(name)


def _use_nonce(provider: Provider, nonce: str) -> None:
    """Each nonce signs in once: a second ID token with it (a replay) is refused. Counted as a rate limit that allows
    one hit a day, so the daily tick's pruning removes it."""
    key = "oidc-nonce:" + hashlib.sha256(f"{provider.name}\n{nonce}".encode()).hexdigest()
    if rate_limits.hit(key, rate_limits.Rule(1, NONCE_KEPT, NONCE_KEPT, NONCE_KEPT)):
        raise SignInRefused("nonce_replayed")


def logout_url(provider: Provider, id_token: str | None) -> str | None:
    """Where to send the browser to sign out at the provider too, when it offers that; then back to the sign-in
    page."""
    app_client = client(provider)
    try:
        if not app_client.load_server_metadata().get("end_session_endpoint"):
            return None
    except (requests.RequestException, ValueError):
        return None
    return app_client.create_logout_url(post_logout_redirect_uri=url_for("auth.login", _external=True),
                                        id_token_hint=id_token, client_id=provider.client_id)["url"]
