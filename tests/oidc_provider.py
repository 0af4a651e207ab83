"""A real OpenID provider for the tests: the npm package oidc-provider (tests/oidc/provider.mjs) on loopback, started
once per run, with signing keys the tests hold too (to forge ID tokens the provider hands out through its test hook),
and a person who signs in through its login and consent pages (`sign_in_at_provider`)."""
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.ports import free_port

HERE = Path(__file__).parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "kunnskapskommunen", "test-client-secret"
OTHER_CLIENT_ID = "et-annet-system"
CALLBACK_PATH = "/login/ekstern/test/svar"
# Accounts at the provider, by the login typed on its page. "ansatt" acts for Bergen (Ansattporten's
# authorization_details) and carries a national identity number (pid), which the app must never keep.
BERGEN_ORG_NUMBER = "964338531"
ACCOUNTS = {
    "ansatt": {"name": "Kari Ansatt", "pid": "01017012345", "authorization_details": [{
        "type": "ansattporten:altinn:service", "resource": "urn:altinn:resource:5613:1",
        "reportees": [{"Rights": ["Read"], "Authority": "iso6523-actorid-upis", "ID": f"0192:{BERGEN_ORG_NUMBER}",
                       "Name": "BERGEN KOMMUNE"}]}]},
    "radgiver": {"name": "Rita Rådgiver", "roles": ["KK.Radgiver"]},
}


@dataclass
class OidcProvider:
    issuer: str
    signing_key: RSAKey
    process: subprocess.Popen

    def settings(self, **overrides) -> dict:
        """An entry of OIDC_PROVIDERS for this provider, named "test"."""
        return {"name": "test", "label": "Testportalen", "discovery_url": f"{self.issuer}/.well-known/openid-configuration",
                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "scopes": "openid profile organisation",
                "organisation": "ansattporten", **overrides}

    def next_id_token(self, id_token: str) -> None:
        """The provider's next token response carries this ID token instead of the one it issued."""
        requests.post(f"{self.issuer}/test/next-id-token", json={"id_token": id_token}, timeout=5).raise_for_status()

    def forge(self, claims: dict, key: RSAKey | None = None) -> str:
        """An ID token signed with the provider's own key (or `key`), with the usual claims unless `claims` says (None
        leaves a claim out)."""
        now = int(time.time())
        key = key or self.signing_key
        payload = {"iss": self.issuer, "sub": "ansatt", "aud": CLIENT_ID, "iat": now, "exp": now + 600, **claims}
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode({"alg": "RS256", "kid": key.kid}, payload, key)


def _client(client_id: str) -> dict:
    # "native": any port on 127.0.0.1 is the registered one (RFC 8252), so the live test server's port fits too.
    return {"client_id": client_id, "client_secret": CLIENT_SECRET, "application_type": "native",
            "redirect_uris": [f"http://localhost{CALLBACK_PATH}", f"http://127.0.0.1{CALLBACK_PATH}"],
            "post_logout_redirect_uris": ["http://localhost/login", "http://127.0.0.1/login"],
            "token_endpoint_auth_method": "client_secret_basic"}


def start(tmp_path: Path) -> OidcProvider:
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("The test OpenID provider needs Node.js 20 and `npm ci` in tests/oidc (make install-test).")
    key = RSAKey.generate_key(2048, parameters={"kid": "provider-key", "use": "sig", "alg": "RS256"})
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    settings = tmp_path / "provider.json"
    settings.write_text(json.dumps({"port": port, "issuer": issuer, "jwks": {"keys": [key.as_dict(private=True)]},
                                    "clients": [_client(CLIENT_ID), _client(OTHER_CLIENT_ID)],
                                    "accounts": ACCOUNTS}))
    process = subprocess.Popen([node, str(HERE / "provider.mjs"), str(settings)], cwd=HERE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "NODE_ENV": "test"})
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        pytest.fail(f"The test OpenID provider did not start: {line}{process.stderr.read()}")
    return OidcProvider(issuer, key, process)


def stop(provider: OidcProvider) -> None:
    provider.process.terminate()
    provider.process.wait(timeout=10)
    provider.process.stdout.close()
    provider.process.stderr.close()


def _form(page: str, base: str) -> tuple[str, dict]:
    """The action and hidden fields of the one form on a page of the provider."""
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return urljoin(base, action), fields


def sign_in_at_provider(authorization_url: str, login: str = "ansatt") -> str:
    """Follow the provider's pages as a person would (log in with any password, consent) and return the address it
    sends the browser back to (the app's callback, not fetched)."""
    browser = requests.Session()
    response = browser.get(authorization_url, allow_redirects=False, timeout=10)
    answered = set()
    while True:
        location = response.headers.get("Location")
        if location is not None:
            target = urljoin(response.url, location)
            if urlsplit(target).path == CALLBACK_PATH:
                browser.close()
                return target
            response = browser.get(target, allow_redirects=False, timeout=10)
            continue
        action, fields = _form(response.text, response.url)
        prompt = fields.get("prompt")
        assert prompt not in answered, response.text
        answered.add(prompt)
        data = {**fields, "login": login, "password": "hva-som-helst"} if prompt == "login" else fields
        response = browser.post(action, data=data, allow_redirects=False, timeout=10)
