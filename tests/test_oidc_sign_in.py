"""Sign-in with an organisation's identity (OpenID Connect) against a real provider on loopback
(tests/oidc_provider.py): the client, its session and the provider's pages are all real; a forged ID token reaches
the app only through the provider's own token response."""
import base64
import hashlib
import json
import re
import secrets
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from app import clock
from app.auth import providers
from app.logs import clean
from app.extensions import db
from app.models import AuditEvent, ExternalIdentity, LoginSession, OutboxMessage, PendingIdentity, User
from app.services import mail
from tests import factories
from tests.conftest import Auth, csrf_token, post
from tests.oidc_provider import CALLBACK_PATH, OTHER_CLIENT_ID, sign_in_at_provider


@pytest.fixture
def provider(app, oidc_provider):
    app.config["OIDC_PROVIDERS"] = [oidc_provider.settings()]
    return oidc_provider


def start(client) -> str:
    """Press "Logg inn med Testportalen": the address of the provider's sign-in."""
    response = client.post("/login/ekstern/test", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def path(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def with_param(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    query = {key: value for key, value in query.items() if value is not None}
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def nonce_of(authorization_url: str) -> str:
    return parse_qs(urlsplit(authorization_url).query)["nonce"][0]


def through_provider(client, login: str = "ansatt"):
    """The whole round: start, the provider's pages, and the app's callback."""
    return client.get(path(sign_in_at_provider(start(client), login)))


def linked(login: str = "ansatt", **user) -> User:
    """An account tied to the provider's subject `login`."""
    person = factories.user(**user)
    db.session.add(ExternalIdentity(provider="test", subject=login, user=person, created_at=clock.now()))
    db.session.commit()
    return person


def refusals() -> list[str]:
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.sign_in_provider_refused"))
    return [json.loads(event.data)["reason"] for event in events]


def signed_in_as(client) -> User | None:
    with client.session_transaction() as session:
        session_id = session.get("_user_id")
    found = db.session.get(LoginSession, session_id) if session_id else None
    return found.user if found is not None and found.ended_at is None else None


# --- the login page ---------------------------------------------------------------------------------------------

def test_without_providers_the_login_page_is_as_before_and_no_provider_route_answers(client, orgs):
    page = client.get("/login").get_data(as_text=True)
    assert "Logg inn med" not in page and "/login/ekstern/" not in page
    assert client.post("/login/ekstern/test", data={"csrf_token": csrf_token(client)}).status_code == 404
    assert client.get("/login/ekstern/test/svar?code=x&state=y").status_code == 404


def test_each_provider_has_a_button_beside_the_password_form(client, orgs, provider):
    page = client.get("/login").get_data(as_text=True)
    assert "Logg inn med Testportalen" in page
    assert 'action="/login/ekstern/test"' in page and 'name="password"' in page


def test_the_button_needs_the_pages_csrf_token(client, orgs, provider):
    assert client.post("/login/ekstern/test").status_code == 400


def test_the_request_uses_pkce_state_nonce_and_the_callback(client, orgs, provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["client_id"] == ["kunnskapskommunen"]
    assert query["redirect_uri"] == [f"http://localhost{CALLBACK_PATH}"]


def test_ansattporten_is_asked_for_the_organisation_through_authorization_details(app, client, orgs, provider):
    details = [{"type": "ansattporten:altinn:service", "resource": "urn:altinn:resource:5613:1"}]
    app.config["OIDC_PROVIDERS"] = [provider.settings(authorization_details=details)]
    assert json.loads(parse_qs(urlsplit(start(client)).query)["authorization_details"][0]) == details


# --- a tied account signs in --------------------------------------------------------------------------------------

def test_a_tied_account_signs_in_through_the_providers_pages(client, orgs, provider):
    person = linked()
    response = through_provider(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in_as(client).id == person.id
    assert client.get("/").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.sign_in_provider"))
    assert event.actor_id == person.id and json.loads(event.data) == {"provider": "test"}


def test_signing_in_renews_the_session(client, orgs, provider):
    person = linked()
    before = set(db.session.scalars(select(LoginSession.id)))
    url = start(client)
    with client.session_transaction() as session:
        session["left_from_before"] = "x"
    client.get(path(sign_in_at_provider(url)))
    with client.session_transaction() as session:
        assert "left_from_before" not in session
        assert not [key for key in session if key.startswith("_state_")]
        assert session["_user_id"] not in before
    assert signed_in_as(client).id == person.id


def test_a_deactivated_account_does_not_sign_in(client, orgs, provider):
    person = linked()
    person.active = False
    db.session.commit()
    assert through_provider(client).status_code == 403
    assert signed_in_as(client) is None


def test_the_provider_is_asked_again_for_its_keys_when_it_signs_with_a_new_one(app, client, orgs, provider):
    """Key rotation: the keys the app holds lack the one the token names; one fetch of the provider's keys finds it."""
    person = linked()
    url = start(client)
    stale = RSAKey.generate_key(2048, parameters={"kid": "retired-key", "use": "sig", "alg": "RS256"})
    providers.client(providers.named("test")).server_metadata["jwks"] = {"keys": [stale.as_dict(private=False)]}
    client.get(path(sign_in_at_provider(url)))
    assert signed_in_as(client).id == person.id


# --- answers that are not a sign-in ---------------------------------------------------------------------------------

def refused(client, back: str, reason: str):
    response = client.get(path(back))
    assert response.status_code == 400
    assert "Innloggingen kunne ikke fullføres" in response.get_data(as_text=True)
    assert signed_in_as(client) is None
    assert refusals()[-1] == reason
    return response


def test_a_wrong_state_is_refused(client, orgs, provider):
    linked()
    back = sign_in_at_provider(start(client))
    refused(client, with_param(back, state="ikke-den-vi-sendte"), "mismatching_state")


def test_an_answer_to_another_browser_is_refused(app, client, orgs, provider):
    linked()
    back = sign_in_at_provider(start(client))
    refused(app.test_client(), back, "mismatching_state")


def test_an_answer_used_twice_is_refused(client, orgs, provider):
    linked()
    url = start(client)
    with client.session_transaction() as session:
        before = dict(session)
    back = sign_in_at_provider(url)
    client.get(path(back))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    with client.session_transaction() as session:
        session.update(before)
    refused(client, back, "invalid_grant")


def test_a_replayed_nonce_is_refused_even_in_a_token_the_provider_issued(client, orgs, provider):
    """The app's own state for a flow is set up by hand with a nonce that already signed in; the provider issues a
    genuine token with it, which the app must not take a second time."""
    linked()
    first = start(client)
    client.get(path(sign_in_at_provider(first)))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(20)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    with client.session_transaction() as session:
        session[f"_state_test_{state}"] = {"exp": time.time() + 600, "data": {
            "redirect_uri": f"http://localhost{CALLBACK_PATH}", "code_verifier": verifier, "nonce": nonce_of(first)}}
    replay = with_param(first, state=state, code_challenge=challenge)
    refused(client, sign_in_at_provider(replay), "nonce_replayed")


def forged_round(client, provider, **claims):
    """A round in which the provider hands the app a forged ID token: `claims` given as they are, the nonce of this
    round unless they say otherwise."""
    url = start(client)
    key = claims.pop("key", None)
    provider.next_id_token(provider.forge({"nonce": nonce_of(url), **claims}, key))
    return sign_in_at_provider(url)


def test_a_forged_token_with_the_right_claims_and_the_providers_key_signs_in(client, orgs, provider):
    """The check of the checks below: a forged token passes when nothing is wrong with it."""
    person = linked()
    client.get(path(forged_round(client, provider)))
    assert signed_in_as(client).id == person.id


def test_a_foreign_nonce_is_refused(client, orgs, provider):
    linked()
    refused(client, forged_round(client, provider, nonce="fra-en-annen-innlogging"), "invalid_claim:nonce")


def test_a_token_without_a_nonce_is_refused(client, orgs, provider):
    linked()
    refused(client, forged_round(client, provider, nonce=None), "missing_claim:nonce")


@pytest.mark.parametrize("claims", [{"aud": OTHER_CLIENT_ID}, {"aud": OTHER_CLIENT_ID, "azp": "kunnskapskommunen"},
                                    {"aud": [OTHER_CLIENT_ID]}])
def test_a_token_for_another_audience_is_refused(client, orgs, provider, claims):
    linked()
    refused(client, forged_round(client, provider, **claims), "invalid_claim:aud")


def test_an_expired_token_is_refused(client, orgs, provider):
    linked()
    now = int(time.time())
    refused(client, forged_round(client, provider, iat=now - 7200, exp=now - 3600), "expired_token:exp")


def test_a_token_from_another_issuer_is_refused(client, orgs, provider):
    linked()
    refused(client, forged_round(client, provider, iss="http://127.0.0.1:1"), "invalid_claim:iss")


@pytest.mark.parametrize("kid", ["provider-key", "a-key-nobody-published"])
def test_a_token_signed_with_a_key_the_provider_does_not_publish_is_refused(client, orgs, provider, kid):
    linked()
    other = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})
    reason = "bad_signature" if kid == "provider-key" else "invalid_key_id"
    refused(client, forged_round(client, provider, key=other), reason)


def test_an_answer_that_names_another_issuer_is_a_mix_up(client, orgs, provider):
    """RFC 9207: the provider names itself in its answer; an answer naming another was meant for another flow."""
    linked()
    back = sign_in_at_provider(start(client))
    assert parse_qs(urlsplit(back).query)["iss"] == [provider.issuer]
    refused(client, with_param(back, iss="https://login.example.invalid"), "issuer_mismatch")


def test_an_answer_without_the_issuer_from_a_provider_that_always_names_itself_is_refused(client, orgs, provider):
    linked()
    back = sign_in_at_provider(start(client))
    refused(client, with_param(back, iss=None), "issuer_missing")


def test_an_error_from_the_provider_is_refused(client, orgs, provider):
    start(client)
    refused(client, "/login/ekstern/test/svar?error=access_denied", "provider_error")


# --- a first sign-in ----------------------------------------------------------------------------------------------

def test_a_first_sign_in_keeps_the_subject_and_organisation_but_no_national_identity_number(client, orgs, provider):
    response = through_provider(client)
    assert response.headers["Location"] == "/login/ny-identitet"
    assert signed_in_as(client) is None
    pending = db.session.scalar(select(PendingIdentity))
    assert (pending.provider, pending.subject, pending.organisation.name) == ("test", "ansatt", "Bergen")
    assert pending.roles == ""
    page = client.get("/login/ny-identitet").get_data(as_text=True)
    assert "Første innlogging med Testportalen" in page and "Bergen" in page
    stored = json.dumps([[str(value) for value in row] for table in db.metadata.sorted_tables
                         for row in db.session.execute(table.select())])
    assert "01017012345" not in stored


def test_roles_come_from_the_provider_only_through_a_configured_mapping(app, client, orgs, provider):
    through_provider(client, "radgiver")
    assert db.session.scalar(select(PendingIdentity)).roles == ""
    app.config["OIDC_PROVIDERS"] = [provider.settings(roles={"claim": "roles", "map": {"KK.Radgiver": "adviser"}})]
    through_provider(app.test_client(), "radgiver")
    assert db.session.scalar(select(PendingIdentity)).roles == "adviser"


def mailed_code(smtp) -> str:
    assert mail.send_pending() == (1, 0)
    text = "\n".join(part.get_content() for part in smtp.inbox.messages[-1].walk() if not part.is_multipart())
    return re.search(r"\b(\d{8})\b", text).group(1)


def ask_for_code(client, email: str):
    return post(client, "/login/ny-identitet/kode", {"email": email}, token_from="/login/ny-identitet")


def test_the_owner_ties_a_first_sign_in_to_the_account_with_the_mailed_code(client, orgs, provider, smtp):
    person = factories.user()
    db.session.commit()
    through_provider(client)
    response = ask_for_code(client, person.email)
    assert response.headers["Location"] == "/login/ny-identitet/bekreft"
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == person.email and "[engangskode]" in message.body_text
    code = mailed_code(smtp)
    assert code not in db.session.scalar(select(OutboxMessage)).body_text
    assert code not in (db.session.scalar(select(PendingIdentity)).code_hash or "")
    response = post(client, "/login/ny-identitet/bekreft", {"code": code}, token_from="/login/ny-identitet/bekreft")
    assert response.headers["Location"] == "/"
    assert signed_in_as(client).id == person.id
    assert db.session.scalar(select(ExternalIdentity)).user_id == person.id
    assert db.session.scalar(select(func.count()).select_from(PendingIdentity)) == 0
    # From now on the provider alone signs the person in.
    other = client.application.test_client()
    through_provider(other)
    assert signed_in_as(other).id == person.id


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, orgs, provider):
    through_provider(client)
    response = ask_for_code(client, "finnes.ikke@test.kommune.no")
    assert response.headers["Location"] == "/login/ny-identitet/bekreft"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def enter(client, code: str):
    return post(client, "/login/ny-identitet/bekreft", {"code": code}, token_from="/login/ny-identitet/bekreft")


def test_a_code_is_good_once_for_a_short_while_and_dies_after_five_wrong_tries(app, client, orgs, provider, smtp):
    person = factories.user()
    db.session.commit()
    through_provider(client)
    ask_for_code(client, person.email)
    code = mailed_code(smtp)
    for _ in range(5):
        assert enter(client, "00000000" if code != "00000000" else "11111111").status_code == 400
    assert enter(client, code).status_code == 400  # the fifth wrong try ended it
    assert signed_in_as(client) is None

    ask_for_code(client, person.email)
    code = mailed_code(smtp)
    pending = db.session.scalar(select(PendingIdentity))
    pending.code_expires_at = clock.now() - timedelta(seconds=1)
    db.session.commit()
    assert enter(client, code).status_code == 400
    assert signed_in_as(client) is None


def test_asking_for_codes_is_throttled(client, orgs, provider):
    through_provider(client)
    for _ in range(3):
        assert ask_for_code(client, "noen@test.kommune.no").status_code == 302
    response = ask_for_code(client, "noen@test.kommune.no")
    assert response.status_code == 429 and "Retry-After" in response.headers


def test_the_pages_of_a_first_sign_in_need_one(client, orgs, provider):
    assert client.get("/login/ny-identitet").headers["Location"] == "/login"
    response = post(client, "/login/ny-identitet/bekreft", {"code": "12345678"}, token_from="/login")
    assert response.headers["Location"] == "/login"


def test_without_an_account_the_person_asks_and_an_administrator_approves(app, client, orgs, provider):
    through_provider(client)
    response = post(client, "/login/ny-identitet/tilgang", {"name": "Kari Ansatt", "email": "kari@bergen.kommune.no"},
                    token_from="/login/ny-identitet")
    assert response.headers["Location"] == "/login/ny-identitet"
    assert "venter på godkjenning" in client.get("/login/ny-identitet").get_data(as_text=True)
    assert through_provider(app.test_client()).headers["Location"] == "/login/ny-identitet"

    admin = app.test_client()
    Auth(admin, orgs).login("admin", organisation="Bergen")
    assert "kari@bergen.kommune.no" in admin.get("/admin/tilgang").get_data(as_text=True)
    pending = db.session.scalar(select(PendingIdentity))
    page = f"/admin/tilgang/{pending.id}/godkjenn"
    assert "En ny konto opprettes" in admin.get(page).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ExternalIdentity)) == 0  # asking approved nothing
    assert post(admin, page, token_from=page).headers["Location"] == "/admin/tilgang"
    made = users_named("Kari Ansatt")
    assert made.organisation.name == "Bergen" and made.roles == set() and made.password_hash is None
    again = app.test_client()
    through_provider(again)
    assert signed_in_as(again).id == made.id


def users_named(name: str) -> User:
    return db.session.scalar(select(User).where(User.name == name))


def test_an_administrator_ties_a_request_to_the_account_that_has_the_address(app, client, orgs, provider):
    person = factories.user(name="Kari Ansatt", email="kari@bergen.kommune.no")
    db.session.commit()
    through_provider(client)
    post(client, "/login/ny-identitet/tilgang", {"name": "Kari", "email": person.email},
         token_from="/login/ny-identitet")
    admin = app.test_client()
    Auth(admin, orgs).login("admin", organisation="Bergen")
    assert "kobling til kontoen" in admin.get("/admin/tilgang").get_data(as_text=True)
    page = f"/admin/tilgang/{db.session.scalar(select(PendingIdentity)).id}/godkjenn"
    assert "eksisterende kontoen Kari Ansatt" in admin.get(page).get_data(as_text=True)
    post(admin, page, token_from=page)
    assert db.session.scalar(select(ExternalIdentity)).user_id == person.id


def test_an_administrator_rejects_a_request(app, client, orgs, provider):
    through_provider(client)
    post(client, "/login/ny-identitet/tilgang", {"name": "Kari", "email": "kari@bergen.kommune.no"},
         token_from="/login/ny-identitet")
    admin = app.test_client()
    Auth(admin, orgs).login("admin", organisation="Bergen")
    page = f"/admin/tilgang/{db.session.scalar(select(PendingIdentity)).id}/avvis"
    assert post(admin, page, token_from=page).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(PendingIdentity)) == 0
    assert db.session.scalar(select(func.count()).select_from(ExternalIdentity)) == 0
    assert users_named("Kari") is None


def test_the_audit_log_names_people_by_id_only(client, orgs, provider, smtp):
    person = factories.user()
    db.session.commit()
    through_provider(client)
    ask_for_code(client, person.email)
    enter(client, mailed_code(smtp))
    logged = " ".join(f"{event.comment} {event.data}" for event in db.session.scalars(select(AuditEvent)))
    for personal in (person.email, person.name, "ansatt", "Kari", "01017012345"):
        assert personal not in logged
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"identity.pending", "identity.code_sent", "identity.code_confirmed", "user.identity_tied"} <= actions


# --- signing out ---------------------------------------------------------------------------------------------------

def test_signing_out_ends_the_session_here_and_goes_on_to_the_providers_sign_out(client, orgs, provider):
    linked()
    through_provider(client)
    session_id = signed_in_as(client).id and db.session.scalar(select(LoginSession.id))
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == provider.issuer and target.path == "/session/end"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"] and query["id_token_hint"][0]
    assert db.session.get(LoginSession, session_id).ended_at is not None
    assert client.get("/").status_code == 302


def test_signing_out_after_a_password_sign_in_stays_here(client, orgs, provider, login):
    login("adviser")
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).headers["Location"] == "/login"


def test_the_providers_code_and_state_are_masked_in_the_logs():
    line = '"GET /login/ekstern/test/svar?code=hemmelig&state=ogsa&iss=x HTTP/1.1" 302 "http://h/login/ekstern/test/svar?code=hemmelig"'
    assert "hemmelig" not in clean(line) and "/login/ekstern/test/svar?[skjult] HTTP/1.1" in clean(line)
